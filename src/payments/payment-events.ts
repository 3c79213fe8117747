import { newId } from '../common/ids.js';
import { PaymentEventResponse } from './dto/payment-actions.dto.js';
import { PaymentResponse } from './dto/payment.response.js';
import { RefundResponse } from './dto/refund.response.js';
import type { PaymentEvent } from './payment-event.entity.js';
import type { Payment } from './payment.entity.js';
import type { Refund } from './refund.entity.js';

/** The event recording a change of the payment, carrying the payment as it is after it. */
export function paymentEvent(type: string, payment: Payment): PaymentEvent {
  return {
    id: newId('event'),
    paymentId: payment.id,
    merchantId: payment.merchantId,
    type,
    data: { object: PaymentResponse.from(payment) },
    createdAt: payment.updatedAt,
  };
}

/** `refund.succeeded` / `refund.failed`, carrying the refund. */
export function refundEvent(type: string, refund: Refund, payment: Payment): PaymentEvent {
  return {
    id: newId('event'),
    paymentId: refund.paymentId,
    merchantId: refund.merchantId,
    type,
    data: { object: RefundResponse.from(refund, payment.livemode) },
    createdAt: refund.updatedAt,
  };
}

/** An event has no mode of its own: it takes its payment's. */
export function toEventResponse(event: PaymentEvent, livemode: boolean): PaymentEventResponse {
  return { id: event.id, type: event.type, created_at: event.createdAt.toISOString(), livemode, data: event.data };
}

/** Every event type a payment's history (and a webhook endpoint's filter) can name. */
export const EVENT_TYPES = [
  'payment.created',
  'payment.authorized',
  'payment.captured',
  'payment.declined',
  'payment.failed',
  'payment.voided',
  'payment.expired',
  'payment.archived',
  'refund.succeeded',
  'refund.failed',
] as const;
