import { monotonicFactory } from 'ulid';
import { deterministicBehaviour, type SimulatedBehaviour } from '../bank/simulator/test-cards.js';
import type { CardBrand } from '../payments/rules/card.js';
import type { AuthorizationRequest } from './protocol-requests.js';

/** What the acquirer keeps of an authorisation: never the card number or CVV, only brand and last4. */
export interface AuthorizationRecord {
  id: string;
  reference: string;
  amount: number;
  currency: string;
  capture: boolean;
  card: { brand: CardBrand; last4: string };
  status: 'approved' | 'declined';
  decline_code: string | null;
  captured_amount: number;
  refunded_amount: number;
  voided: boolean;
  reversed: boolean;
  created_at: string;
}

export interface OperationRecord {
  id: string;
  kind: 'capture' | 'void' | 'refund';
  authorization_id: string;
  amount: number | null;
  /** The gateway's refund id (`re_…`); null for captures and voids. */
  reference: string | null;
  status: 'succeeded' | 'failed';
  created_at: string;
}

export interface ReversalRecord {
  reference: string;
  /** True when an approved authorisation held that reference. */
  reversed: boolean;
  authorization_id: string | null;
  created_at: string;
}

/**
 * Every change to the ledger is one event: applied in memory, and appended to the journal
 * first (when there is one), so that replaying the journal at start rebuilds the same state.
 * `answer` keeps the exact text answered to an Idempotency-Key.
 */
export type LedgerEvent =
  | { type: 'authorization'; record: AuthorizationRecord }
  | { type: 'operation'; record: OperationRecord }
  | { type: 'reversal'; record: ReversalRecord }
  | { type: 'answer'; scope: string; status: number; body: string };

/** A protocol answer, before it is serialised. `late`: the timeout card, answered only after a long delay. */
export interface Answer {
  status: number;
  body: unknown;
  late?: boolean;
}

export interface StoredAnswer {
  status: number;
  body: string;
}

/** The decline code of an authorisation whose reference was reversed first (it arrived late, or again). */
export const REVERSED_DECLINE_CODE = 'reference_reversed';
const SOFT_DECLINE_CODE = 'issuer_unavailable';

/** What the acquirer does with a new authorisation: the card table, unless a switch or a reversal says otherwise. */
export function authorizationBehaviour(cardNumber: string, circumstances: { referenceReversed: boolean; softDecline: boolean }): SimulatedBehaviour {
  if (circumstances.referenceReversed) return { kind: 'declined', declineCode: REVERSED_DECLINE_CODE };
  if (circumstances.softDecline) return { kind: 'declined', declineCode: SOFT_DECLINE_CODE };
  return deterministicBehaviour(cardNumber);
}

/** The protocol's authorisation object (API.md), plus `reversed`. */
export function authorizationObject(record: AuthorizationRecord) {
  return {
    id: record.id,
    reference: record.reference,
    status: record.status,
    decline_code: record.decline_code,
    captured: record.captured_amount > 0,
    reversed: record.reversed,
  };
}

const ulid = monotonicFactory();
const newId = (prefix: string) => `${prefix}_${ulid()}`;
const error = (status: number, type: string, message: string, param?: string): Answer => ({
  status,
  body: { error: { type, message, ...(param && { param }) } },
});

/** The acquirer's books: authorisations, the operations on them, reversals, and the answers given to each Idempotency-Key. */
export class AcquirerLedger {
  private readonly authorizations = new Map<string, AuthorizationRecord>();
  private readonly byReference = new Map<string, AuthorizationRecord>();
  private readonly operations: OperationRecord[] = [];
  private readonly reversals: ReversalRecord[] = [];
  private readonly reversedReferences = new Set<string>();
  private readonly answers = new Map<string, StoredAnswer>();

  constructor(
    /** Called with each event before it is applied; throwing leaves the ledger unchanged. */
    private readonly journal: (event: LedgerEvent) => void = () => undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Rebuilds the state from earlier events (the journal's lines), without journalling them again. */
  restore(events: Iterable<LedgerEvent>): void {
    for (const event of events) this.apply(event);
  }

  authorize(request: AuthorizationRequest, softDecline: boolean): Answer {
    const referenceReversed = this.reversedReferences.has(request.reference);
    const existing = this.byReference.get(request.reference);
    // One reference authorises once, whatever Idempotency-Key a repeat carries.
    if (existing) {
      const object = authorizationObject(existing);
      return { status: 201, body: referenceReversed ? { ...object, status: 'declined', decline_code: REVERSED_DECLINE_CODE } : object };
    }
    const behaviour = authorizationBehaviour(request.card.number, { referenceReversed, softDecline });
    // The bank failed before deciding: nothing is recorded, so a lookup says 404.
    if (behaviour.kind === 'failed') return error(500, behaviour.failureReason, 'the issuer could not process the authorisation');
    const approved = behaviour.kind === 'approved' || behaviour.kind === 'timeout';
    const record: AuthorizationRecord = {
      id: newId('auth'),
      reference: request.reference,
      amount: request.amount,
      currency: request.currency,
      capture: request.capture,
      card: { brand: request.card.brand, last4: request.card.last4 },
      status: approved ? 'approved' : 'declined',
      decline_code: behaviour.kind === 'declined' ? behaviour.declineCode : null,
      captured_amount: approved && request.capture ? request.amount : 0,
      refunded_amount: 0,
      voided: false,
      reversed: false,
      created_at: this.now().toISOString(),
    };
    this.commit({ type: 'authorization', record });
    // Recorded first, answered late: a gateway that gave up finds it by lookup.
    return { status: 201, body: authorizationObject(record), late: behaviour.kind === 'timeout' };
  }

  lookUp(reference: string): Answer {
    const record = this.byReference.get(reference);
    return record ? { status: 200, body: authorizationObject(record) } : error(404, 'not_found', 'no authorisation has this reference');
  }

  reverse(reference: string): Answer {
    const authorization = this.byReference.get(reference);
    const record: ReversalRecord = {
      reference,
      reversed: authorization?.status === 'approved',
      authorization_id: authorization?.id ?? null,
      created_at: this.now().toISOString(),
    };
    this.commit({ type: 'reversal', record });
    return { status: 200, body: { reference, reversed: record.reversed } };
  }

  capture(authorizationId: string, amount: number): Answer {
    const authorization = this.authorizations.get(authorizationId);
    if (!authorization) return notFound();
    if (amount > authorization.amount) {
      return error(422, 'amount_too_large', `amount exceeds the authorised amount (${authorization.amount})`, 'amount');
    }
    const capturable = authorization.status === 'approved' && !authorization.voided && !authorization.reversed && authorization.captured_amount === 0;
    return this.operate(authorization, 'capture', amount, null, capturable);
  }

  void(authorizationId: string): Answer {
    const authorization = this.authorizations.get(authorizationId);
    if (!authorization) return notFound();
    const voidable = authorization.status === 'approved' && !authorization.voided && !authorization.reversed && authorization.captured_amount === 0;
    return this.operate(authorization, 'void', null, null, voidable);
  }

  refund(authorizationId: string, amount: number, reference: string): Answer {
    const authorization = this.authorizations.get(authorizationId);
    if (!authorization) return notFound();
    // One refund per gateway refund id, whatever Idempotency-Key a repeat carries.
    const earlier = this.operations.find((operation) => operation.kind === 'refund' && operation.reference === reference);
    if (earlier) return { status: 201, body: { id: earlier.id, status: earlier.status } };
    const refundable = authorization.status === 'approved' && !authorization.reversed;
    const remaining = authorization.captured_amount - authorization.refunded_amount;
    if (refundable && amount > remaining) {
      return error(422, 'amount_too_large', `amount exceeds what is captured and not yet refunded (${remaining})`, 'amount');
    }
    return this.operate(authorization, 'refund', amount, reference, refundable);
  }

  answerFor(scope: string): StoredAnswer | undefined {
    return this.answers.get(scope);
  }

  keepAnswer(scope: string, answer: StoredAnswer): void {
    this.commit({ type: 'answer', scope, ...answer });
  }

  /** Everything that moved, for tests and operators to count. */
  records() {
    const operations = (kind: OperationRecord['kind']) => this.operations.filter((operation) => operation.kind === kind);
    return {
      authorizations: [...this.authorizations.values()],
      captures: operations('capture'),
      voids: operations('void'),
      refunds: operations('refund'),
      reversals: [...this.reversals],
    };
  }

  counts() {
    return Object.fromEntries(Object.entries(this.records()).map(([kind, list]) => [kind, list.length]));
  }

  private operate(
    authorization: AuthorizationRecord,
    kind: OperationRecord['kind'],
    amount: number | null,
    reference: string | null,
    succeeds: boolean,
  ): Answer {
    const prefix = { capture: 'cap', void: 'void', refund: 'rfd' }[kind];
    const record: OperationRecord = {
      id: newId(prefix),
      kind,
      authorization_id: authorization.id,
      amount,
      reference,
      status: succeeds ? 'succeeded' : 'failed',
      created_at: this.now().toISOString(),
    };
    this.commit({ type: 'operation', record });
    return { status: 201, body: { id: record.id, status: record.status } };
  }

  private commit(event: LedgerEvent): void {
    this.journal(event);
    this.apply(event);
  }

  private apply(event: LedgerEvent): void {
    switch (event.type) {
      case 'authorization': {
        // A copy: the amounts below change the ledger's record, never the event as journalled.
        const record = structuredClone(event.record);
        this.authorizations.set(record.id, record);
        this.byReference.set(record.reference, record);
        return;
      }
      case 'operation': {
        const { record } = event;
        this.operations.push(record);
        const authorization = this.authorizations.get(record.authorization_id);
        if (!authorization || record.status !== 'succeeded') return;
        if (record.kind === 'capture') authorization.captured_amount = record.amount!;
        if (record.kind === 'void') authorization.voided = true;
        if (record.kind === 'refund') authorization.refunded_amount += record.amount!;
        return;
      }
      case 'reversal': {
        this.reversals.push(event.record);
        this.reversedReferences.add(event.record.reference);
        const authorization = this.byReference.get(event.record.reference);
        if (authorization && event.record.reversed) authorization.reversed = true;
        return;
      }
      case 'answer':
        this.answers.set(event.scope, { status: event.status, body: event.body });
        return;
    }
  }
}

const notFound = () => error(404, 'not_found', 'no authorisation has this id');
