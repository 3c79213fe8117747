import { bool, int, url } from '../config/parsers.js';
import { optional, variable } from '../config/schema.js';

export const databaseConfig = {
  databaseUrl: optional('DATABASE_URL', {
    description: 'URL of an external PostgreSQL. Unset: the app starts an embedded PostgreSQL and fills this in before the modules boot.',
    // It may hold a password.
    secret: true,
    // The production image carries no embedded server (it would be ~60 MB never used).
    requiredInProduction: true,
    parse: url('postgres', 'postgresql'),
  }),
  embeddedDatabaseDir: variable('EMBEDDED_DATABASE_DIR', {
    description: 'Data directory of the embedded PostgreSQL.',
    default: './.data/postgres',
    parse: (text) => text,
  }),
  embeddedDatabasePort: variable('EMBEDDED_DATABASE_PORT', {
    description: 'Port of the embedded PostgreSQL, on 127.0.0.1.',
    unit: 'port',
    default: 54329,
    parse: int(1024, 65535),
  }),
  migrationsRun: variable('MIGRATIONS_RUN', {
    description: 'With DATABASE_URL, apply pending migrations at start.',
    default: false,
    parse: bool,
  }),
  databasePoolSize: variable('DATABASE_POOL_SIZE', {
    description: "Connections in the app's pool.",
    unit: 'connections',
    default: 10,
    parse: int(1, 1000),
  }),
  databaseStatementTimeoutMs: variable('DATABASE_STATEMENT_TIMEOUT_MS', {
    description: 'Deadline of one statement: PostgreSQL cancels it past this, and the client gives up a second later.',
    unit: 'ms',
    default: 5000,
    parse: int(100, 600_000),
  }),
  databasePoolTimeoutMs: variable('DATABASE_POOL_TIMEOUT_MS', {
    description: 'Deadline of a wait for a pool connection, connecting included.',
    unit: 'ms',
    default: 2000,
    parse: int(100, 600_000),
  }),
};
