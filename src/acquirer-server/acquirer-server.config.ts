import { int, minLength, oneOf } from '../config/parsers.js';
import { optional, readSchema, variable, type ValuesOf } from '../config/schema.js';
import { MODES } from './control.js';

/**
 * The acquirer server's own variables: a separate program from the gateway, so they are not
 * part of the gateway's CONFIG_SCHEMA (nor its README table); they share its parsers and its
 * error messages.
 */
export const ACQUIRER_SERVER_SCHEMA = {
  port: variable('ACQUIRER_PORT', { description: 'The port the acquirer server listens on.', unit: 'port', default: 4100, parse: int(0, 65535) }),
  apiKey: variable('ACQUIRER_API_KEY', {
    description: 'The bearer key every call must carry (what the gateway stores as the acquirer\'s api_key).',
    secret: true,
    requiredInProduction: true,
    default: 'acq_test_key',
    parse: minLength(8),
  }),
  mode: variable('ACQUIRER_MODE', {
    description: 'The outage switch at start: normal, slow, down, failing, reset or soft_decline.',
    default: 'normal',
    parse: oneOf(MODES),
  }),
  latencyMs: variable('ACQUIRER_LATENCY_MS', {
    description: 'How long the slow mode waits before answering (until POST /_control sets latency_ms).',
    unit: 'ms',
    default: 3000,
    parse: int(0, 600_000),
  }),
  timeoutCardDelayMs: variable('ACQUIRER_TIMEOUT_CARD_DELAY_MS', {
    description: 'How long the timeout card (4000000000000259) waits before answering: longer than any sane gateway timeout.',
    unit: 'ms',
    default: 10_000,
    parse: int(0, 600_000),
  }),
  dataFile: optional('ACQUIRER_DATA_FILE', {
    description: 'A JSON-lines file that keeps the records across restarts; unset, they live in memory only.',
    parse: (text) => text,
  }),
} as const;

export type AcquirerServerConfig = ValuesOf<typeof ACQUIRER_SERVER_SCHEMA>;

/** Throws a ConfigError naming the first bad variable. */
export function loadAcquirerServerConfig(env: NodeJS.ProcessEnv): AcquirerServerConfig {
  return readSchema(ACQUIRER_SERVER_SCHEMA, env, env.NODE_ENV === 'production');
}
