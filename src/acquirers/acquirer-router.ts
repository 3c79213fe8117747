import { Inject, Injectable, Logger } from '@nestjs/common';
import { callBank } from '../bank/bank-call.js';
import {
  type AuthorizationRequest,
  type BankGateway,
  type BankOperationRef,
  type BankOutcome,
  type BankStatus,
  SimulatorBank,
} from '../bank/bank-gateway.js';
import { newId } from '../common/ids.js';
import { AppConfig } from '../config/config.js';
import { acquirerRequests, acquirerUp } from '../metrics/metrics.js';
import { SOFT_DECLINE_CODES, type AcquirerAdapter, type AuthorizationResult, type OperationResult } from './acquirer-adapter.js';
import { AcquirerAdapters } from './acquirer-adapters.js';
import { SIMULATOR_ACQUIRER_ID } from './acquirer.entity.js';
import { AttemptsRepository, attemptFields, type AcquirerRow } from './attempts.repository.js';
import { AcquirerHealthService } from './acquirer-health.service.js';
import { resolutionOf, stepAfter, whenExhausted } from './rules/failover.js';

/**
 * The one BankGateway the payments module sees: it routes each authorisation to the
 * merchant's acquirers in order, fails over only when an acquirer certainly did not process
 * it, records every try as an attempt, keeps each acquirer's health, and sends captures,
 * voids and refunds to the acquirer holding the authorisation. The adapters below it
 * (the simulator, `http`) only speak to their acquirer.
 */
@Injectable()
export class AcquirerRouter implements BankGateway {
  private readonly logger = new Logger('Router');

  constructor(
    @Inject(SimulatorBank) private readonly simulator: BankGateway,
    private readonly attempts: AttemptsRepository,
    private readonly adapters: AcquirerAdapters,
    private readonly health: AcquirerHealthService,
    private readonly config: AppConfig,
  ) {}

  async authorize(request: AuthorizationRequest): Promise<BankOutcome> {
    const route = await this.attempts.route(request);
    const results: AuthorizationResult[] = [];
    for (const acquirer of route) {
      if (!this.health.tryNow(acquirer.id)) {
        await this.attempts.record({ paymentId: request.paymentId, acquirerId: acquirer.id, outcome: 'skipped', error: 'acquirer down' });
        acquirerRequests.observe({ acquirer: acquirer.name, operation: 'authorize', outcome: 'skipped' }, 0);
        continue;
      }
      const started = performance.now();
      const result = await this.authorizeAt(acquirer, request);
      acquirerRequests.observe({ acquirer: acquirer.name, operation: 'authorize', outcome: result.kind }, (performance.now() - started) / 1000);
      this.health.record(acquirer.id, result.kind === 'not_processed' || result.kind === 'unknown' ? 'failure' : 'success');
      acquirerUp.set({ acquirer: acquirer.name }, this.health.view(acquirer.id).state === 'down' ? 0 : 1);
      results.push(result);
      const step = stepAfter(result);
      switch (step.kind) {
        case 'final':
          return step.result.kind === 'approved'
            ? { kind: 'approved', bankReference: step.result.acquirerReference, acquirerId: acquirer.id }
            : { kind: 'declined', bankReference: step.result.acquirerReference, declineCode: step.result.declineCode, acquirerId: acquirer.id };
        case 'pending':
          // Never another acquirer: this one may have charged the card.
          throw new OutcomeUnknown(`${acquirer.name}: ${'error' in result ? result.error : result.kind}`);
        case 'failed':
          return { kind: 'failed', failureReason: step.failureReason, acquirerId: acquirer.id };
        case 'next':
          continue;
      }
    }
    const exhausted = whenExhausted(results);
    return exhausted.kind === 'declined'
      ? { kind: 'declined', bankReference: exhausted.acquirerReference, declineCode: exhausted.declineCode }
      : exhausted;
  }

  /**
   * One try at one acquirer, recorded as an attempt. An `http` attempt is recorded before the
   * card is sent (its id is the acquirer's reference), so that a process that dies while the
   * acquirer answers leaves the reconciler something to look up.
   */
  private async authorizeAt(acquirer: AcquirerRow, request: AuthorizationRequest): Promise<AuthorizationResult> {
    const started = performance.now();
    if (acquirer.kind === 'simulator') {
      const outcome = await callBank('authorize', request.paymentId, this.config.bankTimeoutMs, () => this.simulator.authorize(request));
      const result = simulatorResult(outcome);
      await this.attempts.record({ paymentId: request.paymentId, acquirerId: acquirer.id, reference: request.paymentId, ...attemptFields(result), durationMs: performance.now() - started });
      return result;
    }
    const reference = newId('attempt');
    await this.attempts.start({ id: reference, paymentId: request.paymentId, acquirerId: acquirer.id });
    const result = await this.adapters.for(acquirer).authorize({ ...request, reference });
    await this.attempts.finish(reference, { ...attemptFields(result), durationMs: performance.now() - started });
    return result;
  }

  capture(request: { paymentId: string; amount: number }): Promise<BankOutcome> {
    return this.operation('capture', request.paymentId, (adapter, reference) => adapter.capture(reference, request.amount, `${request.paymentId}/capture`), () =>
      this.simulator.capture(request),
    );
  }

  void(request: { paymentId: string }): Promise<BankOutcome> {
    return this.operation('void', request.paymentId, (adapter, reference) => adapter.void(reference, `${request.paymentId}/void`), () => this.simulator.void(request));
  }

  refund(request: { refundId: string; paymentId: string; amount: number }): Promise<BankOutcome> {
    return this.operation('refund', request.paymentId, (adapter, reference) => adapter.refund(reference, request.amount, request.refundId), () =>
      this.simulator.refund(request),
    );
  }

  /**
   * What became of an authorisation whose outcome this instance did not record: the latest
   * attempt says where to look. One that was answered (its process died before settling)
   * is the outcome; one in flight or unknown is asked about at its acquirer, and only there.
   */
  async getStatus(operation: BankOperationRef): Promise<BankStatus> {
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
      const status = await this.simulator.getStatus(operation);
      if (status.kind !== 'approved' && status.kind !== 'declined') return status;
      if (attempt) await this.attempts.finish(attempt.id, attemptFields(simulatorResult(status)));
      return { ...status, acquirerId: SIMULATOR_ACQUIRER_ID };
    }
    const adapter = this.adapters.for(attempt.acquirer);
    const resolution = resolutionOf(await adapter.lookUp(attempt.id));
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
        const reversal = await adapter.reverse(attempt.id);
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
  private async operationStatus(operation: Exclude<BankOperationRef, { kind: 'authorization' }>): Promise<BankStatus> {
    const holder = await this.attempts.holderOf(operation);
    if (!holder || holder.acquirer.kind === 'simulator') return this.simulator.getStatus(operation);
    const outcome = await this.sendOperation(holder, operation);
    return outcome ?? { kind: 'processing' };
  }

  private async operation(name: string, paymentId: string, call: OperationCall, simulator: () => Promise<BankOutcome>): Promise<BankOutcome> {
    const holder = await this.attempts.holderOfPayment(paymentId);
    if (!holder || holder.acquirer.kind === 'simulator') return simulator();
    const started = performance.now();
    const result = await call(this.adapters.for(holder.acquirer), holder.reference);
    acquirerRequests.observe({ acquirer: holder.acquirer.name, operation: name, outcome: result.kind }, (performance.now() - started) / 1000);
    const outcome = operationOutcome(result);
    // Unknown: the caller leaves it in progress for the reconciler, which sends it again.
    if (!outcome) throw new OutcomeUnknown(`${holder.acquirer.name} did not say`);
    return outcome;
  }

  private async sendOperation(holder: Holder, operation: Exclude<BankOperationRef, { kind: 'authorization' }>): Promise<BankOutcome | undefined> {
    const adapter = this.adapters.for(holder.acquirer);
    switch (operation.kind) {
      case 'capture':
        return operationOutcome(await adapter.capture(holder.reference, holder.amount, `${operation.paymentId}/capture`));
      case 'void':
        return operationOutcome(await adapter.void(holder.reference, `${operation.paymentId}/void`));
      case 'refund':
        return operationOutcome(await adapter.refund(holder.reference, holder.amount, operation.refundId));
    }
  }
}

type OperationCall = (adapter: AcquirerAdapter, reference: string) => Promise<OperationResult>;

interface Holder {
  acquirer: AcquirerRow;
  reference: string;
  amount: number;
}

/** Thrown when an acquirer may have acted: callBank reads it as an unknown outcome, never a failure. */
export class OutcomeUnknown extends Error {
  constructor(message: string) {
    super(`outcome unknown: ${message}`);
    this.name = 'OutcomeUnknown';
  }
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

/** The simulator's answer in the router's terms; no answer in time is an unknown outcome. */
function simulatorResult(outcome: BankOutcome | undefined): AuthorizationResult {
  if (!outcome) return { kind: 'unknown', error: 'no answer in time', httpStatus: null };
  switch (outcome.kind) {
    case 'approved':
      return { kind: 'approved', acquirerReference: outcome.bankReference, captured: true, httpStatus: null };
    case 'declined':
      return { kind: 'declined', acquirerReference: outcome.bankReference, declineCode: outcome.declineCode, soft: SOFT_DECLINE_CODES.has(outcome.declineCode), httpStatus: null };
    case 'failed':
      // The simulator's bank error keeps its own reason (the test-card table's processing_error).
      return { kind: 'error', error: outcome.failureReason, failureReason: outcome.failureReason, httpStatus: null };
  }
}
