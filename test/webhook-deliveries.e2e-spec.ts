import { WebhookDispatcher } from '../src/webhooks/webhook-dispatcher.js';
import { admin, createMerchant, issueKey, paymentBody, type TestMerchant } from './support/fixtures.js';
import { WebhookReceiver } from './support/receiver.js';
import { useTestApp } from './support/test-app.js';

interface Delivery {
  id: string;
  endpoint_id: string;
  event_type: string;
  status: string;
  livemode: boolean;
  attempts: { response_status: number | null }[];
}

interface DeliveryPage {
  data: Delivery[];
  has_more: boolean;
  next_cursor: string | null;
}

/** GET /v1/webhook-deliveries: the admin's (and a merchant's) view of deliveries across endpoints. */
describe('Webhook deliveries across endpoints (e2e)', () => {
  // Declared before the app's own afterAll, so that it runs while the app is still up: what
  // this file left pending must not be retried into the next file's receivers.
  afterAll(async () => {
    await healthy.stop();
    await broken.stop();
    await t().dataSource.query(`UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL WHERE status = 'pending'`);
  });
  const t = useTestApp({ WEBHOOK_RETRY_SCALE: '0.001', WEBHOOK_TIMEOUT_MS: '500' });
  const healthy = new WebhookReceiver();
  const broken = new WebhookReceiver();
  let merchant: TestMerchant;
  let other: TestMerchant;
  let [good, bad, othersEndpoint] = ['', '', ''];

  beforeAll(async () => {
    broken.respond = () => ({ status: 500 });
    const [healthyUrl, brokenUrl] = [await healthy.start(), await broken.start()];
    merchant = await createMerchant(t(), 'Deliveries merchant');
    other = await createMerchant(t(), 'Another merchant');
    const register = async (who: TestMerchant, url: string) =>
      (await t().http().post('/v1/webhook-endpoints').set(who.auth).send({ url, events: ['payment.captured'] }).expect(201)).body.id as string;
    [good, bad, othersEndpoint] = [await register(merchant, healthyUrl), await register(merchant, brokenUrl), await register(other, healthyUrl)];
    for (let i = 0; i < 3; i++) await t().http().post('/v1/payments').set(merchant.auth).send(paymentBody({ reference: `d-${i}` })).expect(201);
    await t().http().post('/v1/payments').set(other.auth).send(paymentBody()).expect(201);
    await t().app.get(WebhookDispatcher).runOnce();
  });
  const list = async (query: string, auth: Record<string, string> = merchant.auth): Promise<DeliveryPage> =>
    (await t().http().get(`/v1/webhook-deliveries${query}`).set(auth).expect(200)).body as DeliveryPage;

  it("lists a merchant's deliveries of every endpoint, newest first, each with its endpoint and attempts", async () => {
    const page = await list('');
    expect(page.data).toHaveLength(6);
    expect(new Set(page.data.map((delivery) => delivery.endpoint_id))).toEqual(new Set([good, bad]));
    expect(page.data.every((delivery) => delivery.event_type === 'payment.captured' && delivery.attempts.length === 1)).toBe(true);
    expect(page).toMatchObject({ has_more: false, next_cursor: null });
    const rows = (await t().dataSource.query(
      `SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE e.merchant_id = $1 ORDER BY d.created_at DESC, d.id DESC`,
      [merchant.id],
    )) as { id: string }[];
    expect(page.data.map((delivery) => delivery.id)).toEqual(rows.map((row) => row.id));
  });

  it('filters by status: the failed ones are the broken endpoint\'s, the pending retries of the 500s', async () => {
    const pending = await list('?status=pending');
    expect(pending.data.map((delivery) => delivery.endpoint_id)).toEqual([bad, bad, bad]);
    expect(pending.data.every((delivery) => delivery.attempts[0]!.response_status === 500)).toBe(true);
    const succeeded = await list('?status=succeeded');
    expect(succeeded.data.map((delivery) => delivery.endpoint_id)).toEqual([good, good, good]);
    expect((await list(`?status=succeeded&endpoint_id=${bad}`)).data).toEqual([]);
    expect((await list(`?endpoint_id=${good}`)).data).toHaveLength(3);
  });

  it('pages with the cursor: every delivery once, in the order of the whole list', async () => {
    const whole = (await list('')).data.map((delivery) => delivery.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: DeliveryPage = await list(`?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.data.map((delivery) => delivery.id));
      cursor = page.next_cursor;
      expect(page.has_more).toBe(cursor !== null);
    } while (cursor);
    expect(seen).toEqual(whole);
  });

  it("never shows another merchant's or another mode's deliveries to a merchant key", async () => {
    expect((await list('', other.auth)).data.map((delivery) => delivery.endpoint_id)).toEqual([othersEndpoint]);
    expect((await list(`?endpoint_id=${good}`, other.auth)).data).toEqual([]);
    const testKey = await issueKey(t(), merchant, 'test');
    expect((await list('', testKey.auth)).data).toEqual([]);
  });

  it('lets the admin see every merchant, or one, or one mode', async () => {
    const mine = await list(`?merchant_id=${merchant.id}&limit=100`, admin);
    expect(mine.data).toHaveLength(6);
    // Every merchant's: the database is shared with other files, whose deliveries may be newer, so walk the pages.
    const everyEndpoint = new Set<string>();
    let cursor: string | null = null;
    do {
      const page = await list(`?limit=100${cursor ? `&cursor=${cursor}` : ''}`, admin);
      for (const delivery of page.data) everyEndpoint.add(delivery.endpoint_id);
      cursor = page.next_cursor;
    } while (cursor && !(everyEndpoint.has(good) && everyEndpoint.has(bad) && everyEndpoint.has(othersEndpoint)));
    expect([...everyEndpoint]).toEqual(expect.arrayContaining([good, bad, othersEndpoint]));
    expect((await list(`?merchant_id=${merchant.id}&livemode=false`, admin)).data).toEqual([]);
  });

  it.each([
    ['?status=lost', 'status'],
    ['?endpoint_id=nope', 'endpoint_id'],
    ['?cursor=bm9wZQ', 'cursor'],
    ['?limit=0', 'limit'],
  ])('refuses %s with a 400 naming %s', async (query, param) => {
    const response = await t().http().get(`/v1/webhook-deliveries${query}`).set(admin).expect(400);
    expect(response.body.error).toMatchObject({ type: 'invalid_request_error', param });
  });

  it('refuses merchant_id from a merchant key, as the other lists do', async () => {
    const response = await t().http().get(`/v1/webhook-deliveries?merchant_id=${other.id}`).set(merchant.auth).expect(400);
    expect(response.body.error).toMatchObject({ code: 'parameter_unknown', param: 'merchant_id' });
  });
});
