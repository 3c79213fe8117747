import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  type AttemptRecord,
  type AuthorizationRequest,
  type BankGateway,
  type BankOperationRef,
  type BankOutcome,
  type BankStatus,
  operationKey,
  SimulatorBank,
  type TryPlan,
  type UnknownOutcome,
} from '../bank/bank-gateway.js';
import { newId } from '../common/ids.js';
import { requestContext } from '../common/request-context.js';
import { AppConfig } from '../config/config.js';
import { acquirerRequests, acquirerUp, bankCallDuration } from '../metrics/metrics.js';
import { SOFT_DECLINE_CODES, type AcquirerAdapter, type AuthorizationResult, type CallFailure, type OperationResult } from './acquirer-adapter.js';
import { AcquirerAdapters } from './acquirer-adapters.js';
import { SIMULATOR_ACQUIRER_ID } from './acquirer.entity.js';
import { AttemptsRepository, attemptFields, type AcquirerRow } from './attempts.repository.js';
import { AcquirerHealthService } from './acquirer-health.service.js';
import { Routes } from './routes.js';
import { resolutionOf, stepAfter, whenExhausted } from './rules/failover.js';

/**
 * How long past an http acquirer's own `timeout_ms` (which its adapter applies to the exchange)
 * the router waits before it calls the outcome unknown: a backstop, should an adapter not end.
 */
const ADAPTER_BACKSTOP_MS = 1000;

/**
 * The one BankGateway the payments module sees: it routes each authorisation to the
 * merchant's acquirers in order, fails over only when an acquirer certainly did not process
 * it, records every try as an attempt, keeps each acquirer's health, and sends captures,
 * voids and refunds to the acquirer holding the authorisation. It bounds every call to a bank
 * (the simulator by BANK_TIMEOUT_MS, an http acquirer by its `timeout_ms`): what did not answer
 * in time, or failed on the way, is `unknown`, which callers leave to the reconciler. The
 * adapters below it (the simulator, `http`) only speak to their acquirer.
 */
@Injectable()
export class AcquirerRouter implements BankGateway {
  private readonly logger = new Logger('Router');

  constructor(
    @Inject(SimulatorBank) private readonly simulator: BankGateway,
    private readonly attempts: AttemptsRepository,
    private readonly routes: Routes,
    private readonly adapters: AcquirerAdapters,
    private readonly health: AcquirerHealthService,
    private readonly config: AppConfig,
  ) {}

  /**
   * The route's acquirers that are down, skipped, up to the first that is up: when that is an
   * http acquirer, the tries for the pending payment's statement to record. Otherwise none: the
   * simulator needs no row before it is asked, and an acquirer due for its probe takes the
   * probe's slot only when the card is about to be sent (`route`).
   */
  async planTries(request: Omit<AuthorizationRequest, 'card' | 'tries'>): Promise<TryPlan | undefined> {
    const skipped: AttemptRecord[] = [];
    for (const acquirer of await this.routes.route(request)) {
      const next = this.health.next(acquirer.id);
      if (next === 'skip') {
        skipped.push(skip(request.paymentId, acquirer.id, 'acquirer down'));
        continue;
      }
      return acquirer.kind === 'http' && next === 'send' ? { skipped, first: { id: newId('attempt'), acquirerId: acquirer.id } } : undefined;
    }
    return undefined;
  }

  authorize(request: AuthorizationRequest): Promise<BankOutcome | UnknownOutcome> {
    // Each try has its own deadline; the route as a whole is not cut short (an acquirer that
    // answered late may have charged, and the next try must know it did not happen).
    return this.observed('authorize', request.paymentId, () => this.route(request));
  }

  capture(request: { paymentId: string; amount: number }): Promise<BankOutcome | UnknownOutcome> {
    return this.observed('capture', request.paymentId, () =>
      this.operation('capture', request.paymentId, (adapter, reference) => adapter.capture(reference, request.amount, `${request.paymentId}/capture`), () =>
        this.simulator.capture(request),
      ),
    );
  }

  void(request: { paymentId: string }): Promise<BankOutcome | UnknownOutcome> {
    return this.observed('void', request.paymentId, () =>
      this.operation('void', request.paymentId, (adapter, reference) => adapter.void(reference, `${request.paymentId}/void`), () => this.simulator.void(request)),
    );
  }

  refund(request: { refundId: string; paymentId: string; amount: number }): Promise<BankOutcome | UnknownOutcome> {
    return this.observed('refund', request.refundId, () =>
      this.operation('refund', request.paymentId, (adapter, reference) => adapter.refund(reference, request.amount, request.refundId), () =>
        this.simulator.refund(request),
      ),
    );
  }

  getStatus(operation: BankOperationRef): Promise<BankStatus | UnknownOutcome> {
    return this.observed('status', operationKey(operation), () => this.status(operation));
  }

  /**
   * Times the call for Server-Timing and the metrics, and turns a failure on the way into an
   * unknown outcome: the bank may have acted, so it is asked again, never guessed at.
   */
  private async observed<T extends { kind: string }>(operation: string, subject: string, call: () => Promise<T | UnknownOutcome>): Promise<T | UnknownOutcome> {
    const started = performance.now();
    let answer: T | UnknownOutcome;
    let label: string;
    try {
      answer = await requestContext.timeBank(call);
      label = answer.kind;
    } catch (error) {
      answer = { kind: 'unknown', reason: (error as Error).message };
      label = 'error';
    }
    if (answer.kind === 'unknown') this.logger.warn(`${operation} of ${subject}: outcome unknown (${(answer as UnknownOutcome).reason}); it will be asked again`);
    bankCallDuration.observe({ operation, outcome: label }, (performance.now() - started) / 1000);
    return answer;
  }

  /** One call to the simulator, bounded by BANK_TIMEOUT_MS. */
  private atSimulator<T>(call: () => Promise<T>): Promise<T | UnknownOutcome> {
    return bounded(this.config.bankTimeoutMs, call, (reason) => ({ kind: 'unknown', reason }));
  }

  /** One call to an http acquirer: its adapter applies `timeout_ms`; this is the backstop. */
  private atAcquirer<T>(acquirer: AcquirerRow, call: () => Promise<T>): Promise<T | AdapterUnknown> {
    return bounded(acquirer.timeoutMs + ADAPTER_BACKSTOP_MS, call, (error) => ({ kind: 'unknown', error, httpStatus: null }));
  }

  private async route(request: AuthorizationRequest): Promise<BankOutcome | UnknownOutcome> {
    const route = await this.routes.route(request);
    // The planned tries (see planTries) are on record: the route goes on from the first.
    let from = 0;
    let planned: string | undefined;
    const plan = request.tries;
    if (plan && [...plan.skipped.map((tried) => tried.acquirerId), plan.first.acquirerId].every((id, i) => route[i]?.id === id)) {
      route.slice(0, plan.skipped.length).forEach(countSkip);
      from = plan.skipped.length;
      planned = plan.first.id;
    } else if (plan) {
      // The route changed since the tries were planned (and recorded): the first was never sent, so it moved nothing.
      await this.attempts.record({ ...skip(request.paymentId, plan.first.acquirerId, 'not sent: the route changed'), id: plan.first.id });
    }
    const results: AuthorizationResult[] = [];
    for (const acquirer of route.slice(from)) {
      // The planned try's acquirer was up when planned, moments ago: sent as planned.
      if (!planned && !this.health.tryNow(acquirer.id)) {
        await this.attempts.record(skip(request.paymentId, acquirer.id, 'acquirer down'));
        countSkip(acquirer);
        continue;
      }
      const started = performance.now();
      const { result, attempt } = await this.authorizeAt(acquirer, request, planned);
      planned = undefined;
      acquirerRequests.observe({ acquirer: acquirer.name, operation: 'authorize', outcome: result.kind }, (performance.now() - started) / 1000);
      this.health.record(acquirer.id, result.kind === 'not_processed' || result.kind === 'unknown' ? 'failure' : 'success');
      acquirerUp.set({ acquirer: acquirer.name }, this.health.view(acquirer.id).state === 'down' ? 0 : 1);
      results.push(result);
      const step = stepAfter(result);
      switch (step.kind) {
        // The answer: its attempt goes with the payment's settlement.
        case 'final':
          return step.result.kind === 'approved'
            ? { kind: 'approved', bankReference: step.result.acquirerReference, acquirerId: acquirer.id, attempt }
            : { kind: 'declined', bankReference: step.result.acquirerReference, declineCode: step.result.declineCode, acquirerId: acquirer.id, attempt };
        case 'failed':
          return { kind: 'failed', failureReason: step.failureReason, acquirerId: acquirer.id, attempt };
        // No answer to settle with: recorded now, for the next try and the reconciler.
        case 'pending':
          await this.attempts.record(attempt);
          // Never another acquirer: this one may have charged the card.
          return { kind: 'unknown', reason: `${acquirer.name}: ${'error' in result ? result.error : result.kind}` };
        case 'next':
          await this.attempts.record(attempt);
          continue;
      }
    }
    const exhausted = whenExhausted(results);
    return exhausted.kind === 'declined'
      ? { kind: 'declined', bankReference: exhausted.acquirerReference, declineCode: exhausted.declineCode }
      : exhausted;
  }

  /**
   * One try at one acquirer, and its attempt row for the caller to record. An `http` try is
   * recorded before the card is sent (the attempt's id is the acquirer's reference), so that a
   * process that dies while the acquirer answers leaves the reconciler something to look up;
   * `startedId`: a try recorded already, with the pending payment (see `planTries`).
   */
  private async authorizeAt(acquirer: AcquirerRow, request: AuthorizationRequest, startedId?: string): Promise<{ result: AuthorizationResult; attempt: AttemptRecord }> {
    const started = performance.now();
    const id = startedId ?? newId('attempt');
    let result: AuthorizationResult;
    if (acquirer.kind === 'simulator') {
      result = simulatorResult(await this.atSimulator(() => this.simulator.authorize(request)));
    } else {
      if (!startedId) await this.attempts.start({ id, paymentId: request.paymentId, acquirerId: acquirer.id });
      result = await this.atAcquirer(acquirer, () => this.adapters.for(acquirer).authorize({ ...request, reference: id }));
    }
    const fields = attemptFields(result);
    const attempt: AttemptRecord = {
      id,
      paymentId: request.paymentId,
      acquirerId: acquirer.id,
      outcome: fields.outcome,
      declineCode: fields.declineCode ?? null,
      error: fields.error ?? null,
      httpStatus: fields.httpStatus ?? null,
      durationMs: Math.round(performance.now() - started),
      // The simulator knows an authorisation by the payment's id.
      acquirerReference: fields.acquirerReference ?? (acquirer.kind === 'simulator' ? request.paymentId : null),
    };
    return { result, attempt };
  }

  /**
   * What became of an authorisation whose outcome this instance did not record: the latest
   * attempt says where to look. One that was answered (its process died before settling)
   * is the outcome; one in flight or unknown is asked about at its acquirer, and only there.
   */
  private async status(operation: BankOperationRef): Promise<BankStatus | UnknownOutcome> {
    if (operation.kind !== 'authorization') return this.operationStatus(operation);
    const attempt = await this.attempts.latest(operation.paymentId);
    if (attempt?.outcome === 'approved' || attempt?.outcome === 'declined') {
      return attempt.outcome === 'approved'
        ? { kind: 'approved', bankReference: attempt.acquirerReference ?? '', acquirerId: attempt.acquirerId }
        : { kind: 'declined', bankReference: attempt.acquirerReference, declineCode: attempt.declineCode ?? 'declined' };
    }
    if (attempt?.outcome === 'error') return { kind: 'failed', failureReason: 'acquirer_error' };
    // Every try so far certainly moved nothing, and the process died before the next.
    if (attempt?.outcome === 'not_processed' || attempt?.outcome === 'skipped') return { kind: 'not_found' };
    if (!attempt || attempt.acquirer.kind === 'simulator') {
      // Also a payment with no attempt at all (its process died before the first was recorded).
      const status = await this.atSimulator(() => this.simulator.getStatus(operation));
      if (status.kind !== 'approved' && status.kind !== 'declined') return status;
      if (attempt) {
        await this.attempts.finish(attempt.id, attemptFields(simulatorResult(status)));
        return { ...status, acquirerId: SIMULATOR_ACQUIRER_ID };
      }
      // Its process died before settling, and the answering try went with it: recorded with the settlement now.
      const answered: AttemptRecord = {
        id: newId('attempt'),
        paymentId: operation.paymentId,
        acquirerId: SIMULATOR_ACQUIRER_ID,
        outcome: status.kind,
        declineCode: status.kind === 'declined' ? status.declineCode : null,
        error: null,
        httpStatus: null,
        durationMs: 0,
        acquirerReference: status.bankReference ?? operation.paymentId,
      };
      return { ...status, acquirerId: SIMULATOR_ACQUIRER_ID, attempt: answered };
    }
    const adapter = this.adapters.for(attempt.acquirer);
    const resolution = resolutionOf(await this.atAcquirer(attempt.acquirer, () => adapter.lookUp(attempt.id)));
    switch (resolution.kind) {
      case 'settle': {
        const result = resolution.result;
        await this.attempts.finish(attempt.id, attemptFields(result));
        return result.kind === 'approved'
          ? { kind: 'approved', bankReference: result.acquirerReference, acquirerId: attempt.acquirerId }
          : { kind: 'declined', bankReference: result.acquirerReference, declineCode: result.declineCode, acquirerId: attempt.acquirerId };
      }
      case 'reverse_then_fail': {
        // Refused from now on at the acquirer: a request still on its way can no longer charge.
        const reversal = await this.atAcquirer(attempt.acquirer, () => adapter.reverse(attempt.id));
        if (reversal.kind !== 'reversed') return { kind: 'processing' };
        await this.attempts.finish(attempt.id, { outcome: 'not_processed', error: 'never received; reversed' });
        this.logger.warn(`${operation.paymentId}: ${attempt.acquirer.name} never received attempt ${attempt.id}; reversed, the payment fails`);
        return { kind: 'failed', failureReason: resolution.failureReason };
      }
      case 'ask_again':
        return { kind: 'processing' };
    }
  }

  /**
   * A capture, void or refund at the acquirer holding the authorisation. Asking again is
   * sending it again: the acquirer answers the same Idempotency-Key with its first result.
   */
  private async operationStatus(operation: Exclude<BankOperationRef, { kind: 'authorization' }>): Promise<BankStatus | UnknownOutcome> {
    const holder = await this.attempts.holderOf(operation);
    if (!holder || holder.acquirer.kind === 'simulator') return this.atSimulator(() => this.simulator.getStatus(operation));
    const result = await this.atAcquirer(holder.acquirer, () => this.sendOperation(holder, operation));
    return operationOutcome(result) ?? { kind: 'processing' };
  }

  private async operation(name: string, paymentId: string, call: OperationCall, simulator: () => Promise<BankOutcome | UnknownOutcome>): Promise<BankOutcome | UnknownOutcome> {
    const holder = await this.attempts.holderOfPayment(paymentId);
    if (!holder || holder.acquirer.kind === 'simulator') return this.atSimulator(simulator);
    const started = performance.now();
    const result = await this.atAcquirer(holder.acquirer, () => call(this.adapters.for(holder.acquirer), holder.reference));
    acquirerRequests.observe({ acquirer: holder.acquirer.name, operation: name, outcome: result.kind }, (performance.now() - started) / 1000);
    // Unknown: the caller leaves it in progress for the reconciler, which sends it again.
    return operationOutcome(result) ?? { kind: 'unknown', reason: `${holder.acquirer.name}: ${'error' in result ? result.error : result.kind}` };
  }

  private sendOperation(holder: Holder, operation: Exclude<BankOperationRef, { kind: 'authorization' }>): Promise<OperationResult> {
    const adapter = this.adapters.for(holder.acquirer);
    switch (operation.kind) {
      case 'capture':
        return adapter.capture(holder.reference, holder.amount, `${operation.paymentId}/capture`);
      case 'void':
        return adapter.void(holder.reference, `${operation.paymentId}/void`);
      case 'refund':
        return adapter.refund(holder.reference, holder.amount, operation.refundId);
    }
  }
}

type OperationCall = (adapter: AcquirerAdapter, reference: string) => Promise<OperationResult>;

/** An adapter's own way of saying the acquirer may have acted. */
type AdapterUnknown = { kind: 'unknown' } & CallFailure;

/** `call`, or `late(reason)` once `ms` have passed or if it throws: a bank call never hangs its caller. */
async function bounded<T, L>(ms: number, call: () => Promise<T>, late: (reason: string) => L): Promise<T | L> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<L>((resolve) => (timer = setTimeout(() => resolve(late(`no answer within ${ms} ms`)), ms)));
  try {
    return await Promise.race([call(), deadline]);
  } catch (error) {
    return late((error as Error).message);
  } finally {
    clearTimeout(timer);
  }
}

interface Holder {
  acquirer: AcquirerRow;
  reference: string;
  amount: number;
}

function operationOutcome(result: OperationResult): BankOutcome | undefined {
  switch (result.kind) {
    case 'succeeded':
      return { kind: 'approved', bankReference: result.acquirerReference ?? '' };
    case 'failed':
      return { kind: 'declined', bankReference: result.acquirerReference, declineCode: 'refused_by_acquirer' };
    case 'error':
      return { kind: 'failed', failureReason: 'acquirer_error' };
    case 'not_processed':
    case 'unknown':
      return undefined;
  }
}

/** A try not sent: `error` says why. */
function skip(paymentId: string, acquirerId: string, error: string): AttemptRecord {
  return { id: newId('attempt'), paymentId, acquirerId, outcome: 'skipped', declineCode: null, error, httpStatus: null, durationMs: 0, acquirerReference: null };
}

/** A skipped try in the acquirer's metrics, whether recorded by the router or planned with the pending payment. */
function countSkip(acquirer: AcquirerRow): void {
  acquirerRequests.observe({ acquirer: acquirer.name, operation: 'authorize', outcome: 'skipped' }, 0);
}

/** The simulator's answer in the router's terms. */
function simulatorResult(outcome: BankOutcome | UnknownOutcome): AuthorizationResult {
  switch (outcome.kind) {
    case 'unknown':
      return { kind: 'unknown', error: outcome.reason, httpStatus: null };
    case 'approved':
      return { kind: 'approved', acquirerReference: outcome.bankReference, captured: true, httpStatus: null };
    case 'declined':
      return { kind: 'declined', acquirerReference: outcome.bankReference, declineCode: outcome.declineCode, soft: SOFT_DECLINE_CODES.has(outcome.declineCode), httpStatus: null };
    case 'failed':
      // The simulator's bank error keeps its own reason (the test-card table's processing_error).
      return { kind: 'error', error: outcome.failureReason, failureReason: outcome.failureReason, httpStatus: null };
  }
}
