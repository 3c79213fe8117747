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
}

/** `acquirerId`: which acquirer answered, set by the router (the adapters below it leave it out). */
export type BankOutcome =
  | { kind: 'approved'; bankReference: string; acquirerId?: string }
  | { kind: 'declined'; bankReference: string | null; declineCode: string; acquirerId?: string }
  | { kind: 'failed'; failureReason: string; acquirerId?: string };

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
 * The port through which payments reach a bank; bound in BankModule. Every call carries the
 * gateway's id for the operation, so that sending it twice never moves money twice.
 */
export interface BankGateway {
  authorize(request: AuthorizationRequest): Promise<BankOutcome>;
  capture(request: { paymentId: string; amount: number }): Promise<BankOutcome>;
  void(request: { paymentId: string }): Promise<BankOutcome>;
  refund(request: { refundId: string; paymentId: string; amount: number }): Promise<BankOutcome>;
  getStatus(operation: BankOperationRef): Promise<BankStatus>;
}

/** Injection token for the BankGateway port (the const and the interface share a name): the router. */
export const BankGateway = Symbol('BankGateway');

/** Injection token of the built-in simulator, the router's in-process acquirer. */
export const SimulatorBank = Symbol('SimulatorBank');
