import type { DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import { Acquirer } from '../acquirers/acquirer.entity.js';
import { MerchantRouting } from '../acquirers/merchant-routing.entity.js';
import { PaymentAttempt } from '../acquirers/payment-attempt.entity.js';
import { ApiKey } from '../auth/api-key.entity.js';
import { IdempotencyKey } from '../idempotency/idempotency-key.entity.js';
import { Merchant } from '../merchants/merchant.entity.js';
import { PaymentEvent } from '../payments/payment-event.entity.js';
import { Payment } from '../payments/payment.entity.js';
import { Refund } from '../payments/refund.entity.js';
import { WebhookAttempt } from '../webhooks/webhook-attempt.entity.js';
import { WebhookDelivery } from '../webhooks/webhook-delivery.entity.js';
import { WebhookEndpoint } from '../webhooks/webhook-endpoint.entity.js';
import { Session, SignInFailure } from '../sessions/session.entity.js';
import { User } from '../users/user.entity.js';
import { AuditEvent } from '../audit/audit-event.entity.js';
import { timedPg } from './timed-pg.js';

export const entities = [
  Merchant,
  ApiKey,
  Payment,
  PaymentEvent,
  Refund,
  IdempotencyKey,
  WebhookEndpoint,
  WebhookDelivery,
  WebhookAttempt,
  Acquirer,
  MerchantRouting,
  PaymentAttempt,
  User,
  Session,
  SignInFailure,
  AuditEvent,
];

/** Deadlines of the app's own connections; the migration CLI and the start-up migration have none. */
export interface DatabaseDeadlines {
  /** PostgreSQL cancels a statement past this (statement_timeout). */
  statementTimeoutMs: number;
  /** A wait for a pool connection, connecting included. */
  poolTimeoutMs: number;
}

/**
 * Past the server's own statement_timeout, how long the client still waits before it gives up
 * on a server that does not answer at all (frozen, partitioned): the server's cancellation is
 * the clean way out, this the last resort.
 */
export const CLIENT_GRACE_MS = 1000;

/** One definition of the connection, shared by the app and the migration CLI. */
export function dataSourceOptions(url: string, poolSize = 10, deadlines?: DatabaseDeadlines): DataSourceOptions {
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
    extra: {
      application_name: 'payment-gateway',
      keepAlive: true,
      connectionTimeoutMillis: deadlines?.poolTimeoutMs ?? 5000,
      ...(deadlines && {
        statement_timeout: deadlines.statementTimeoutMs,
        query_timeout: deadlines.statementTimeoutMs + CLIENT_GRACE_MS,
      }),
    },
  };
}
