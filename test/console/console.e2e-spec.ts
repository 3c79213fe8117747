import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { admin, CARDS, createMerchant, paymentBody, type TestMerchant } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { hasChromium, launchBrowser } from './browser.js';

const SCREENSHOTS = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, 'screenshots');
const ADMIN = { email: 'ada@example.com', password: 'correct horse battery staple' };
const SUPPORT = { email: 'grace@example.com', password: 'another long passphrase' };

const describeWithBrowser = hasChromium() ? describe : describe.skip;
if (!hasChromium()) console.warn('test/console: /usr/bin/chromium is missing (apt-get install -y chromium): the browser tests are skipped');

/** The console in a real browser against the real app (embedded PostgreSQL), with a screenshot of each screen. */
describeWithBrowser('The console in a browser (e2e)', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  let merchant: TestMerchant;
  const ids: Record<string, string> = {};

  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  const nav = () => page.getByRole('navigation', { name: 'Console' });

  const signIn = async (who: { email: string; password: string }) => {
    await page.goto(`${base}/console/`);
    await page.getByLabel('Email').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Console' }).waitFor();
  };

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await startTestApp();
    await new Promise<void>((listening) => (t.app.getHttpServer() as Server).listen(0, '127.0.0.1', listening));
    base = `http://127.0.0.1:${((t.app.getHttpServer() as Server).address() as AddressInfo).port}`;

    await t.http().post('/v1/admin/users').set(admin).send({ ...ADMIN, name: 'Ada Lovelace', role: 'admin' }).expect(201);
    await t.http().post('/v1/admin/users').set(admin).send({ ...SUPPORT, name: 'Grace Hopper', role: 'support' }).expect(201);
    merchant = await createMerchant(t, 'Acme Books');
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

    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // Loopback only: anything else the page asks for is refused.
    await page.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
  }, 120_000);

  afterAll(async () => {
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
    await page.getByLabel('Mode').selectOption('test');
    await page.getByRole('button', { name: 'Issue key' }).click();
    const secret = await page.getByTestId('secret').textContent();
    expect(secret).toMatch(/^sk_test_/);
    await shot('api-key-issued');
    await page.getByRole('button', { name: 'Revoke' }).first().click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click();
    await page.locator('.badge', { hasText: 'revoked' }).first().waitFor();
    await t.http().get('/v1/payments').set({ Authorization: `Bearer ${secret}` }).expect(401);
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

  it.todo('a merchant_admin user sees its merchant only, with capture/void/refund and no archive (needs the merchant roles in the backend)');
  it.todo('a merchant_viewer user sees payments and webhook endpoints, read-only (needs the merchant roles in the backend)');
  it.todo('the audit trail lists the refund made above with its actor and request id (needs /v1/admin/audit-events)');
  it.todo('a request without the CSRF token is refused and the console shows the error with its request id');
});
