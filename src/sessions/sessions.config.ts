import { duration, minLength } from '../config/parsers.js';
import { optional, variable } from '../config/schema.js';

export const sessionsConfig = {
  adminEmail: variable('ADMIN_EMAIL', {
    description: 'Email of the first admin user, created at the first start when no admin user exists.',
    default: 'admin@localhost',
    parse: (text) => text,
  }),
  adminPassword: optional('ADMIN_PASSWORD', {
    description: 'Password of that first admin user (12 characters or more). Unset: one is generated and printed once.',
    secret: true,
    parse: minLength(12),
  }),
  sessionIdleTimeoutMs: variable('SESSION_IDLE_TIMEOUT', {
    description: 'A console session ends after this long without a request.',
    unit: 'duration',
    default: '30m',
    parse: duration(1000),
  }),
  sessionMaxAgeMs: variable('SESSION_MAX_AGE', {
    description: 'A console session ends this long after sign-in, however busy.',
    unit: 'duration',
    default: '12h',
    parse: duration(1000),
  }),
};
