import { duration, int } from '../config/parsers.js';
import { variable } from '../config/schema.js';

export const idempotencyConfig = {
  idempotencyKeyTtlMs: variable('IDEMPOTENCY_KEY_TTL', {
    description: 'How long an Idempotency-Key is kept from its first use; the contract promises at least 24 hours.',
    unit: 'duration',
    default: '24h',
    parse: duration(24 * 3_600_000),
  }),
  idempotencyPurgeIntervalMs: variable('IDEMPOTENCY_PURGE_INTERVAL_MS', {
    description: 'Pause between two purges of expired keys.',
    unit: 'ms',
    default: 3_600_000,
    parse: int(10, 86_400_000),
  }),
  idempotencyLeaseMs: variable('IDEMPOTENCY_LEASE_MS', {
    description: 'How long an in-flight Idempotency-Key is held before a retry may reclaim it; above BANK_TIMEOUT_MS.',
    unit: 'ms',
    default: 60_000,
    parse: int(1000, 86_400_000),
  }),
};
