import { duration, int, minLength } from '../config/parsers.js';
import { variable } from '../config/schema.js';

export const paymentsConfig = {
  cardFingerprintSecret: variable('CARD_FINGERPRINT_SECRET', {
    description: 'HMAC key of card fingerprints.',
    secret: true,
    requiredInProduction: true,
    default: 'dev-only-card-fingerprint-secret-change-me',
    parse: minLength(16),
  }),
  authorizationTtlMs: variable('AUTHORIZATION_TTL', {
    description: 'How long an uncaptured authorisation lives before the expiry sweeper voids it.',
    unit: 'duration',
    default: '7d',
    parse: duration(1),
  }),
  reconcilerIntervalMs: variable('RECONCILER_INTERVAL_MS', {
    description: 'Pause between two passes of the reconciler.',
    unit: 'ms',
    default: 1000,
    parse: int(10, 3_600_000),
  }),
  reconcilerBackoffBaseMs: variable('RECONCILER_BACKOFF_BASE_MS', {
    description: "First delay of the reconciler's exponential backoff.",
    unit: 'ms',
    default: 1000,
    parse: int(1, 3_600_000),
  }),
  reconcilerBackoffMaxMs: variable('RECONCILER_BACKOFF_MAX_MS', {
    description: "Cap of the reconciler's backoff.",
    unit: 'ms',
    default: 300_000,
    parse: int(1, 86_400_000),
  }),
  expirySweepIntervalMs: variable('EXPIRY_SWEEP_INTERVAL_MS', {
    description: 'Pause between two passes of the expiry sweeper.',
    unit: 'ms',
    default: 60_000,
    parse: int(10, 86_400_000),
  }),
};
