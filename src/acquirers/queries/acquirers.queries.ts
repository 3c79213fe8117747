/**
 * The SQL of AcquirersService (acquirers and merchants' routings, as the admin configures them),
 * as fixed, named texts (prepared once per connection by `Sql`), and the mappers from a row. The
 * payment path reads them in attempts.repository.ts. Adding a column to `acquirers` or
 * `merchant_routings` means: the entity, the migration, the column list, the insert or update,
 * and the mapper (queries.spec.ts fails until they agree).
 */
import type { Cursor } from '../../common/pagination.js';
import type { Row } from '../../database/sql.js';
import { listStatement, type Statement } from '../../database/statement.js';
import type { Acquirer, AcquirerKind } from '../acquirer.entity.js';
import type { MerchantRouting } from '../merchant-routing.entity.js';
import type { RoutingRule } from '../rules/routing.js';

/** Every column of `acquirers`, in the entity's order. */
export const ACQUIRER_COLUMNS = 'id, name, kind, base_url, api_key, timeout_ms, enabled, created_at, updated_at';

export const INSERT_ACQUIRER = `INSERT INTO acquirers (${ACQUIRER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;

export const ACQUIRER_BY_ID = `SELECT ${ACQUIRER_COLUMNS} FROM acquirers WHERE id = $1`;

/** The acquirer, locked until the transaction ends: a change computed from it cannot lose another's. */
export const ACQUIRER_BY_ID_FOR_UPDATE = `SELECT ${ACQUIRER_COLUMNS} FROM acquirers WHERE id = $1 FOR UPDATE`;

/** What an admin may change (the kind never changes). */
export const UPDATE_ACQUIRER = `
  UPDATE acquirers SET name = $2, base_url = $3, api_key = $4, timeout_ms = $5, enabled = $6, updated_at = $7
   WHERE id = $1`;

/** Which of the ids ($1, an array) are acquirers. */
export const EXISTING_ACQUIRER_IDS = 'SELECT id FROM acquirers WHERE id = ANY($1)';

const SELECT_ACQUIRERS = `SELECT ${ACQUIRER_COLUMNS} FROM acquirers`;
const AFTER_CURSOR = '(created_at, id) < ($?, $?)';
const PAGE = 'ORDER BY created_at DESC, id DESC LIMIT $?';

/** Newest first, a keyset page of `limit` rows. */
export function listAcquirers(after: Cursor | undefined, limit: number): Statement {
  return listStatement(SELECT_ACQUIRERS, [after && [AFTER_CURSOR, after.createdAt, after.id]], [PAGE, limit]);
}

/** Every column of `merchant_routings`, in the entity's order (`default` is a keyword). */
export const ROUTING_COLUMNS = 'merchant_id, rules, "default", updated_at';

export const ROUTING_OF_MERCHANT = `SELECT ${ROUTING_COLUMNS} FROM merchant_routings WHERE merchant_id = $1`;

/** The routing, locked until the transaction ends: the audit row's "before" is the one replaced. */
export const ROUTING_OF_MERCHANT_FOR_UPDATE = `SELECT ${ROUTING_COLUMNS} FROM merchant_routings WHERE merchant_id = $1 FOR UPDATE`;

/** A merchant's routing, created or replaced; rules and default as JSON texts. */
export const UPSERT_ROUTING = `
  INSERT INTO merchant_routings (${ROUTING_COLUMNS}) VALUES ($1, $2::jsonb, $3::jsonb, $4)
  ON CONFLICT (merchant_id) DO UPDATE SET rules = EXCLUDED.rules, "default" = EXCLUDED."default", updated_at = EXCLUDED.updated_at`;

export function acquirerFromRow(row: Row): Acquirer {
  return {
    id: row.id as string,
    name: row.name as string,
    kind: row.kind as AcquirerKind,
    baseUrl: row.base_url as string | null,
    apiKey: row.api_key as string | null,
    timeoutMs: row.timeout_ms as number,
    enabled: row.enabled as boolean,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
  };
}

export function routingFromRow(row: Row): MerchantRouting {
  return {
    merchantId: row.merchant_id as string,
    rules: row.rules as RoutingRule[],
    default: row.default as string[],
    updatedAt: row.updated_at as Date,
  };
}
