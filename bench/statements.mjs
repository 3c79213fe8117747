// `npm run bench:sql [-- --batch=1,8 --against=<checkout>]`
// PostgreSQL's time for the create path's two batched statements, without the app: the pending
// insert (INSERT_PENDING_PAYMENTS) and the settle (SETTLE_PENDING_PAYMENTS) of groups of
// `batch` payments, built with the app's own row mappers, on the bench's database (migrated,
// with its history). Time = statement sent → result received, one connection, so the figure
// is the statement's execution plus one loopback round trip, per payment.
//
// `--against=<checkout>`: the same with that checkout's statement texts (its dist/, built),
// alternated with this one's in blocks of 200 groups, on the same database: what a change to
// a statement's text saves. A change to the schema (a trigger, an index) is not compared this
// way: the database is this checkout's.
//
// The session runs with synchronous_commit off: the commit's WAL flush is the same for both
// texts and, on a shared disk, the largest source of noise. The group commit shares it under
// load (docs/performance.md).
import { parseArgs } from 'node:util';
import path from 'node:path';
import pg from 'pg';
import { startDatabaseServer } from './database.mjs';

const { values } = parseArgs({ options: { batch: { type: 'string', default: '1,8' }, against: { type: 'string' }, blocks: { type: 'string', default: '8' } } });
const BLOCK = 200;
const MERCHANT = 'mer_BENCHHISTORY00000000000000';
const SIMULATOR = 'acq_00000000000000000000000000';

const load = (root) => import(path.resolve(root, 'dist/src/payments/queries/payments.queries.js'));
const sides = [{ name: 'this checkout', queries: await load('.') }];
if (values.against) sides.push({ name: values.against, queries: await load(values.against) });
const { newId } = await import(path.resolve('dist/src/common/ids.js'));
const { paymentEvent } = await import(path.resolve('dist/src/payments/payment-events.js'));
const { attemptRow } = await import(path.resolve('dist/src/acquirers/attempts.repository.js'));
const { paymentRow, eventRow, settlementRow } = sides[0].queries;

/** A group of new payments: each one's pending item and settle item, as the repository builds them. */
function group(size) {
  return Array.from({ length: size }, () => {
    const now = new Date();
    const payment = {
      id: newId('payment'), merchantId: MERCHANT, livemode: true, status: 'pending', historyStatus: 'active', amount: 1050,
      currency: 'EUR', captureRequested: true, amountCaptured: 0, amountRefunded: 0, amountRefundPending: 0, bankOperation: null,
      bankOperationAmount: null, nextCheckAt: null, checkAttempts: 0, cardBrand: 'visa', cardBin: '424242', cardLast4: '4242',
      cardExpiryMonth: 12, cardExpiryYear: 2030, cardHolderName: null, cardFingerprint: 'bench-statements', bankReference: null,
      acquirerId: null, declineCode: null, failureReason: null, reference: 'bench', description: null, metadata: {},
      idempotencyToken: null, operationIdempotencyToken: null, createdAt: now, updatedAt: now,
    };
    const settled = { ...payment, status: 'captured', historyStatus: 'finished', amountCaptured: 1050, bankReference: `bnk_${payment.id.slice(4)}`, acquirerId: SIMULATOR };
    const attempt = { id: newId('attempt'), paymentId: payment.id, acquirerId: SIMULATOR, outcome: 'approved', declineCode: null, error: null, httpStatus: null, durationMs: 1, acquirerReference: null };
    return {
      pending: { payment: paymentRow(payment), event: eventRow(paymentEvent('payment.created', payment)), recheck_after_ms: 60_000 },
      settle: { payment: settlementRow(settled), event: eventRow(paymentEvent('payment.captured', settled)), attempt: attemptRow(attempt) },
    };
  });
}

const server = await startDatabaseServer();
const url = await server.createDatabase('statements');
const client = new pg.Client({ connectionString: url });
await client.connect();
try {
  await client.query('SET synchronous_commit = off');
  const rows = [];
  for (const size of values.batch.split(',').map(Number)) {
    const totals = sides.map(() => ({ pending: 0n, settle: 0n, payments: 0 }));
    for (let block = 0; block < Number(values.blocks); block++) {
      for (const [i, side] of sides.entries()) {
        for (let n = 0; n < BLOCK; n++) {
          const items = group(size);
          const started = process.hrtime.bigint();
          await client.query({ name: `p${i}`, text: side.queries.INSERT_PENDING_PAYMENTS, values: [JSON.stringify(items.map((item) => item.pending))] });
          const inserted = process.hrtime.bigint();
          await client.query({ name: `s${i}`, text: side.queries.SETTLE_PENDING_PAYMENTS, values: [JSON.stringify(items.map((item) => item.settle))] });
          const ended = process.hrtime.bigint();
          // The first block of each side also prepares its statements: not counted.
          if (block === 0) continue;
          totals[i].pending += inserted - started;
          totals[i].settle += ended - inserted;
          totals[i].payments += size;
        }
      }
    }
    for (const [i, side] of sides.entries()) {
      const perPayment = (ns) => (Number(ns) / totals[i].payments / 1000).toFixed(1);
      rows.push(`| ${size} | ${side.name} | ${perPayment(totals[i].pending)} | ${perPayment(totals[i].settle)} |`);
    }
  }
  console.log(`PostgreSQL ${server.version} (${server.kind}), ${Number(values.blocks) - 1} blocks of ${BLOCK} groups per side and size\n`);
  console.log('| payments per group | statements of | pending insert, µs per payment | settle, µs per payment |');
  console.log('| ---: | --- | ---: | ---: |');
  for (const row of rows) console.log(row);
} finally {
  await client.end();
  await server.stop();
}
