import { createHash } from 'node:crypto';
import { parseDuration } from './duration.js';

export type BankSimulatorMode = 'deterministic' | 'random';

/** The validated, typed configuration. Also the injection token for it. */
export class AppConfig {
  readonly production: boolean;
  readonly port: number;
  /** Unset: the app starts an embedded PostgreSQL and fills this in before the modules boot. */
  readonly databaseUrl: string | undefined;
  readonly embeddedDatabaseDir: string;
  readonly embeddedDatabasePort: number;
  readonly migrationsRun: boolean;
  /** Only the hash of the bootstrap admin key is kept in memory. */
  readonly adminApiKeyHash: string | undefined;
  readonly cardFingerprintSecret: string;
  readonly bankSimulatorMode: BankSimulatorMode;
  readonly bankSimulatorLatencyMs: number;
  readonly bankSimulatorApprovalRate: number;
  readonly bankTimeoutMs: number;
  readonly authorizationTtlMs: number;
  readonly databasePoolSize: number;
  /** Deadline of one statement: PostgreSQL cancels it past this, and the client gives up a second later. */
  readonly databaseStatementTimeoutMs: number;
  /** Deadline of a wait for a pool connection, connecting included. */
  readonly databasePoolTimeoutMs: number;
  /** Deadline of one Redis command; past it the request goes on uncounted. */
  readonly redisTimeoutMs: number;
  /** Failed authentications per client address per minute before that address gets 429; 0: no limit. */
  readonly authFailureLimitPerMinute: number;
  /** Express's `trust proxy`: which proxies' X-Forwarded-For names the client address. */
  readonly trustProxy: boolean | number | string[];
  /** How long an in-flight Idempotency-Key is held before a retry may reclaim it. */
  readonly idempotencyLeaseMs: number;
  /** How long a checked API key is trusted without asking the database again; 0: ask every time. */
  readonly apiKeyCacheTtlMs: number;
  readonly logLevel: LogLevel;
  /** Background loops (reconciler, expiry sweeper, purge); off only in tests that drive them by hand. */
  readonly workersEnabled: boolean;
  readonly reconcilerIntervalMs: number;
  readonly reconcilerBackoffBaseMs: number;
  readonly reconcilerBackoffMaxMs: number;
  readonly expirySweepIntervalMs: number;
  readonly idempotencyKeyTtlMs: number;
  readonly idempotencyPurgeIntervalMs: number;
  readonly logFormat: 'json' | 'text';
  readonly metricsToken: string | undefined;
  readonly rateLimitPerKey: number;
  readonly redisUrl: string | undefined;
  readonly corsOrigins: string[];
  /** How long a stopping instance keeps serving while it reports not-ready. */
  readonly shutdownDelayMs: number;
  readonly webhooksAllowHttp: boolean;
  readonly webhooksAllowPrivate: boolean;
  readonly webhookTimeoutMs: number;
  readonly webhookWorkerIntervalMs: number;
  /** Multiplies the retry schedule: 1 in production, small in tests. */
  readonly webhookRetryScale: number;

  constructor(values: AppConfig) {
    Object.assign(this, values);
  }

  withDatabaseUrl(databaseUrl: string): AppConfig {
    return new AppConfig({ ...this, databaseUrl });
  }
}

export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A configuration value the app refuses to start with; the message names the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

function redisUrl(value: string | undefined): string | undefined {
  if (value !== undefined && !/^rediss?:\/\/.+/.test(value)) throw new ConfigError('REDIS_URL', 'must be a redis:// or rediss:// URL');
  return value;
}

/** `false`, a hop count, or addresses and subnets (`loopback, 10.0.0.0/8`), as Express takes them. */
function trustProxy(value: string | undefined): boolean | number | string[] {
  if (value === undefined || value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  const list = value.split(',').map((part) => part.trim()).filter(Boolean);
  if (list.length === 0 || list.some((part) => !/^[0-9a-fA-F.:/]+$|^(loopback|linklocal|uniquelocal)$/.test(part))) {
    throw new ConfigError('TRUST_PROXY', `must be false, a hop count, or a comma-separated list of addresses, subnets, loopback, linklocal or uniquelocal (got "${value}")`);
  }
  return list;
}

const DEV_FINGERPRINT_SECRET = 'dev-only-card-fingerprint-secret-change-me';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Reads and validates the environment; throws a ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw) || value < min || value > max) {
      throw new ConfigError(name, `must be an integer from ${min} to ${max} (got "${raw}")`);
    }
    return value;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    throw new ConfigError(name, `must be "true" or "false" (got "${raw}")`);
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = read(name) ?? fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      throw new ConfigError(name, `must be one of ${allowed.join(', ')} (got "${raw}")`);
    }
    return raw as T;
  };

  const nodeEnv = read('NODE_ENV');
  const production = nodeEnv === 'production';

  const databaseUrl = read('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\/.+/.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must be a postgres:// or postgresql:// URL');
  }

  const adminApiKey = read('ADMIN_API_KEY');
  if (adminApiKey !== undefined && adminApiKey.length < 24) {
    throw new ConfigError('ADMIN_API_KEY', 'must be at least 24 characters long');
  }
  if (adminApiKey === undefined && production) {
    throw new ConfigError('ADMIN_API_KEY', 'is required when NODE_ENV=production');
  }

  const fingerprintSecret = read('CARD_FINGERPRINT_SECRET');
  if (fingerprintSecret === undefined && production) {
    throw new ConfigError('CARD_FINGERPRINT_SECRET', 'is required when NODE_ENV=production');
  }
  if (fingerprintSecret !== undefined && fingerprintSecret.length < 16) {
    throw new ConfigError('CARD_FINGERPRINT_SECRET', 'must be at least 16 characters long');
  }

  const approvalRateRaw = read('BANK_SIMULATOR_APPROVAL_RATE');
  const approvalRate = approvalRateRaw === undefined ? 0.8 : Number(approvalRateRaw);
  if (!Number.isFinite(approvalRate) || approvalRate < 0 || approvalRate > 1) {
    throw new ConfigError('BANK_SIMULATOR_APPROVAL_RATE', `must be a number from 0 to 1 (got "${approvalRateRaw}")`);
  }

  const ttlRaw = read('AUTHORIZATION_TTL') ?? '7d';
  const authorizationTtlMs = parseDuration(ttlRaw);
  if (authorizationTtlMs === undefined || authorizationTtlMs <= 0) {
    throw new ConfigError('AUTHORIZATION_TTL', `must be a duration such as 7d, 36h, 90m or 30s (got "${ttlRaw}")`);
  }

  const fraction = (name: string, fallback: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0 || value > 1) throw new ConfigError(name, `must be a number above 0, at most 1 (got "${raw}")`);
    return value;
  };

  const duration = (name: string, fallback: string, minMs: number): number => {
    const raw = read(name) ?? fallback;
    const ms = parseDuration(raw);
    if (ms === undefined || ms < minMs) {
      throw new ConfigError(name, `must be a duration of at least ${minMs} ms, such as 24h or 30s (got "${raw}")`);
    }
    return ms;
  };

  const metricsToken = read('METRICS_TOKEN');
  if (metricsToken === undefined && production) {
    throw new ConfigError('METRICS_TOKEN', 'is required when NODE_ENV=production');
  }

  const bankTimeoutMs = int('BANK_TIMEOUT_MS', 5000, 1, 600_000);
  const idempotencyLeaseMs = int('IDEMPOTENCY_LEASE_MS', 60_000, 1000, 86_400_000);
  if (idempotencyLeaseMs <= bankTimeoutMs) {
    throw new ConfigError('IDEMPOTENCY_LEASE_MS', `must be above BANK_TIMEOUT_MS (${bankTimeoutMs}): a request still waiting for the bank holds its key`);
  }

  return new AppConfig({
    production,
    port: int('PORT', 3000, 0, 65535),
    databaseUrl,
    embeddedDatabaseDir: read('EMBEDDED_DATABASE_DIR') ?? './.data/postgres',
    embeddedDatabasePort: int('EMBEDDED_DATABASE_PORT', 54329, 1024, 65535),
    migrationsRun: bool('MIGRATIONS_RUN', false),
    adminApiKeyHash: adminApiKey === undefined ? undefined : hashApiKey(adminApiKey),
    cardFingerprintSecret: fingerprintSecret ?? DEV_FINGERPRINT_SECRET,
    bankSimulatorMode: oneOf('BANK_SIMULATOR_MODE', ['deterministic', 'random'], 'deterministic'),
    bankSimulatorLatencyMs: int('BANK_SIMULATOR_LATENCY_MS', 0, 0, 600_000),
    bankSimulatorApprovalRate: approvalRate,
    bankTimeoutMs,
    authorizationTtlMs,
    databasePoolSize: int('DATABASE_POOL_SIZE', 10, 1, 1000),
    databaseStatementTimeoutMs: int('DATABASE_STATEMENT_TIMEOUT_MS', 5000, 100, 600_000),
    databasePoolTimeoutMs: int('DATABASE_POOL_TIMEOUT_MS', 2000, 100, 600_000),
    redisTimeoutMs: int('REDIS_TIMEOUT_MS', 50, 1, 10_000),
    authFailureLimitPerMinute: int('AUTH_FAILURE_LIMIT_PER_MINUTE', 30, 0, 1_000_000),
    trustProxy: trustProxy(read('TRUST_PROXY')),
    idempotencyLeaseMs,
    apiKeyCacheTtlMs: int('API_KEY_CACHE_TTL_MS', 30_000, 0, 3_600_000),
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, 'log'),
    workersEnabled: bool('WORKERS_ENABLED', true),
    reconcilerIntervalMs: int('RECONCILER_INTERVAL_MS', 1000, 10, 3_600_000),
    reconcilerBackoffBaseMs: int('RECONCILER_BACKOFF_BASE_MS', 1000, 1, 3_600_000),
    reconcilerBackoffMaxMs: int('RECONCILER_BACKOFF_MAX_MS', 300_000, 1, 86_400_000),
    expirySweepIntervalMs: int('EXPIRY_SWEEP_INTERVAL_MS', 60_000, 10, 86_400_000),
    // The contract promises at least 24 hours.
    idempotencyKeyTtlMs: duration('IDEMPOTENCY_KEY_TTL', '24h', 24 * 3_600_000),
    idempotencyPurgeIntervalMs: int('IDEMPOTENCY_PURGE_INTERVAL_MS', 3_600_000, 10, 86_400_000),
    logFormat: oneOf('LOG_FORMAT', ['json', 'text'], production ? 'json' : 'text'),
    metricsToken,
    rateLimitPerKey: int('RATE_LIMIT_PER_KEY', 100, 0, 1_000_000),
    redisUrl: redisUrl(read('REDIS_URL')),
    corsOrigins: (read('CORS_ORIGINS') ?? '').split(',').map((origin) => origin.trim()).filter(Boolean),
    shutdownDelayMs: int('SHUTDOWN_DELAY_MS', 0, 0, 120_000),
    webhooksAllowHttp: bool('WEBHOOKS_ALLOW_HTTP', !production),
    webhooksAllowPrivate: bool('WEBHOOKS_ALLOW_PRIVATE', !production),
    webhookTimeoutMs: int('WEBHOOK_TIMEOUT_MS', 10_000, 1, 60_000),
    webhookWorkerIntervalMs: int('WEBHOOK_WORKER_INTERVAL_MS', 1000, 10, 3_600_000),
    webhookRetryScale: fraction('WEBHOOK_RETRY_SCALE', 1),
  } as AppConfig);
}
