import { InvalidValue, variable, type Parser } from './config/schema.js';
import { bool, int, list } from './config/parsers.js';

/** `false`, a hop count, or addresses and subnets (`loopback, 10.0.0.0/8`), as Express takes them. */
const trustProxy: Parser<boolean | number | string[]> = (text) => {
  if (text === 'false') return false;
  if (/^\d+$/.test(text)) return Number(text);
  const items = list(text);
  if (items.length === 0 || items.some((item) => !/^[0-9a-fA-F.:/]+$|^(loopback|linklocal|uniquelocal)$/.test(item))) {
    throw new InvalidValue('must be false, a hop count, or a comma-separated list of addresses, subnets, loopback, linklocal or uniquelocal');
  }
  return items;
};

/** NODE_ENV on its own: the other variables' defaults depend on it. */
export const nodeEnv = variable('NODE_ENV', {
  description: '`production` makes DATABASE_URL, ADMIN_API_KEY, CARD_FINGERPRINT_SECRET and METRICS_TOKEN required and changes some defaults.',
  default: '',
  parse: (text) => text === 'production',
});

export const appConfig = {
  production: nodeEnv,
  port: variable('PORT', { description: 'HTTP port.', unit: 'port', default: 3000, parse: int(0, 65535) }),
  corsOrigins: variable('CORS_ORIGINS', {
    description: 'Comma-separated origins allowed to call the API from a browser; unset: CORS off.',
    default: '',
    parse: list,
  }),
  trustProxy: variable('TRUST_PROXY', {
    description: "Express's `trust proxy`: which proxies' X-Forwarded-For names the client address.",
    default: false,
    parse: trustProxy,
  }),
  shutdownDelayMs: variable('SHUTDOWN_DELAY_MS', {
    description: 'How long a stopping instance keeps serving while it reports not-ready.',
    unit: 'ms',
    default: 0,
    parse: int(0, 120_000),
  }),
  workersEnabled: variable('WORKERS_ENABLED', {
    description: 'Background loops (reconciler, expiry sweeper, purge, webhook dispatcher); off only where another instance runs them, or in tests that drive them by hand.',
    default: true,
    parse: bool,
  }),
};
