/** What the gateway sends the bank. The card number and CVV exist only here, in memory. */
export interface AuthorizationRequest {
  /** The gateway's payment id; the bank treats it as its idempotency key. */
  paymentId: string;
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

export type BankOutcome =
  | { kind: 'approved'; bankReference: string }
  | { kind: 'declined'; bankReference: string | null; declineCode: string }
  | { kind: 'failed'; failureReason: string };

/** The port through which payments reach a bank; bound in BankModule. */
export interface BankGateway {
  authorize(request: AuthorizationRequest): Promise<BankOutcome>;
}

/** Injection token for the BankGateway port (the const and the interface share a name). */
export const BankGateway = Symbol('BankGateway');
