import { acquirersConfig } from '../acquirers/acquirers.config.js';
import { appConfig, nodeEnv } from '../app.config.js';
import { authConfig } from '../auth/auth.config.js';
import { bankConfig } from '../bank/bank.config.js';
import { databaseConfig } from '../database/database.config.js';
import { idempotencyConfig } from '../idempotency/idempotency.config.js';
import { loggingConfig } from '../logging/logging.config.js';
import { metricsConfig } from '../metrics/metrics.config.js';
import { paymentsConfig } from '../payments/payments.config.js';
import { rateLimitConfig } from '../rate-limit/rate-limit.config.js';
import { sessionsConfig } from '../sessions/sessions.config.js';
import { webhooksConfig } from '../webhooks/webhooks.config.js';
import { ConfigError } from './config-error.js';
import { inspect } from 'node:util';
import { readSchema, readVariable, redacted, type Schema, type ValuesOf } from './schema.js';

export { hashApiKey } from '../auth/api-key-hash.js';
export { type BankSimulatorMode } from '../bank/bank.config.js';
export { LOG_LEVELS, type LogLevel } from '../logging/logging.config.js';
export { ConfigError } from './config-error.js';

/** Every variable, each declared by the module that uses it; read in this order (the admin key's error comes first). */
export const CONFIG_SCHEMA = {
  ...appConfig,
  ...databaseConfig,
  ...authConfig,
  ...paymentsConfig,
  ...bankConfig,
  ...idempotencyConfig,
  ...loggingConfig,
  ...metricsConfig,
  ...rateLimitConfig,
  ...webhooksConfig,
  ...acquirersConfig,
  ...sessionsConfig,
} satisfies Schema;

export type ConfigValues = ValuesOf<typeof CONFIG_SCHEMA>;

// The class is the injection token; its properties are the schema's values, typed from it, so
// a variable missing from the schema, or of another type, fails to compile where it is used.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface AppConfig extends ConfigValues {}

/** The validated, typed configuration. Also the injection token for it. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class AppConfig {
  constructor(values: ConfigValues) {
    Object.assign(this, values);
  }

  withDatabaseUrl(databaseUrl: string): AppConfig {
    return new AppConfig({ ...this, databaseUrl });
  }

  /** Logged or printed, the configuration shows no secret. */
  toJSON(): Record<string, unknown> {
    return redacted(CONFIG_SCHEMA, this);
  }

  [inspect.custom](): Record<string, unknown> {
    return this.toJSON();
  }
}

/** Reads and validates the environment; throws a ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const values = readSchema(CONFIG_SCHEMA, env, readVariable(nodeEnv, env, false));
  if (values.idempotencyLeaseMs <= values.bankTimeoutMs) {
    throw new ConfigError(
      CONFIG_SCHEMA.idempotencyLeaseMs.name,
      `must be above BANK_TIMEOUT_MS (${values.bankTimeoutMs}): a request still waiting for the bank holds its key`,
    );
  }
  return new AppConfig(values);
}
