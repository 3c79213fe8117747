import type { DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import { ApiKey } from '../auth/api-key.entity.js';
import { SimulatedOperation } from '../bank/simulator/simulated-operation.entity.js';
import { IdempotencyKey } from '../idempotency/idempotency-key.entity.js';
import { Merchant } from '../merchants/merchant.entity.js';
import { PaymentEvent } from '../payments/payment-event.entity.js';
import { Payment } from '../payments/payment.entity.js';
import { Refund } from '../payments/refund.entity.js';
import { WebhookAttempt } from '../webhooks/webhook-attempt.entity.js';
import { WebhookDelivery } from '../webhooks/webhook-delivery.entity.js';
import { WebhookEndpoint } from '../webhooks/webhook-endpoint.entity.js';
import { timedPg } from './timed-pg.js';

export const entities = [
  Merchant,
  ApiKey,
  Payment,
  PaymentEvent,
  Refund,
  IdempotencyKey,
  SimulatedOperation,
  WebhookEndpoint,
  WebhookDelivery,
  WebhookAttempt,
];

/** One definition of the connection, shared by the app and the migration CLI. */
export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    driver: timedPg,
    entities,
    migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    // The schema belongs to the reviewed SQL in migrations/, never to the entities.
    synchronize: false,
    migrationsRun: false,
    poolSize,
    extra: { connectionTimeoutMillis: 5000, application_name: 'payment-gateway' },
  };
}
