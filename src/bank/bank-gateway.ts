/** What the gateway sends the bank. The card number and CVV exist only here, in memory. */
export interface AuthorizationRequest {
  /** The gateway's payment id; the bank treats it as its idempotency key. */
  paymentId: string;
  /** Whose routing applies. */
  merchantId: string;
  brand: string;
  /** Test-mode payments only ever reach the simulator. */
  livemode: boolean;
  amount: number;
  currency: string;
  capture: boolean;
  card: {
    number: string;
    cvv: string;
    expiryMonth: number;
    expiryYear: number;
    holderName: string | null;
  };
  /** The tries `planTries` planned, already on record with the pending payment: followed, not recorded again. */
  tries?: TryPlan;
}

/**
 * The tries an authorisation begins with, planned before the pending payment is written and
 * recorded by its statement (a commit fewer each than rows of their own): the route's acquirers
 * that are down, as skipped, and the http acquirer the card goes to first, as started (it must
 * be on record before the card is sent: its id is the reference the acquirer is given, for the
 * reconciler to look up should the process die while the acquirer answers).
 */
export interface TryPlan {
  skipped: AttemptRecord[];
  first: { id: string; acquirerId: string };
}

/**
 * A try of a payment at one acquirer, as the router records it (never card data, never the
 * acquirer's key). The try that gave an authorisation its answer is left for whoever
 * settles the payment to write in the settlement's own statement (a round trip and a commit
 * fewer per payment). Losing it with a crash before that commit loses nothing: the reconciler
 * then asks the acquirer (the simulator's ledger, or an http acquirer by the attempt's id,
 * recorded before the card was sent).
 */
export interface AttemptRecord {
  id: string;
  paymentId: string;
  acquirerId: string;
  outcome: 'approved' | 'declined' | 'not_processed' | 'unknown' | 'error' | 'skipped';
  declineCode: string | null;
  error: string | null;
  httpStatus: number | null;
  durationMs: number;
  acquirerReference: string | null;
}

/**
 * `acquirerId`: which acquirer answered, set by the router (the adapters below it leave it out).
 * `attempt`: an authorisation's answering try, for the settlement to record (see AttemptRecord).
 */
export type BankOutcome =
  | { kind: 'approved'; bankReference: string; acquirerId?: string; attempt?: AttemptRecord }
  | { kind: 'declined'; bankReference: string | null; declineCode: string; acquirerId?: string; attempt?: AttemptRecord }
  | { kind: 'failed'; failureReason: string; acquirerId?: string; attempt?: AttemptRecord };

/**
 * No answer in time, or a transport failure: the bank may or may not have acted. The caller
 * leaves the operation in progress for the reconciler, which asks the same bank again; never a
 * guess, never another bank.
 */
export type UnknownOutcome = { kind: 'unknown'; reason: string };

/** What the bank knows of an operation when asked again. */
export type BankStatus = BankOutcome | { kind: 'processing' } | { kind: 'not_found' };

/** One operation at the bank; its key is the idempotency key the bank receives. */
export type BankOperationRef =
  | { kind: 'authorization'; paymentId: string }
  | { kind: 'capture'; paymentId: string }
  | { kind: 'void'; paymentId: string }
  | { kind: 'refund'; refundId: string };

export function operationKey(operation: BankOperationRef): string {
  switch (operation.kind) {
    case 'authorization':
      return operation.paymentId;
    case 'capture':
    case 'void':
      return `${operation.paymentId}/${operation.kind}`;
    case 'refund':
      return operation.refundId;
  }
}

/**
 * The port through which payments reach a bank. Every call carries the gateway's id for the
 * operation, so that sending it twice never moves money twice. The one payments see (the
 * router) answers every call within its deadline, `unknown` when the bank did not say; an
 * adapter below it may also just take long or throw, and the router bounds it.
 */
export interface BankGateway {
  /**
   * The tries an authorisation will begin with, when one must be recorded before the card is
   * sent (see TryPlan); undefined when none need be (the simulator first, or an acquirer due for
   * its probe). A bank without such tries need not offer it.
   */
  planTries?(request: Omit<AuthorizationRequest, 'card' | 'tries'>): Promise<TryPlan | undefined>;
  authorize(request: AuthorizationRequest): Promise<BankOutcome | UnknownOutcome>;
  capture(request: { paymentId: string; amount: number }): Promise<BankOutcome | UnknownOutcome>;
  void(request: { paymentId: string }): Promise<BankOutcome | UnknownOutcome>;
  refund(request: { refundId: string; paymentId: string; amount: number }): Promise<BankOutcome | UnknownOutcome>;
  getStatus(operation: BankOperationRef): Promise<BankStatus | UnknownOutcome>;
}

/** Injection token for the BankGateway port (the const and the interface share a name): the router. */
export const BankGateway = Symbol('BankGateway');

/** Injection token of the built-in simulator, the router's in-process acquirer. */
export const SimulatorBank = Symbol('SimulatorBank');
