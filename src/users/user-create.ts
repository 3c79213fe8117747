import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.js';
import { SystemClock } from '../common/clock.js';
import { GatewayError } from '../common/errors.js';
import { loadConfig } from '../config/config.js';
import { dataSourceOptions } from '../database/data-source-options.js';
import { embeddedDatabaseUrl } from '../database/embedded-database-url.js';
import { Sql } from '../database/sql.js';
import { USER_ROLES, type UserRole } from './user.entity.js';
import { UsersService } from './users.service.js';

const USAGE = `Usage: npm run user:create -- --email <email> --name <name> --role <${USER_ROLES.join('|')}> [--merchant <mer_…>]

The password is USER_PASSWORD if set, otherwise generated and printed once.
Acts on DATABASE_URL, or without it on the embedded database of a running \`npm start\`.`;

/**
 * `npm run user:create`: an operator adds a person (the first admin on a database that has
 * lost theirs, a colleague) from the server's shell. The same rules as the API, and an audit
 * row naming the operator.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, merchant: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help || !values.email || !values.name || !values.role) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  if (!(USER_ROLES as readonly string[]).includes(values.role)) {
    console.error(`--role must be one of ${USER_ROLES.join(', ')}`);
    return 2;
  }
  const config = loadConfig(process.env);
  const dataSource = new DataSource(dataSourceOptions(config.databaseUrl ?? embeddedDatabaseUrl(config.embeddedDatabasePort), 1));
  try {
    await dataSource.initialize();
  } catch (error) {
    console.error(`Cannot reach the database (${(error as Error).message}): set DATABASE_URL, or start the app first (npm start).`);
    return 1;
  }
  try {
    const clock = new SystemClock();
    const users = new UsersService(new Sql(dataSource), config, clock, new AuditTrail(clock));
    const created = await users.create({
      email: values.email,
      name: values.name,
      role: values.role as UserRole,
      merchant_id: values.merchant,
      password: process.env.USER_PASSWORD,
    });
    console.log(`Created ${created.role} ${created.email} (${created.id}).`);
    if (created.password) console.log(`Password, shown this once:\n\n    ${created.password}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    console.error(error.message);
    return 1;
  } finally {
    await dataSource.destroy();
  }
}

process.exitCode = await main();
