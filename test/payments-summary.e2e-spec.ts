import { admin, CARDS, createMerchant, paymentBody, type TestMerchant } from './support/fixtures.js';
import { useTestApp } from './support/test-app.js';

/** Collects a streamed text body whatever its content type (supertest buffers only known text types). */
const asText = (stream: unknown, callback: (error: Error | null, body: string) => void) => {
  const response = stream as NodeJS.ReadableStream;
  let body = '';
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => (body += chunk));
  response.on('end', () => callback(null, body));
};

describe('Payments summary and CSV export (e2e)', () => {
  const t = useTestApp();
  let merchant: TestMerchant;
  let other: TestMerchant;

  beforeAll(async () => {
    merchant = await createMerchant(t(), 'Summary merchant');
    other = await createMerchant(t(), 'Other merchant');
    const pay = async (who: TestMerchant, at: string, body: Record<string, unknown>, card: Record<string, unknown> = {}) => {
      t().clock.set(at);
      await t().http().post('/v1/payments').set(who.auth).send(paymentBody(body, card)).expect(201);
    };
    await pay(merchant, '2026-11-20T10:00:00Z', { amount: 1000 });
    await pay(merchant, '2026-11-20T23:59:59Z', { amount: 500, currency: 'USD', reference: '=HYPERLINK("x")' });
    await pay(merchant, '2026-11-21T00:00:00Z', { amount: 700 }, { number: CARDS.declined });
    await pay(merchant, '2026-11-22T08:00:00Z', { amount: 9999 });
    await pay(other, '2026-11-20T12:00:00Z', { amount: 123 });
  });

  it('totals a merchant’s payments per currency, status and UTC day, approved volume only', async () => {
    const response = await t()
      .http()
      .get('/v1/payments/summary')
      .query({ created_gte: '2026-11-20T00:00:00Z', created_lt: '2026-11-22T00:00:00Z' })
      .set(merchant.auth)
      .expect(200);
    const approved = response.body.by_status.authorized + response.body.by_status.captured;
    expect(approved).toBe(2);
    expect(response.body).toEqual({
      object: 'payment_summary',
      currency_totals: [
        { currency: 'EUR', count: 2, amount: 1000 },
        { currency: 'USD', count: 1, amount: 500 },
      ],
      by_status: expect.objectContaining({ declined: 1, pending: 0, refunded: 0 }),
      approval_rate: 2 / 3,
      days: [
        { date: '2026-11-20', count: 2, approved: 2, amount_by_currency: { EUR: 1000, USD: 500 } },
        { date: '2026-11-21', count: 1, approved: 0, amount_by_currency: { EUR: 0 } },
      ],
    });
  });

  it('lets the admin narrow to one merchant, and refuses merchant_id from a merchant key', async () => {
    const response = await t().http().get('/v1/payments/summary').query({ merchant_id: other.id }).set(admin).expect(200);
    expect(response.body.currency_totals).toEqual([{ currency: 'EUR', count: 1, amount: 123 }]);
    const refused = await t().http().get('/v1/payments/summary').query({ merchant_id: other.id }).set(merchant.auth).expect(400);
    expect(refused.body.error).toMatchObject({ code: 'parameter_unknown', param: 'merchant_id' });
    const bad = await t().http().get('/v1/payments/summary').query({ created_gte: 'yesterday' }).set(merchant.auth).expect(400);
    expect(bad.body.error.param).toBe('created_gte');
  });

  it('exports every matching payment as CSV, across pages, with the last four digits only', async () => {
    const response = await t()
      .http()
      .get('/v1/payments/export.csv')
      .query({ created_lt: '2026-11-22T00:00:00Z', limit: '1' })
      .set(merchant.auth)
      .buffer(true)
      .parse(asText)
      .expect(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="payments.csv"');
    const lines = (response.body as string).trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,created_at,merchant_id,livemode,status,history_status,amount,currency,card_brand,card_last4,reference,acquirer_id');
    // limit is a page size for lists, not for the export: all three rows, newest first.
    expect(lines).toHaveLength(4);
    expect(lines.slice(1).map((line) => line.split(',')[1])).toEqual(['2026-11-21T00:00:00.000Z', '2026-11-20T23:59:59.000Z', '2026-11-20T10:00:00.000Z']);
    expect(lines[2]).toContain(`,${merchant.id},true,`);
    expect(lines[2]).toContain(`"'=HYPERLINK(""x"")"`);
    expect(response.body).not.toContain(CARDS.visa);
    expect(response.body).not.toContain('424242424242');
    expect(response.body).not.toContain(other.id);
  });

  it('streams more rows than one export page holds', async () => {
    const bulk = await createMerchant(t(), 'Bulk merchant');
    t().clock.set('2026-11-23T00:00:00Z');
    // 1 200 rows straight into the table: the export's paging is what is under test, not the API's inserts.
    await t().dataSource.query(
      `INSERT INTO payments (id, merchant_id, livemode, status, payment_history_status, amount, currency, capture_requested, amount_captured,
         amount_refunded, card_brand, card_bin, card_last4, card_expiry_month, card_expiry_year, card_fingerprint, metadata, created_at, updated_at)
       SELECT 'pay_' || lpad(n::text, 26, '0'), $1, true, 'captured', 'finished', n, 'EUR', true, n, 0, 'visa', '424242', '4242', 12, 2030, 'fp', '{}',
              timestamptz '2026-11-23T00:00:00Z' + n * interval '1 second', now()
         FROM generate_series(1, 1200) n`,
      [bulk.id],
    );
    const response = await t().http().get('/v1/payments/export.csv').set(bulk.auth).buffer(true).parse(asText).expect(200);
    const ids = (response.body as string).trimEnd().split('\r\n').slice(1).map((line) => line.split(',')[0]);
    expect(ids).toHaveLength(1200);
    expect(new Set(ids).size).toBe(1200);
    expect(ids[0]).toBe('pay_' + '1200'.padStart(26, '0'));
  });

  it('answers a bad filter with the error body, before any CSV', async () => {
    const response = await t().http().get('/v1/payments/export.csv').query({ status: 'lost' }).set(merchant.auth).expect(400);
    expect(response.body.error).toMatchObject({ type: 'invalid_request_error', param: 'status' });
    await t().http().get('/v1/payments/export.csv').expect(401);
  });
});
