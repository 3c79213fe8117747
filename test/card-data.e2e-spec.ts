import { admin, createMerchant, paymentBody } from './support/fixtures.js';
import { useTestApp } from './support/test-app.js';

/**
 * The card number and CVV go to the bank and nowhere else: not to a table, not to a log
 * line, not to a response, whatever the outcome and whatever validation said.
 */
describe('Card data (e2e)', () => {
  const PAN = '4111111111111111';
  const AMEX_PAN = '371449635398431';
  const CVV = '987';
  const AMEX_CVV = '8642';
  const t = useTestApp({ LOG_LEVEL: 'verbose' });

  it('never stores, logs or returns the card number or CVV', async () => {
    const merchant = await createMerchant(t());
    const responses: string[] = [];
    const send = async (body: object, auth: Record<string, string> = merchant.auth) => {
      const response = await t().http().post('/v1/payments').set(auth).send(body);
      responses.push(response.text);
      return response.status;
    };

    expect(await send(paymentBody({}, { number: PAN, cvv: CVV }))).toBe(201);
    expect(await send(paymentBody({}, { number: `${PAN.slice(0, 4)} ${PAN.slice(4, 8)} ${PAN.slice(8, 12)} ${PAN.slice(12)}`, cvv: CVV }))).toBe(201);
    expect(await send(paymentBody({ capture: false }, { number: AMEX_PAN, cvv: AMEX_CVV }))).toBe(201);
    expect(await send(paymentBody({ merchant_id: merchant.id }, { number: PAN, cvv: CVV }), admin)).toBe(201);
    // Refused requests carry the card too.
    expect(await send(paymentBody({}, { number: PAN, cvv: '12' }))).toBe(400);
    expect(await send(paymentBody({}, { number: PAN, cvv: CVV, expiry_year: 2020 }))).toBe(400);
    expect(await send(paymentBody({ amount: -1 }, { number: PAN, cvv: CVV }))).toBe(400);
    expect(await send(paymentBody({ unknown_field: PAN }, { number: PAN, cvv: CVV }))).toBe(400);
    expect(await send(paymentBody({}, { number: `${PAN}0`, cvv: CVV }))).toBe(400);

    const payments = await t().http().get('/v1/payments').set(merchant.auth).expect(200);
    responses.push(payments.text);
    expect(payments.body.data).toHaveLength(4);
    expect(t().bank.calls.some((call) => call.card.number === PAN && call.card.cvv === CVV)).toBe(true);

    // Every column of every row of every table, as text.
    const tables = (await t().dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    )) as { table_name: string }[];
    expect(tables.map((table) => table.table_name)).toEqual(expect.arrayContaining(['payments', 'payment_events']));
    const values: string[] = [];
    for (const { table_name } of tables) {
      const rows = (await t().dataSource.query(`SELECT to_jsonb(t) AS row FROM "${table_name}" t`)) as { row: object }[];
      for (const { row } of rows) values.push(...Object.values(row).map((value) => JSON.stringify(value)));
    }
    const stored = values.join('\n');
    expect(stored.length).toBeGreaterThan(0);
    for (const secret of [PAN, AMEX_PAN, `${PAN}0`]) expect(stored).not.toContain(secret);
    expect(stored).not.toMatch(/"cvv"/i);
    expect(values.filter((value) => value === `"${CVV}"` || value === `"${AMEX_CVV}"`)).toEqual([]);

    const logs = t().logger.lines.join('\n');
    expect(t().logger.lines.some((line) => line.includes('POST /v1/payments 201'))).toBe(true);
    for (const secret of [PAN, AMEX_PAN, CVV, AMEX_CVV]) expect(logs).not.toContain(secret);

    const answered = responses.join('\n');
    for (const secret of [PAN, AMEX_PAN]) expect(answered).not.toContain(secret);
    expect(answered).not.toMatch(/"cvv"/);
  });
});
