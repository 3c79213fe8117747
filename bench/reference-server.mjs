// The bare reference for the side-by-side benchmark: `node:http` and a `pg` Pool, no framework,
// serving the two measured routes with the same database work and the same validation rules as
// the app (the rule functions are the app's own compiled ones from dist/), and nothing else.
// What it does and does not do compared with the app: docs/performance.md.
//
//   DATABASE_URL=postgres://… PORT=4000 [DATABASE_POOL_SIZE=10] [CARD_FINGERPRINT_SECRET=…] node bench/reference-server.mjs
//
// POST /v1/payments      merchant key → validate → one INSERT (status captured) → 201 payment
// GET  /v1/payments/{id} merchant key → one SELECT by id and merchant → 200 payment or 404
// GET  /health/ready     SELECT 1 → 200 (so the harness waits on both servers the same way)
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import pg from 'pg';
import { isId, newId } from '../dist/src/common/ids.js';
import { cardFingerprint, cardNumberProblem, cvvLength, detectBrand, isExpired, normalizeCardNumber } from '../dist/src/payments/rules/card.js';
import { isActiveCurrency } from '../dist/src/payments/rules/currency.js';
import { metadataProblem } from '../dist/src/payments/rules/metadata.js';

const BODY_LIMIT_BYTES = 100 * 1024;
const MAX_AMOUNT = 99_999_999;
// The app's development default, so that both servers compute the same fingerprints when unset.
const fingerprintSecret = process.env.CARD_FINGERPRINT_SECRET || 'dev-only-card-fingerprint-secret-change-me';

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE || 10),
  connectionTimeoutMillis: 5000,
  application_name: 'bench-reference',
});
// An idle connection that breaks (the database stopped) is logged, not fatal, as in the app.
pool.on('error', (error) => console.error(`reference: idle database connection: ${error.message}`));

const PAYMENT_COLUMNS = [
  'id', 'merchant_id', 'status', 'payment_history_status', 'amount', 'currency', 'capture_requested',
  'amount_captured', 'amount_refunded', 'amount_refund_pending', 'card_brand', 'card_bin', 'card_last4',
  'card_expiry_month', 'card_expiry_year', 'card_holder_name', 'card_fingerprint', 'bank_reference', 'acquirer_id',
  'decline_code', 'failure_reason', 'reference', 'description', 'metadata', 'check_attempts', 'created_at', 'updated_at',
];
const INSERT_PAYMENT = `INSERT INTO payments (${PAYMENT_COLUMNS.join(', ')})
  VALUES (${PAYMENT_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`;
// The app's findOneBy selects every mapped column too.
const SELECT_PAYMENT = `SELECT * FROM payments WHERE id = $1 AND merchant_id = $2 LIMIT 1`;
const SELECT_KEY = 'SELECT id, role, merchant_id FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL';

const ERROR_TYPES = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'invalid_request_error',
  415: 'invalid_request_error',
  500: 'api_error',
};

class HttpError extends Error {
  constructor(status, code, message, param = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.param = param;
  }
}

const invalid = (param, message) => new HttpError(400, 'parameter_invalid', message, param);
const missing = (param) => new HttpError(400, 'parameter_missing', `Missing required parameter: ${param}`, param);
const codePoints = (text) => [...text].length;

function send(res, status, body, requestId) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'x-request-id': requestId,
  });
  res.end(text);
}

function sendError(res, error, requestId) {
  const known = error instanceof HttpError;
  if (!known) console.error(error);
  const status = known ? error.status : 500;
  send(
    res,
    status,
    {
      error: {
        type: ERROR_TYPES[status] ?? 'api_error',
        code: known ? error.code : 'internal_error',
        message: known ? error.message : 'Something went wrong on our side',
        param: known ? error.param : null,
        request_id: requestId,
      },
    },
    requestId,
  );
}

/** The merchant of the bearer key: one SELECT by the key's sha256, as the app's guard does. */
async function authenticate(req) {
  const header = req.headers.authorization;
  if (!header) throw new HttpError(401, 'api_key_missing', 'No API key provided: send "Authorization: Bearer <key>"');
  const match = /^Bearer +(\S+)$/i.exec(header);
  if (!match) throw new HttpError(401, 'api_key_invalid', 'Invalid API key');
  const hash = createHash('sha256').update(match[1]).digest('hex');
  const { rows } = await pool.query(SELECT_KEY, [hash]);
  const row = rows[0];
  if (!row) throw new HttpError(401, 'api_key_invalid', 'Invalid API key');
  // Only merchant keys: the admin's "merchant_id in the body" path is not mirrored.
  if (row.role !== 'merchant') throw new HttpError(403, 'permission_denied', 'The reference server serves merchant keys only');
  return row.merchant_id;
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    const type = req.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(type)) {
      req.resume();
      reject(new HttpError(415, 'unsupported_media_type', 'Send the request body as application/json'));
      return;
    }
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > BODY_LIMIT_BYTES) {
        reject(new HttpError(413, 'body_too_large', `The request body exceeds ${BODY_LIMIT_BYTES / 1024} kB`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new HttpError(400, 'invalid_json', 'The request body is not valid JSON'));
      }
    });
  });
}

const BODY_FIELDS = new Set(['amount', 'currency', 'card', 'capture', 'reference', 'description', 'metadata']);
const CARD_FIELDS = new Set(['number', 'expiry_month', 'expiry_year', 'cvv', 'holder_name']);
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalText(value, param, max) {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalid(param, `${param} must be a string`);
  if (codePoints(value) > max) throw invalid(param, `${param} must be at most ${max} characters`);
  return value;
}

function integerIn(value, param, min, max, message) {
  if (value === undefined) throw missing(param);
  if (!Number.isInteger(value)) throw invalid(param, `${param} must be an integer number`);
  if (value < min || value > max) throw invalid(param, message ?? `${param} must be from ${min} to ${max}`);
  return value;
}

/** The app's DTO rules (unknown, missing and bad fields) and its service's card checks. */
function validatePayment(body, now) {
  if (!isObject(body)) throw new HttpError(400, 'parameter_invalid', 'The request body must be a JSON object');
  for (const key of Object.keys(body)) {
    if (FORBIDDEN_KEYS.has(key)) throw invalid(key, `"${key}" is not allowed as a key`);
    if (!BODY_FIELDS.has(key)) throw new HttpError(400, 'parameter_unknown', `Unknown parameter: ${key}`, key);
  }
  const amount = integerIn(body.amount, 'amount', 1, MAX_AMOUNT);
  if (body.currency === undefined) throw missing('currency');
  if (typeof body.currency !== 'string' || !isActiveCurrency(body.currency)) {
    throw invalid('currency', 'currency must be an upper-case ISO 4217 code in active use');
  }
  const card = body.card;
  if (card === undefined) throw missing('card');
  if (!isObject(card)) throw invalid('card', 'card must be an object');
  for (const key of Object.keys(card)) {
    if (FORBIDDEN_KEYS.has(key)) throw invalid('card', `"${key}" is not allowed as a key`);
    if (!CARD_FIELDS.has(key)) throw new HttpError(400, 'parameter_unknown', `Unknown parameter: card.${key}`, `card.${key}`);
  }
  if (card.number === undefined) throw missing('card.number');
  if (typeof card.number !== 'string') throw invalid('card.number', 'card.number must be a string');
  const expiryMonth = integerIn(card.expiry_month, 'card.expiry_month', 1, 12);
  const expiryYear = integerIn(card.expiry_year, 'card.expiry_year', 1000, 9999, 'card.expiry_year must have four digits');
  if (card.cvv === undefined) throw missing('card.cvv');
  if (typeof card.cvv !== 'string' || !/^\d{3,4}$/.test(card.cvv)) {
    throw invalid('card.cvv', 'card.cvv must be 3 digits (4 for American Express)');
  }
  const holderName = optionalText(card.holder_name, 'card.holder_name', 100);
  if (body.capture !== undefined && body.capture !== null && typeof body.capture !== 'boolean') {
    throw invalid('capture', 'capture must be a boolean value');
  }
  const reference = optionalText(body.reference, 'reference', 128);
  const description = optionalText(body.description, 'description', 500);
  let metadata = {};
  if (body.metadata !== undefined && body.metadata !== null) {
    const problem = metadataProblem(body.metadata);
    if (problem) throw invalid('metadata', problem);
    metadata = body.metadata;
  }

  const numberProblem = cardNumberProblem(card.number);
  if (numberProblem) throw new HttpError(400, 'card_number_invalid', numberProblem, 'card.number');
  const digits = normalizeCardNumber(card.number);
  if (isExpired(expiryMonth, expiryYear, now)) {
    throw new HttpError(400, 'card_expired', `The card expired at the end of ${String(expiryMonth).padStart(2, '0')}/${expiryYear}`, 'card.expiry_month');
  }
  const brand = detectBrand(digits);
  const expected = cvvLength(brand);
  if (card.cvv.length !== expected) throw invalid('card.cvv', `card.cvv must be ${expected} digits for a ${brand} card`);

  return {
    amount,
    currency: body.currency,
    capture: body.capture ?? true,
    card: { digits, brand, expiryMonth, expiryYear, holderName },
    reference,
    description,
    metadata,
  };
}

function toResponse(p) {
  return {
    id: p.id,
    merchant_id: p.merchant_id,
    status: p.status,
    amount: p.amount,
    currency: p.currency,
    amount_captured: p.amount_captured,
    amount_refunded: p.amount_refunded,
    card: {
      brand: p.card_brand,
      last4: p.card_last4,
      bin: p.card_bin,
      expiry_month: p.card_expiry_month,
      expiry_year: p.card_expiry_year,
      holder_name: p.card_holder_name,
      fingerprint: p.card_fingerprint,
    },
    bank_reference: p.bank_reference,
    acquirer_id: p.acquirer_id,
    livemode: true,
    decline_code: p.decline_code,
    failure_reason: p.failure_reason,
    reference: p.reference,
    description: p.description,
    metadata: p.metadata,
    history_status: p.payment_history_status,
    created_at: p.created_at.toISOString(),
    updated_at: p.updated_at.toISOString(),
  };
}

/** Validated, then written once as already captured (or authorised): no pending step, no bank. */
async function createPayment(req, res, requestId) {
  // The app's order: the JSON body middleware, then the key guard, then validation.
  const body = await readJson(req);
  const merchantId = await authenticate(req);
  const now = new Date();
  const input = validatePayment(body, now);
  const { card } = input;
  const row = {
    id: newId('payment'),
    merchant_id: merchantId,
    status: input.capture ? 'captured' : 'authorized',
    payment_history_status: 'active',
    amount: input.amount,
    currency: input.currency,
    capture_requested: input.capture,
    amount_captured: input.capture ? input.amount : 0,
    amount_refunded: 0,
    amount_refund_pending: 0,
    card_brand: card.brand,
    card_bin: card.digits.slice(0, 6),
    card_last4: card.digits.slice(-4),
    card_expiry_month: card.expiryMonth,
    card_expiry_year: card.expiryYear,
    card_holder_name: card.holderName,
    card_fingerprint: cardFingerprint(fingerprintSecret, card.digits),
    bank_reference: newId('bankReference'),
    // The simulator's fixed id: the reference is its own in-process bank.
    acquirer_id: 'acq_00000000000000000000000000',
    decline_code: null,
    failure_reason: null,
    reference: input.reference,
    description: input.description,
    metadata: input.metadata,
    check_attempts: 0,
    created_at: now,
    updated_at: now,
  };
  await pool.query(
    INSERT_PAYMENT,
    PAYMENT_COLUMNS.map((column) => (column === 'metadata' ? JSON.stringify(row.metadata) : row[column])),
  );
  send(res, 201, toResponse(row), requestId);
}

async function getPayment(req, res, requestId, id) {
  const merchantId = await authenticate(req);
  const payment = isId('payment', id) ? (await pool.query(SELECT_PAYMENT, [id, merchantId])).rows[0] : undefined;
  if (!payment) throw new HttpError(404, 'resource_missing', 'No such payment', 'id');
  send(res, 200, toResponse(payment), requestId);
}

let inFlight = 0;

const server = createServer(async (req, res) => {
  const requestId = newId('request');
  inFlight++;
  try {
    const path = req.url.split('?', 1)[0];
    if (req.method === 'POST' && path === '/v1/payments') return await createPayment(req, res, requestId);
    if (req.method === 'GET' && path.startsWith('/v1/payments/') && path.indexOf('/', 13) === -1) {
      return await getPayment(req, res, requestId, decodeURIComponent(path.slice(13)));
    }
    if (req.method === 'GET' && path === '/health/ready') {
      await pool.query('SELECT 1');
      return send(res, 200, { status: 'ok' }, requestId);
    }
    req.resume();
    throw new HttpError(404, 'route_not_found', `No route ${req.method} ${path}`);
  } catch (error) {
    if (!res.headersSent) sendError(res, error, requestId);
  } finally {
    inFlight--;
  }
});
server.keepAliveTimeout = 65_000;

const port = Number(process.env.PORT || 4000);
server.listen(port, '127.0.0.1');

/** Stops accepting, lets the requests in flight finish (a load generator leaves some behind), then closes the pool. */
async function shutdown() {
  server.close();
  server.closeIdleConnections();
  const deadline = Date.now() + 5000;
  while (inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  server.closeAllConnections();
  await pool.end();
  process.exit(0);
}

for (const signal of ['SIGTERM', 'SIGINT']) process.once(signal, () => void shutdown());
