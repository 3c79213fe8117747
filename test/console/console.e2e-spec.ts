import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { admin, CARDS, createMerchant, paymentBody, type TestMerchant } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { hasChromium, launchBrowser } from './browser.js';

const SCREENSHOTS = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, 'screenshots');
/** Unique per run: the database is shared with other test files (the guides' examples make ada@ and grace@example.com). */
const RUN = `${process.pid}-${Date.now()}`;
const ADMIN = { email: `ada-${RUN}@example.com`, password: 'correct horse battery staple' };
const SUPPORT = { email: `grace-${RUN}@example.com`, password: 'another long passphrase' };
const MERCHANT_ADMIN = { email: `mary-${RUN}@acme.example`, password: 'merchant admin passphrase' };
const NINA = `nina-${RUN}@acme.example`;
const MERCHANT_VIEWER = { email: `victor-${RUN}@acme.example`, password: 'merchant viewer passphrase' };
type Person = { email: string; password: string };

const describeWithBrowser = hasChromium() ? describe : describe.skip;
if (!hasChromium()) console.warn('test/console: /usr/bin/chromium is missing (apt-get install -y chromium): the browser tests are skipped');

/** The console in a real browser against the real app (embedded PostgreSQL), with a screenshot of each screen. */
describeWithBrowser('The console in a browser (e2e)', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  let merchant: TestMerchant;
  /** Another merchant: what merchant A's people must never see. */
  let other: TestMerchant;
  const ids: Record<string, string> = {};
  const contexts: BrowserContext[] = [];

  const shot = (name: string, on: Page = page) => on.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  const nav = (on: Page = page) => on.getByRole('navigation', { name: 'Console' });

  const signIn = async (who: Person, on: Page = page) => {
    await on.goto(`${base}/console/`);
    await on.getByLabel('Email').fill(who.email);
    await on.getByLabel('Password').fill(who.password);
    await on.getByRole('button', { name: 'Sign in' }).click();
    await on.getByRole('navigation', { name: 'Console' }).waitFor();
  };

  /** A browser of its own (its own cookies), signed in as `who`: tests of one role do not lean on another's session. */
  const openAs = async (who: Person, viewport = { width: 1280, height: 800 }): Promise<Page> => {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    await context.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
    const opened = await context.newPage();
    await signIn(who, opened);
    return opened;
  };

  /** The session's CSRF token, read as the console reads it (the cookie goes along). */
  const csrfOf = async (on: Page): Promise<string> => {
    const current = await on.request.get(`${base}/v1/sessions/current`);
    expect(current.status()).toBe(200);
    return ((await current.json()) as { csrf_token: string }).csrf_token;
  };

  /** What is wider than its box (the page scrolling sideways, or a card, a table, a form): run in the page. */
  const overflowingOn = (on: Page) =>
    on.evaluate<string[]>(`(() => {
      const found = [];
      const root = document.documentElement;
      if (root.scrollWidth > root.clientWidth) found.push('page ' + root.scrollWidth + ' > ' + root.clientWidth);
      for (const element of document.querySelectorAll('.card, .topbar, .page-header, .filters, .table'))
        if (element.scrollWidth > element.clientWidth + 1) found.push(element.tagName.toLowerCase() + '.' + element.className + ' ' + element.scrollWidth + ' > ' + element.clientWidth);
      return found;
    })()`);

  const navLinks = async (on: Page) => (await nav(on).getByRole('link').allTextContents()).map((text) => text.trim());

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await startTestApp();
    await new Promise<void>((listening) => (t.app.getHttpServer() as Server).listen(0, '127.0.0.1', listening));
    base = `http://127.0.0.1:${((t.app.getHttpServer() as Server).address() as AddressInfo).port}`;

    await t.http().post('/v1/admin/users').set(admin).send({ ...ADMIN, name: 'Ada Lovelace', role: 'admin' }).expect(201);
    await t.http().post('/v1/admin/users').set(admin).send({ ...SUPPORT, name: 'Grace Hopper', role: 'support' }).expect(201);
    merchant = await createMerchant(t, 'Acme Books');
    other = await createMerchant(t, 'Bolt Bikes');
    for (const [who, name, role] of [[MERCHANT_ADMIN, 'Mary Acme', 'merchant_admin'], [MERCHANT_VIEWER, 'Victor Acme', 'merchant_viewer']] as const) {
      await t.http().post('/v1/admin/users').set(admin).send({ ...who, name, role, merchant_id: merchant.id }).expect(201);
    }
    const pay = async (name: string, body: Record<string, unknown>, card: Record<string, unknown> = {}) => {
      const created = await t.http().post('/v1/payments').set(merchant.auth).set('Idempotency-Key', `console-${name}`).send(paymentBody(body, card)).expect(201);
      ids[name] = created.body.id;
    };
    await pay('books', { amount: 2599, reference: 'order-books' });
    await pay('pens', { amount: 1050, currency: 'USD', reference: 'order-pens' });
    await pay('held', { amount: 8000, reference: 'order-held', capture: false });
    await pay('declined', { amount: 500, reference: 'order-declined' }, { number: CARDS.declined });
    t.clock.set('2026-11-27T09:00:00.000Z');
    await pay('later', { amount: 120000, currency: 'JPY', reference: 'order-later' });
    await pay('shoes', { amount: 7400, reference: 'order-shoes' });
    await pay('hats', { amount: 3100, reference: 'order-hats' });
    await pay('lamp', { amount: 4900, reference: 'order-lamp', capture: false });
    const bike = await t.http().post('/v1/payments').set(other.auth).set('Idempotency-Key', 'console-bike').send(paymentBody({ amount: 99900, reference: 'order-bike' })).expect(201);
    ids.bike = bike.body.id;

    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // Loopback only: anything else the page asks for is refused.
    await page.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.close();
  });


  it('a wrong password shows the API\'s message', async () => {
    await page.goto(`${base}/console/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await shot('sign-in');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Email or password is incorrect').waitFor();
    await shot('sign-in-error');
  }, 60_000);

  it('signs in and shows the home page', async () => {
    await signIn(ADMIN);
    await page.getByRole('heading', { name: 'Pending payments' }).waitFor();
    await page.getByText("Acquirers' health").waitFor();
    await page.locator('.chart svg').waitFor();
    await shot('home');
  }, 60_000);

  it('filters payments between two dates', async () => {
    await nav().getByRole('link', { name: 'Payments', exact: true }).click();
    // The database is shared with the other test files, whose payments are on the same days:
    // this merchant's only.
    await page.getByLabel('Merchant id').fill(merchant.id);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('order-later').waitFor();
    await page.getByLabel('Created from (UTC)').fill('2026-11-25');
    await page.getByLabel('Created before (UTC)').fill('2026-11-26');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/from=2026-11-25/);
    // The 27th's payment leaves the list once the filtered page arrives.
    await page.getByText('order-later').waitFor({ state: 'detached' });
    await page.getByText('order-books').waitFor();
    const exportHref = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    expect(exportHref).toContain('created_gte=2026-11-25');
    await shot('payments');
    await page.getByLabel('Reference').fill('nothing-like-this');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No payments match these filters').waitFor();
  }, 60_000);

  it('opens a payment, refunds part of it, and the timeline shows the refund', async () => {
    await page.goto(`${base}/console/payments/${ids.books}`);
    await page.getByRole('heading', { name: 'Refunds' }).waitFor();
    await shot('payment');
    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/Amount to refund/).fill('3.00');
    await shot('refund-dialog');
    await dialog.getByRole('button', { name: 'Refund' }).click();
    await page.getByRole('table').filter({ hasText: 'succeeded' }).first().waitFor();
    await page.locator('.timeline').getByText('refund.succeeded').waitFor();
    await page.getByText('Partially refunded').first().waitFor();
    const refunds = await t.http().get(`/v1/payments/${ids.books}/refunds`).set(admin).expect(200);
    expect(refunds.body.data.map((refund: { amount: number }) => refund.amount)).toEqual([300]);
    await shot('payment-refunded');
  }, 60_000);

  it('archives in bulk by date', async () => {
    await nav().getByRole('link', { name: 'Bulk archive' }).click();
    await page.getByLabel('Created before (UTC)').fill('2026-11-26');
    await page.getByLabel('Merchant id (optional)').fill(merchant.id);
    await page.getByRole('button', { name: 'Archive…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Archive them' }).click();
    const count = page.getByTestId('archived-count');
    await count.waitFor();
    // The captured, refunded and declined ones of the 25th; the authorised one stays.
    expect(await count.textContent()).toMatch(/^3 payments archived/);
    await shot('bulk-archive');
  }, 60_000);

  it('issues a key (shown once) and revokes it', async () => {
    await page.goto(`${base}/console/merchants/${merchant.id}`);
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    // Listed by the server (GET /v1/admin/merchants/{id}/api-keys): the key the merchant was made with.
    await page.locator(`code.id[title="${merchant.keyId}"]`).waitFor();
    await page.getByLabel('Mode').selectOption('test');
    await page.getByRole('button', { name: 'Issue key' }).click();
    const secret = await page.getByTestId('secret').textContent();
    expect(secret).toMatch(/^sk_test_/);
    await shot('api-key-issued');
    await page.getByRole('button', { name: 'Revoke' }).first().click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click();
    await page.locator('.badge', { hasText: 'revoked' }).first().waitFor();
    await t.http().get('/v1/payments').set({ Authorization: `Bearer ${secret}` }).expect(401);
    // Read again from the server: both keys, the new one revoked.
    await page.reload();
    await page.locator(`code.id[title="${merchant.keyId}"]`).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(2);
    expect(await page.locator('.badge', { hasText: 'revoked' }).count()).toBe(1);
    await shot('api-key-revoked');
  }, 60_000);

  it('shows the other screens', async () => {
    for (const [name, link, heading] of [
      ['merchants', 'Merchants', 'Merchants'],
      ['webhooks', 'Webhooks', 'Webhook endpoints'],
      ['users', 'Users', 'Users'],
      ['audit', 'Audit trail', 'Audit trail'],
      ['acquirers', 'Acquirers', 'Acquirers'],
    ] as const) {
      await nav().getByRole('link', { name: link, exact: true }).click();
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      await page.waitForLoadState('networkidle');
      await shot(name);
    }
    await page.getByRole('link', { name: /Ada Lovelace/ }).click();
    await page.getByRole('heading', { name: 'Change password' }).waitFor();
    await shot('account');
  }, 60_000);

  it('a support user sees no action buttons', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await signIn(SUPPORT);
    await page.goto(`${base}/console/payments/${ids.pens}`);
    await page.getByRole('heading', { name: 'Refunds' }).waitFor();
    expect(await page.getByRole('button', { name: 'Refund' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Bulk archive' }).count()).toBe(0);
    await shot('payment-support');
  }, 60_000);

  it('a merchant admin sees its merchant only: its payments, capture/void/refund and no archive, the API\'s 404 for another merchant\'s', async () => {
    const ma = await openAs(MERCHANT_ADMIN);
    expect(await navLinks(ma)).toEqual(['Home', 'Payments', 'API keys', 'Webhooks', 'Users', 'Audit trail']);
    await ma.getByRole('heading', { name: 'Pending payments' }).waitFor();
    await ma.waitForLoadState('networkidle');
    expect(await ma.getByText("Acquirers' health").count()).toBe(0);
    await shot('merchant-admin-home', ma);

    await nav(ma).getByRole('link', { name: 'Payments', exact: true }).click();
    await ma.getByText('order-shoes').waitFor();
    const table = ma.getByRole('table');
    const listed = await table.locator('code.id').evaluateAll((codes) => codes.map((code) => code.getAttribute('title')));
    expect(listed).toEqual(expect.arrayContaining([ids.shoes, ids.hats, ids.lamp]));
    expect(listed).not.toContain(ids.bike);
    expect(await table.textContent()).not.toContain(ids.bike);
    expect(await table.getByRole('columnheader', { name: 'Merchant' }).count()).toBe(0);
    expect(await ma.getByLabel('Merchant id').count()).toBe(0);
    await shot('merchant-admin-payments', ma);
    // The mode filter is the API's for merchant people too: these are live payments.
    await ma.getByLabel('Mode').selectOption('false');
    await ma.getByRole('button', { name: 'Apply filters' }).click();
    await ma.getByText('No payments match these filters').waitFor();
    await ma.getByLabel('Mode').selectOption('true');
    await ma.getByRole('button', { name: 'Apply filters' }).click();
    await ma.getByText('order-shoes').waitFor();

    // Another merchant's payment: the API says 404 to this cookie, and the console shows its message.
    const answer = await ma.request.get(`${base}/v1/payments/${ids.bike}`);
    expect(answer.status()).toBe(404);
    const { error } = (await answer.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('resource_missing');
    await ma.goto(`${base}/console/payments/${ids.bike}`);
    await ma.locator('.error-banner').getByText(error.message).waitFor();
    expect(await ma.getByText('order-bike').count()).toBe(0);
    await shot('merchant-admin-other-payment', ma);

    // An authorised payment: capture and void, no archive; capturing it works.
    await ma.goto(`${base}/console/payments/${ids.lamp}`);
    await ma.getByRole('heading', { name: 'Refunds' }).waitFor();
    await ma.getByRole('button', { name: 'Void' }).waitFor();
    expect(await ma.getByRole('button', { name: 'Archive' }).count()).toBe(0);
    await ma.getByRole('button', { name: 'Capture' }).click();
    await ma.getByRole('dialog').getByRole('button', { name: 'Capture' }).click();
    await ma.locator('.timeline').getByText('payment.captured').waitFor();

    // A captured one: refund, no archive.
    await ma.goto(`${base}/console/payments/${ids.shoes}`);
    await ma.getByRole('heading', { name: 'Refunds' }).waitFor();
    expect(await ma.getByRole('button', { name: 'Archive' }).count()).toBe(0);
    await ma.getByRole('button', { name: 'Refund', exact: true }).click();
    await ma.getByRole('dialog').getByLabel(/Amount to refund/).fill('10.00');
    await ma.getByRole('dialog').getByRole('button', { name: 'Refund' }).click();
    await ma.locator('.timeline').getByText('refund.succeeded').waitFor();
    await shot('merchant-admin-payment', ma);
    const refunds = await t.http().get(`/v1/payments/${ids.shoes}/refunds`).set(admin).expect(200);
    expect(refunds.body.data.map((refund: { amount: number }) => refund.amount)).toEqual([1000]);
  }, 60_000);

  it('a merchant admin lists, issues and revokes its own keys (GET /v1/api-keys)', async () => {
    const ma = await openAs(MERCHANT_ADMIN);
    await nav(ma).getByRole('link', { name: 'API keys' }).click();
    await ma.getByRole('heading', { name: 'API keys', exact: true, level: 1 }).waitFor();
    // The list is the server's: the key made with the merchant, and the test key the admin issued and revoked above.
    const keys = await t.http().get(`/v1/admin/merchants/${merchant.id}/api-keys`).set(admin).expect(200);
    const keyIds = keys.body.data.map((key: { id: string }) => key.id) as string[];
    expect(keyIds).toContain(merchant.keyId);
    for (const id of keyIds) await ma.locator(`code.id[title="${id}"]`).waitFor();
    await ma.getByLabel('Mode').selectOption('test');
    await ma.getByRole('button', { name: 'Issue key' }).click();
    const secret = (await ma.getByTestId('secret').textContent())!;
    expect(secret).toMatch(/^sk_test_/);
    await t.http().get('/v1/payments').set({ Authorization: `Bearer ${secret}` }).expect(200);
    await ma.locator('tbody tr').nth(keyIds.length).waitFor();
    await shot('keys-issued', ma);
    await ma.getByRole('button', { name: 'Done' }).click();
    const fresh = ma.locator('tbody tr').filter({ hasText: secret.slice(0, 'sk_test_'.length + 8) });
    await fresh.getByRole('button', { name: 'Revoke' }).click();
    await ma.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click();
    await fresh.locator('.badge', { hasText: 'revoked' }).waitFor();
    await t.http().get('/v1/payments').set({ Authorization: `Bearer ${secret}` }).expect(401);
    // Read again from the server (a reload forgets everything the page knew): still listed, revoked.
    await ma.reload();
    await ma.locator('tbody tr').nth(keyIds.length).waitFor();
    expect(await ma.locator('.badge', { hasText: 'revoked' }).count()).toBe(2);
    await shot('keys', ma);
    expect(await overflowingOn(ma)).toEqual([]);
  }, 60_000);

  it('a merchant admin adds a person of its merchant (merchant roles only, no merchant field)', async () => {
    const ma = await openAs(MERCHANT_ADMIN);
    await nav(ma).getByRole('link', { name: 'Users' }).click();
    await ma.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    await ma.getByRole('cell', { name: MERCHANT_VIEWER.email }).waitFor();
    expect(await ma.getByRole('cell', { name: ADMIN.email }).count()).toBe(0);
    const role = ma.getByRole('combobox', { name: 'Role', exact: true });
    expect(await role.locator('option').allTextContents()).toEqual(['Merchant admin', 'Merchant viewer']);
    expect(await ma.getByLabel('Merchant id').count()).toBe(0);
    await ma.getByLabel('Email').fill(NINA);
    await ma.getByLabel('Name').fill('Nina Acme');
    await role.selectOption('merchant_viewer');
    await ma.getByRole('button', { name: 'Add user' }).click();
    expect((await ma.getByTestId('secret').textContent())!.length).toBeGreaterThanOrEqual(12);
    await ma.getByRole('cell', { name: NINA }).waitFor();
    await shot('merchant-admin-users', ma);
    expect(await overflowingOn(ma)).toEqual([]);
    const users = await t.http().get('/v1/admin/users').set(admin).expect(200);
    expect(users.body.data.find((user: { email: string }) => user.email === NINA)).toMatchObject({ role: 'merchant_viewer', merchant_id: merchant.id });
  }, 60_000);

  it('a merchant viewer reads its payments and webhooks, with no button that changes anything', async () => {
    const mv = await openAs(MERCHANT_VIEWER);
    expect(await navLinks(mv)).toEqual(['Home', 'Payments', 'Webhooks']);
    const actions = /^(Refund|Capture|Void|Archive)/;
    await mv.goto(`${base}/console/payments/${ids.hats}`);
    await mv.getByRole('heading', { name: 'Refunds' }).waitFor();
    await mv.getByText('order-hats').waitFor();
    expect(await mv.getByRole('button', { name: actions }).count()).toBe(0);
    await shot('merchant-viewer-payment', mv);
    await mv.goto(`${base}/console/payments/${ids.held}`);
    await mv.getByText('order-held').waitFor();
    expect(await mv.getByRole('button', { name: actions }).count()).toBe(0);
    await nav(mv).getByRole('link', { name: 'Webhooks' }).click();
    await mv.getByRole('heading', { name: 'Webhook endpoints' }).waitFor();
    expect(await mv.getByRole('heading', { name: 'Add an endpoint' }).count()).toBe(0);
    await mv.goto(`${base}/console/audit`);
    await mv.getByRole('heading', { name: 'Not found' }).waitFor();
  }, 60_000);

  it('a change with the cookie but no CSRF token is refused; with it, only a role that may change things gets through', async () => {
    const refund = (on: Page, key: string, headers: Record<string, string> = {}) =>
      on.request.post(`${base}/v1/payments/${ids.hats}/refunds`, { data: { amount: 100 }, headers: { 'Idempotency-Key': key, ...headers } });
    const errorOf = async (answer: Awaited<ReturnType<typeof refund>>) => ((await answer.json()) as { error: { code: string; message: string } }).error;

    const ma = await openAs(MERCHANT_ADMIN);
    const none = await refund(ma, 'csrf-none');
    expect(none.status()).toBe(403);
    expect((await errorOf(none)).code).toBe('csrf_token_invalid');
    const wrong = await refund(ma, 'csrf-wrong', { 'X-CSRF-Token': 'not-the-token' });
    expect(wrong.status()).toBe(403);
    expect((await errorOf(wrong)).code).toBe('csrf_token_invalid');
    const allowed = await refund(ma, 'csrf-merchant-admin', { 'X-CSRF-Token': await csrfOf(ma) });
    expect(allowed.status()).toBe(201);

    const support = await openAs(SUPPORT);
    expect((await errorOf(await refund(support, 'csrf-support-none'))).code).toBe('csrf_token_invalid');
    const supportDenied = await refund(support, 'csrf-support', { 'X-CSRF-Token': await csrfOf(support) });
    expect(supportDenied.status()).toBe(403);
    expect(await errorOf(supportDenied)).toMatchObject({ code: 'permission_denied', message: 'Support users can read, not change' });

    const viewer = await openAs(MERCHANT_VIEWER);
    const viewerDenied = await refund(viewer, 'csrf-viewer', { 'X-CSRF-Token': await csrfOf(viewer) });
    expect(viewerDenied.status()).toBe(403);
    expect(await errorOf(viewerDenied)).toMatchObject({ code: 'permission_denied', message: 'Merchant viewers can read, not change' });

    // Only the merchant admin's refund happened.
    const refunds = await t.http().get(`/v1/payments/${ids.hats}/refunds`).set(admin).expect(200);
    expect(refunds.body.data.map((row: { amount: number }) => row.amount)).toEqual([100]);

    // In the console: a refund whose token is lost on the way shows the API's error and its request id.
    await ma.route('**/v1/payments/*/refunds', (route) => {
      const headers = { ...route.request().headers() };
      delete headers['x-csrf-token'];
      return route.continue({ headers });
    });
    await ma.goto(`${base}/console/payments/${ids.hats}`);
    await ma.getByRole('button', { name: 'Refund', exact: true }).click();
    const dialog = ma.getByRole('dialog');
    await dialog.getByLabel(/Amount to refund/).fill('1.00');
    await dialog.getByRole('button', { name: 'Refund' }).click();
    const banner = dialog.locator('.error-banner');
    await banner.getByText("Send the session's CSRF token in X-CSRF-Token").waitFor();
    expect(await banner.textContent()).toMatch(/csrf_token_invalid.*request req_/);
    await shot('csrf-refused', ma);
    await ma.unrouteAll();
  }, 60_000);

  it('resends a failed webhook delivery from the Webhooks screen', async () => {
    const endpoint = await t.http().post('/v1/webhook-endpoints').set(merchant.auth).send({ url: 'http://127.0.0.1:9/hook', events: ['*'] }).expect(201);
    ids.endpoint = endpoint.body.id;
    await t.http().post('/v1/payments').set(merchant.auth).set('Idempotency-Key', 'console-webhook').send(paymentBody({ amount: 1999, reference: 'order-webhook' })).expect(201);
    // Workers are off, so nothing is sent: make the deliveries look as they do once the dispatcher gives up.
    await t.dataSource.query(`UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL WHERE endpoint_id = $1`, [endpoint.body.id]);
    const deliveries = async () =>
      (await t.http().get(`/v1/webhook-endpoints/${endpoint.body.id}/deliveries`).set(merchant.auth).expect(200)).body.data as { id: string; status: string }[];
    expect((await deliveries()).map((delivery) => delivery.status)).toEqual(expect.arrayContaining(['failed']));

    const ma = await openAs(MERCHANT_ADMIN);
    // Home names the failing endpoint.
    await ma.getByRole('heading', { name: 'Failing webhook endpoints' }).waitFor();
    await ma.locator(`code.id[title="${endpoint.body.id}"]`).waitFor();
    await nav(ma).getByRole('link', { name: 'Webhooks' }).click();
    const row = ma.locator('tbody tr').filter({ hasText: 'http://127.0.0.1:9/hook' });
    await row.getByRole('button', { name: 'Deliveries' }).click();
    const section = ma.locator('section[aria-labelledby="deliveries-title"]');
    const first = section.locator('tbody tr').first();
    await first.waitFor();
    const deliveryId = (await first.locator('code.id').getAttribute('title'))!;
    await shot('webhooks-deliveries', ma);
    await first.getByRole('button', { name: 'Resend' }).click();
    await ma.getByRole('dialog').getByRole('button', { name: 'Resend' }).click();
    await section.locator('tbody tr').filter({ hasText: deliveryId }).locator('.badge', { hasText: 'pending' }).waitFor();
    await shot('webhooks-resent', ma);
    expect(await overflowingOn(ma)).toEqual([]);

    const after = await deliveries();
    expect(after.find((delivery) => delivery.id === deliveryId)?.status).toBe('pending');
    expect(after.filter((delivery) => delivery.id !== deliveryId).every((delivery) => delivery.status === 'failed')).toBe(true);
    const audit = await t.http().get('/v1/admin/audit-events').query({ action: 'webhook_delivery.resend', target_id: deliveryId }).set(admin).expect(200);
    expect(audit.body.data).toHaveLength(1);
    expect(audit.body.data[0]).toMatchObject({ actor: { type: 'user', label: MERCHANT_ADMIN.email }, before: { status: 'failed' }, after: { status: 'pending' }, merchant_id: merchant.id });
  }, 60_000);

  it('the audit trail lists each action done here with its actor', async () => {
    const key = await t.http().get(`/v1/admin/merchants/${merchant.id}/api-keys`).set(admin).expect(200);
    const merchantKeyPrefix = (key.body.data as { id: string; prefix: string }[]).find((row) => row.id === merchant.keyId)!.prefix;
    const ad = await openAs(ADMIN);
    await nav(ad).getByRole('link', { name: 'Audit trail' }).click();
    await ad.getByRole('heading', { name: 'Audit trail', exact: true }).waitFor();
    await ad.locator('tbody tr').first().waitFor();
    await shot('audit', ad);
    expect(await overflowingOn(ad)).toEqual([]);

    const expected: [action: string, actor: string][] = [
      ['session.sign_in', ADMIN.email],
      ['session.sign_in', MERCHANT_ADMIN.email],
      ['session.sign_in', SUPPORT.email],
      ['session.sign_in_failed', 'anonymous'],
      ['refund.create', ADMIN.email],
      ['refund.create', MERCHANT_ADMIN.email],
      ['payment.capture', MERCHANT_ADMIN.email],
      ['payment.archive_bulk', ADMIN.email],
      ['api_key.issue', 'admin key'],
      ['api_key.issue', ADMIN.email],
      ['api_key.issue', MERCHANT_ADMIN.email],
      ['api_key.revoke', ADMIN.email],
      ['api_key.revoke', MERCHANT_ADMIN.email],
      ['user.create', MERCHANT_ADMIN.email],
      ['webhook_endpoint.create', merchantKeyPrefix],
      ['webhook_delivery.resend', MERCHANT_ADMIN.email],
    ];
    for (const [action, actor] of expected) {
      await ad.getByLabel('Action').selectOption(action);
      await ad.getByRole('button', { name: 'Apply filters' }).click();
      // The action's own cell (sign_in is a prefix of sign_in_failed), and the actor's.
      await ad
        .locator('tbody tr')
        .filter({ has: ad.locator('td:nth-child(2)', { hasText: new RegExp(`^${action.replace('.', '\\.')}$`) }) })
        .filter({ has: ad.locator('td:nth-child(3)', { hasText: actor }) })
        .first()
        .waitFor();
      if (action === 'refund.create' && actor === ADMIN.email) await shot('audit-refunds', ad);
    }

    // A merchant admin's trail is its merchant's: none of the other merchant's rows, no merchant filter.
    const ma = await openAs(MERCHANT_ADMIN);
    await nav(ma).getByRole('link', { name: 'Audit trail' }).click();
    await ma.locator('tbody tr').first().waitFor();
    await ma.waitForLoadState('networkidle');
    expect(await ma.getByLabel('Merchant id').count()).toBe(0);
    expect(await ma.locator('tbody').textContent()).not.toContain(other.id);
    await ma.getByLabel('Action').selectOption('api_key.revoke');
    await ma.getByRole('button', { name: 'Apply filters' }).click();
    await ma.locator('tbody tr').filter({ hasText: MERCHANT_ADMIN.email }).first().waitFor();
    await shot('merchant-admin-audit', ma);
  }, 90_000);

  it('fits a 1024×768 screen', async () => {
    const small = await openAs(ADMIN, { width: 1024, height: 768 });
    const overflowing = () => overflowingOn(small);
    await nav(small).getByRole('link', { name: 'Payments', exact: true }).click();
    await small.getByText('order-shoes').waitFor();
    await shot('payments-1024', small);
    expect(await overflowing()).toEqual([]);
    for (const [link, heading] of [['Home', 'Pending payments'], ['Audit trail', 'Audit trail'], ['Webhooks', 'Webhook endpoints'], ['Users', 'Users'], ['Acquirers', 'Acquirers']] as const) {
      await nav(small).getByRole('link', { name: link, exact: true }).click();
      await small.getByRole('heading', { name: heading, exact: true }).waitFor();
      await small.waitForLoadState('networkidle');
      await shot(`${link.toLowerCase().replace(/ /g, '-')}-1024`, small);
      expect({ link, overflowing: await overflowing() }).toEqual({ link, overflowing: [] });
    }
    await small.goto(`${base}/console/payments/${ids.shoes}`);
    await small.getByRole('heading', { name: 'Refunds' }).waitFor();
    await small.waitForLoadState('networkidle');
    await shot('payment-1024', small);
    expect(await overflowing()).toEqual([]);
    if (ids.endpoint) {
      // An endpoint's deliveries, the widest table (when the resend test above made one).
      await small.goto(`${base}/console/webhooks?endpoint=${ids.endpoint}`);
      await small.locator('section[aria-labelledby="deliveries-title"] tbody tr').first().waitFor();
      await shot('webhooks-1024', small);
      expect(await overflowing()).toEqual([]);
    }
  }, 60_000);
});
