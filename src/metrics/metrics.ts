import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The gateway's metrics, on their own registry. Defined once per process: code that records
 * (the request middleware, the bank call, settlement, webhooks) imports them directly.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'gateway_' });

export const httpRequestDuration = new Histogram({
  name: 'gateway_http_request_duration_seconds',
  help: 'HTTP request duration by route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const paymentsByStatus = new Counter({
  name: 'gateway_payments_total',
  help: 'Payments reaching each status (a payment counts once per status it reaches)',
  labelNames: ['status'] as const,
  registers: [registry],
});

export const bankCallDuration = new Histogram({
  name: 'gateway_bank_call_duration_seconds',
  help: 'Bank round trips by operation and outcome (approved, declined, failed, unknown)',
  labelNames: ['operation', 'outcome'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const idempotentReplays = new Counter({
  name: 'gateway_idempotent_replays_total',
  help: 'Responses replayed for a repeated Idempotency-Key',
  registers: [registry],
});

export const webhookDeliveries = new Counter({
  name: 'gateway_webhook_attempts_total',
  help: 'Webhook attempts by outcome (succeeded, retry, failed, disabled)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const rateLimited = new Counter({
  name: 'gateway_rate_limited_total',
  help: 'Requests refused with 429',
  registers: [registry],
});

/** Gauges read from the database or the pool at scrape time; set up by MetricsService. */
export const reconcilerBacklog = new Gauge({
  name: 'gateway_reconciler_backlog',
  help: 'Payments and refunds whose bank outcome is not settled yet',
  registers: [registry],
});

export const webhookQueueDepth = new Gauge({
  name: 'gateway_webhook_queue_depth',
  help: 'Webhook deliveries waiting to be sent',
  registers: [registry],
});

export const databasePool = new Gauge({
  name: 'gateway_database_pool_connections',
  help: 'Database pool connections by state (total, idle, waiting requests)',
  labelNames: ['state'] as const,
  registers: [registry],
});

export const acquirerRequests = new Histogram({
  name: 'gateway_acquirer_request_duration_seconds',
  help: 'Calls to each acquirer by operation and classified outcome (approved, declined, not_processed, unknown, error, skipped)',
  labelNames: ['acquirer', 'operation', 'outcome'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

/** 1 while this instance sends the acquirer payments, 0 while it is down (and skipped). */
export const acquirerUp = new Gauge({
  name: 'gateway_acquirer_up',
  help: "Whether this instance considers each acquirer up (1) or down (0)",
  labelNames: ['acquirer'] as const,
  registers: [registry],
});
