import { bool, duration, int } from '../config/parsers.js';
import { variable } from '../config/schema.js';

export const acquirersConfig = {
  acquirersAllowHttp: variable('ACQUIRERS_ALLOW_HTTP', {
    description: 'Accept http:// acquirer base URLs besides https://.',
    default: (production) => !production,
    parse: bool,
  }),
  acquirersAllowPrivate: variable('ACQUIRERS_ALLOW_PRIVATE', {
    description: 'Accept acquirer base URLs that point to loopback, private or link-local addresses.',
    default: (production) => !production,
    parse: bool,
  }),
  acquirerFailureThreshold: variable('ACQUIRER_FAILURE_THRESHOLD', {
    description: 'Consecutive not-processed or unknown attempts that take an acquirer down.',
    unit: 'count',
    default: 5,
    parse: int(1, 1000),
  }),
  acquirerCooldownMs: variable('ACQUIRER_COOLDOWN', {
    description: 'How long a down acquirer is skipped before one payment probes it.',
    unit: 'duration',
    default: '30s',
    parse: duration(1),
  }),
};
