import { bool, decimal, int } from '../config/parsers.js';
import { variable } from '../config/schema.js';

export const webhooksConfig = {
  webhooksAllowHttp: variable('WEBHOOKS_ALLOW_HTTP', {
    description: 'Accept http:// webhook URLs besides https://.',
    default: (production) => !production,
    parse: bool,
  }),
  webhooksAllowPrivate: variable('WEBHOOKS_ALLOW_PRIVATE', {
    description: 'Accept webhook URLs that point to loopback, private or link-local addresses.',
    default: (production) => !production,
    parse: bool,
  }),
  webhookTimeoutMs: variable('WEBHOOK_TIMEOUT_MS', {
    description: 'How long one webhook attempt may take, from the address lookup to the end of the answer.',
    unit: 'ms',
    default: 10_000,
    parse: int(1, 60_000),
  }),
  webhookWorkerIntervalMs: variable('WEBHOOK_WORKER_INTERVAL_MS', {
    description: 'Pause between two passes of the webhook dispatcher.',
    unit: 'ms',
    default: 1000,
    parse: int(10, 3_600_000),
  }),
  webhookRetryScale: variable('WEBHOOK_RETRY_SCALE', {
    description: 'Multiplies the retry schedule: 1 in production, small in tests.',
    unit: 'fraction',
    default: 1,
    parse: decimal({ above: 0, max: 1 }),
  }),
};
