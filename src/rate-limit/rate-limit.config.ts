import { int, url } from '../config/parsers.js';
import { optional, variable } from '../config/schema.js';

export const rateLimitConfig = {
  rateLimitPerKey: variable('RATE_LIMIT_PER_KEY', {
    description: 'Requests per second per API key; 0: no limit.',
    unit: 'per second',
    default: 100,
    parse: int(0, 1_000_000),
  }),
  authFailureLimitPerMinute: variable('AUTH_FAILURE_LIMIT_PER_MINUTE', {
    description: 'Failed authentications per client address per minute before that address gets 429; 0: no limit.',
    unit: 'per minute',
    default: 30,
    parse: int(0, 1_000_000),
  }),
  redisUrl: optional('REDIS_URL', {
    description: 'Redis holding the counters shared by every instance; unset: each instance counts in memory.',
    // It may hold a password.
    secret: true,
    parse: url('redis', 'rediss'),
  }),
  redisTimeoutMs: variable('REDIS_TIMEOUT_MS', {
    description: 'Deadline of one Redis command; past it the request goes on uncounted.',
    unit: 'ms',
    default: 50,
    parse: int(1, 10_000),
  }),
};
