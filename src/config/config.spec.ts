import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { AppConfig, CONFIG_SCHEMA, ConfigError, hashApiKey, loadConfig } from './config.js';

const ADMIN_KEY = 'admin-key-0123456789abcdef'; // 26 characters
const SECRET = 'fingerprint-secret-0123456789';
const DATABASE = 'postgres://gateway@127.0.0.1:5432/gateway';

/** A value for every variable, none its default. */
const EVERY_VARIABLE: NodeJS.ProcessEnv = {
  NODE_ENV: 'production',
  PORT: '8080',
  DATABASE_URL: 'postgresql://user:pw@db:5432/gateway',
  EMBEDDED_DATABASE_DIR: '/var/lib/pg',
  EMBEDDED_DATABASE_PORT: '5555',
  MIGRATIONS_RUN: 'true',
  ADMIN_API_KEY: ADMIN_KEY,
  CARD_FINGERPRINT_SECRET: SECRET,
  BANK_SIMULATOR_MODE: 'random',
  BANK_SIMULATOR_LATENCY_MS: '250',
  BANK_SIMULATOR_DATABASE_URL: 'postgresql://bank:pw@db:5432/bank',
  ADMIN_EMAIL: 'root@example.com',
  ADMIN_PASSWORD: 'a-long-admin-password',
  SESSION_IDLE_TIMEOUT: '15m',
  SESSION_MAX_AGE: '8h',
  BANK_SIMULATOR_APPROVAL_RATE: '0.5',
  BANK_TIMEOUT_MS: '1500',
  AUTHORIZATION_TTL: '36h',
  DATABASE_POOL_SIZE: '20',
  API_KEY_CACHE_TTL_MS: '5000',
  LOG_LEVEL: 'debug',
  WORKERS_ENABLED: 'false',
  RECONCILER_INTERVAL_MS: '500',
  RECONCILER_BACKOFF_BASE_MS: '200',
  RECONCILER_BACKOFF_MAX_MS: '60000',
  EXPIRY_SWEEP_INTERVAL_MS: '30000',
  IDEMPOTENCY_KEY_TTL: '48h',
  IDEMPOTENCY_PURGE_INTERVAL_MS: '600000',
  METRICS_TOKEN: 'metrics-token',
  RATE_LIMIT_PER_KEY: '50',
  REDIS_URL: 'redis://127.0.0.1:6379',
  CORS_ORIGINS: 'https://a.example, https://b.example',
  SHUTDOWN_DELAY_MS: '5000',
  WEBHOOK_TIMEOUT_MS: '3000',
  WEBHOOK_WORKER_INTERVAL_MS: '200',
  WEBHOOK_RETRY_SCALE: '0.5',
  ACQUIRERS_ALLOW_HTTP: 'true',
  ACQUIRERS_ALLOW_PRIVATE: 'true',
  ACQUIRER_FAILURE_THRESHOLD: '3',
  ACQUIRER_COOLDOWN: '2m',
  DATABASE_STATEMENT_TIMEOUT_MS: '3000',
  DATABASE_POOL_TIMEOUT_MS: '1000',
  REDIS_TIMEOUT_MS: '20',
  AUTH_FAILURE_LIMIT_PER_MINUTE: '10',
  TRUST_PROXY: 'loopback, 10.0.0.0/8',
  IDEMPOTENCY_LEASE_MS: '120000',
  LOG_FORMAT: 'text',
  WEBHOOKS_ALLOW_HTTP: 'true',
  WEBHOOKS_ALLOW_PRIVATE: 'true',
};

/** The ConfigError loadConfig throws for env; fails the test when it does not throw one. */
function configErrorFor(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe(loadConfig.name, () => {
  it('applies the defaults to an empty environment', () => {
    const config = loadConfig({});
    expect(config).toBeInstanceOf(AppConfig);
    expect({ ...config }).toEqual({
      production: false,
      acquirersAllowHttp: true,
      acquirersAllowPrivate: true,
      acquirerFailureThreshold: 5,
      acquirerCooldownMs: 30_000,
      port: 3000,
      databaseUrl: undefined,
      embeddedDatabaseDir: './.data/postgres',
      embeddedDatabasePort: 54329,
      migrationsRun: false,
      adminApiKeyHash: undefined,
      cardFingerprintSecret: expect.any(String),
      bankSimulatorMode: 'deterministic',
      bankSimulatorLatencyMs: 0,
      bankSimulatorDatabaseUrl: undefined,
      adminEmail: 'admin@localhost',
      adminPassword: undefined,
      sessionIdleTimeoutMs: 30 * 60_000,
      sessionMaxAgeMs: 12 * 3_600_000,
      bankSimulatorApprovalRate: 0.8,
      bankTimeoutMs: 5000,
      authorizationTtlMs: 7 * 24 * 3_600_000,
      databasePoolSize: 10,
      databaseStatementTimeoutMs: 5000,
      databasePoolTimeoutMs: 2000,
      redisTimeoutMs: 50,
      authFailureLimitPerMinute: 30,
      trustProxy: false,
      idempotencyLeaseMs: 60_000,
      apiKeyCacheTtlMs: 30_000,
      logLevel: 'log',
      workersEnabled: true,
      reconcilerIntervalMs: 1000,
      reconcilerBackoffBaseMs: 1000,
      reconcilerBackoffMaxMs: 300_000,
      expirySweepIntervalMs: 60_000,
      idempotencyKeyTtlMs: 24 * 3_600_000,
      idempotencyPurgeIntervalMs: 3_600_000,
      logFormat: 'text',
      metricsToken: undefined,
      rateLimitPerKey: 100,
      redisUrl: undefined,
      corsOrigins: [],
      shutdownDelayMs: 0,
      webhooksAllowHttp: true,
      webhooksAllowPrivate: true,
      webhookTimeoutMs: 10_000,
      webhookWorkerIntervalMs: 1000,
      webhookRetryScale: 1,
    });
    expect(config.cardFingerprintSecret.length).toBeGreaterThanOrEqual(16);
  });

  it('treats empty and blank variables as unset', () => {
    const config = loadConfig({ PORT: '', LOG_LEVEL: '   ', ADMIN_API_KEY: '' });
    expect(config.port).toBe(3000);
    expect(config.logLevel).toBe('log');
    expect(config.adminApiKeyHash).toBeUndefined();
  });

  it('reads every variable it knows', () => {
    const config = loadConfig(EVERY_VARIABLE);
    expect({ ...config }).toEqual({
      production: true,
      acquirersAllowHttp: true,
      acquirersAllowPrivate: true,
      acquirerFailureThreshold: 3,
      acquirerCooldownMs: 120_000,
      port: 8080,
      databaseUrl: 'postgresql://user:pw@db:5432/gateway',
      embeddedDatabaseDir: '/var/lib/pg',
      embeddedDatabasePort: 5555,
      migrationsRun: true,
      adminApiKeyHash: hashApiKey(ADMIN_KEY),
      cardFingerprintSecret: SECRET,
      bankSimulatorMode: 'random',
      bankSimulatorLatencyMs: 250,
      bankSimulatorDatabaseUrl: 'postgresql://bank:pw@db:5432/bank',
      adminEmail: 'root@example.com',
      adminPassword: 'a-long-admin-password',
      sessionIdleTimeoutMs: 15 * 60_000,
      sessionMaxAgeMs: 8 * 3_600_000,
      bankSimulatorApprovalRate: 0.5,
      bankTimeoutMs: 1500,
      authorizationTtlMs: 36 * 3_600_000,
      databasePoolSize: 20,
      databaseStatementTimeoutMs: 3000,
      databasePoolTimeoutMs: 1000,
      redisTimeoutMs: 20,
      authFailureLimitPerMinute: 10,
      trustProxy: ['loopback', '10.0.0.0/8'],
      idempotencyLeaseMs: 120_000,
      apiKeyCacheTtlMs: 5000,
      logLevel: 'debug',
      workersEnabled: false,
      reconcilerIntervalMs: 500,
      reconcilerBackoffBaseMs: 200,
      reconcilerBackoffMaxMs: 60_000,
      expirySweepIntervalMs: 30_000,
      idempotencyKeyTtlMs: 48 * 3_600_000,
      idempotencyPurgeIntervalMs: 600_000,
      logFormat: 'text',
      metricsToken: 'metrics-token',
      rateLimitPerKey: 50,
      redisUrl: 'redis://127.0.0.1:6379',
      corsOrigins: ['https://a.example', 'https://b.example'],
      shutdownDelayMs: 5000,
      webhooksAllowHttp: true,
      webhooksAllowPrivate: true,
      webhookTimeoutMs: 3000,
      webhookWorkerIntervalMs: 200,
      webhookRetryScale: 0.5,
    });
  });

  it('defaults to JSON logs and to https, public webhook URLs only in production', () => {
    const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: DATABASE, ADMIN_API_KEY: ADMIN_KEY, CARD_FINGERPRINT_SECRET: SECRET, METRICS_TOKEN: 'metrics-token' });
    expect(config).toMatchObject({ logFormat: 'json', webhooksAllowHttp: false, webhooksAllowPrivate: false });
  });

  it('is given every variable of the schema by the test above', () => {
    expect(Object.keys(EVERY_VARIABLE).sort()).toEqual(Object.values(CONFIG_SCHEMA).map((variable) => variable.name).sort());
  });

  it('declares each variable once', () => {
    const names = Object.values(CONFIG_SCHEMA).map((variable) => variable.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each<[string, boolean | number | string[]]>([
    ['false', false],
    ['2', 2],
    ['loopback', ['loopback']],
    ['10.0.0.0/8,  ::1 , uniquelocal', ['10.0.0.0/8', '::1', 'uniquelocal']],
  ])('TRUST_PROXY=%s is %j', (raw, expected) => {
    expect(loadConfig({ TRUST_PROXY: raw }).trustProxy).toEqual(expected);
  });

  it.each<[string, string]>([
    ['ADMIN_API_KEY', 'short-admin-key'],
    ['CARD_FINGERPRINT_SECRET', 'short-secret'],
    ['DATABASE_URL', 'mysql://user:hunter2@localhost/db'],
    ['REDIS_URL', 'http://:hunter2@localhost:6379'],
  ])('never quotes the value of the secret %s in its error', (variable, value) => {
    const error = configErrorFor({ [variable]: value });
    expect(error.variable).toBe(variable);
    expect(error.message).not.toContain(value);
    expect(error.message).not.toContain('hunter2');
  });

  it('says why IDEMPOTENCY_LEASE_MS must be above BANK_TIMEOUT_MS', () => {
    expect(configErrorFor({ BANK_TIMEOUT_MS: '60000' }).message).toBe(
      'IDEMPOTENCY_LEASE_MS must be above BANK_TIMEOUT_MS (60000): a request still waiting for the bank holds its key',
    );
  });

  it.each([
    ['1', true],
    ['true', true],
    ['0', false],
    ['false', false],
  ])('MIGRATIONS_RUN=%s is %s', (raw, expected) => {
    expect(loadConfig({ MIGRATIONS_RUN: raw }).migrationsRun).toBe(expected);
  });

  it('accepts postgres:// as well as postgresql://', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://localhost/db' }).databaseUrl).toBe('postgres://localhost/db');
  });

  it.each<[string, NodeJS.ProcessEnv]>([
    ['PORT', { PORT: 'abc' }],
    ['IDEMPOTENCY_KEY_TTL', { IDEMPOTENCY_KEY_TTL: '12h' }],
    ['WORKERS_ENABLED', { WORKERS_ENABLED: 'sometimes' }],
    ['REDIS_URL', { REDIS_URL: 'localhost:6379' }],
    ['LOG_FORMAT', { LOG_FORMAT: 'xml' }],
    ['WEBHOOK_RETRY_SCALE', { WEBHOOK_RETRY_SCALE: '2' }],
    ['PORT', { PORT: '65536' }],
    ['PORT', { PORT: '-1' }],
    ['PORT', { PORT: '80.5' }],
    ['EMBEDDED_DATABASE_PORT', { EMBEDDED_DATABASE_PORT: '80' }],
    ['BANK_SIMULATOR_MODE', { BANK_SIMULATOR_MODE: 'bogus' }],
    ['BANK_SIMULATOR_APPROVAL_RATE', { BANK_SIMULATOR_APPROVAL_RATE: '1.5' }],
    ['BANK_SIMULATOR_APPROVAL_RATE', { BANK_SIMULATOR_APPROVAL_RATE: 'half' }],
    ['BANK_TIMEOUT_MS', { BANK_TIMEOUT_MS: '0' }],
    ['MIGRATIONS_RUN', { MIGRATIONS_RUN: 'maybe' }],
    ['AUTHORIZATION_TTL', { AUTHORIZATION_TTL: '7x' }],
    ['AUTHORIZATION_TTL', { AUTHORIZATION_TTL: '0d' }],
    ['ADMIN_API_KEY', { ADMIN_API_KEY: 'x'.repeat(23) }],
    ['CARD_FINGERPRINT_SECRET', { CARD_FINGERPRINT_SECRET: 'short' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://user:pw@localhost/db' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'trace' }],
    ['DATABASE_URL', { NODE_ENV: 'production', ADMIN_API_KEY: ADMIN_KEY, CARD_FINGERPRINT_SECRET: SECRET, METRICS_TOKEN: 'metrics-token' }],
    ['ADMIN_API_KEY', { NODE_ENV: 'production', DATABASE_URL: DATABASE, CARD_FINGERPRINT_SECRET: SECRET }],
    ['CARD_FINGERPRINT_SECRET', { NODE_ENV: 'production', DATABASE_URL: DATABASE, ADMIN_API_KEY: ADMIN_KEY }],
    ['METRICS_TOKEN', { NODE_ENV: 'production', DATABASE_URL: DATABASE, ADMIN_API_KEY: ADMIN_KEY, CARD_FINGERPRINT_SECRET: SECRET }],
    ['IDEMPOTENCY_LEASE_MS', { BANK_TIMEOUT_MS: '60000' }],
    ['TRUST_PROXY', { TRUST_PROXY: 'everyone' }],
  ])('refuses with a ConfigError naming %s: %j', (variable, env) => {
    const error = configErrorFor(env);
    expect(error.variable).toBe(variable);
    expect(error.name).toBe('ConfigError');
    expect(error.message.startsWith(`${variable} `)).toBe(true);
  });

  it('quotes the bad value in the message', () => {
    expect(configErrorFor({ PORT: 'abc' }).message).toBe('PORT must be an integer from 0 to 65535 (got "abc")');
  });

  it('accepts an ADMIN_API_KEY of exactly 24 characters', () => {
    expect(loadConfig({ ADMIN_API_KEY: 'x'.repeat(24) }).adminApiKeyHash).toBe(hashApiKey('x'.repeat(24)));
  });

  it('starts in production with the database and the secrets set', () => {
    const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: DATABASE, ADMIN_API_KEY: ADMIN_KEY, CARD_FINGERPRINT_SECRET: SECRET, METRICS_TOKEN: 'metrics-token' });
    expect(config.production).toBe(true);
    expect(config.cardFingerprintSecret).toBe(SECRET);
  });

  it('keeps only the sha256 hex hash of the admin key, never the key itself', () => {
    const config = loadConfig({ ADMIN_API_KEY: ADMIN_KEY });
    expect(config.adminApiKeyHash).toBe(createHash('sha256').update(ADMIN_KEY).digest('hex'));
    expect(config.adminApiKeyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(config)).not.toContain(ADMIN_KEY);
  });
});

describe('AppConfig, printed', () => {
  const config = loadConfig({ ...EVERY_VARIABLE, REDIS_URL: 'redis://:redis-password@127.0.0.1:6379' });
  const secrets = [SECRET, 'metrics-token', 'user:pw@db', 'redis-password', hashApiKey(ADMIN_KEY)];

  it.each([
    ['JSON.stringify', JSON.stringify(config)],
    ['util.inspect', inspect(config)],
  ])('through %s shows no secret, and every other value', (_how, printed) => {
    for (const secret of secrets) expect(printed).not.toContain(secret);
    expect(printed).toContain('[secret]');
    expect(printed).toContain('https://b.example');
    expect(printed).toContain('120000');
  });
});

describe(AppConfig.prototype.withDatabaseUrl.name, () => {
  it('returns a copy with the URL set and leaves the original alone', () => {
    const original = loadConfig({ PORT: '4000' });
    const copy = original.withDatabaseUrl('postgres://localhost:1234/db');
    expect(copy).toBeInstanceOf(AppConfig);
    expect(copy.databaseUrl).toBe('postgres://localhost:1234/db');
    expect(copy.port).toBe(4000);
    expect(original.databaseUrl).toBeUndefined();
  });
});
