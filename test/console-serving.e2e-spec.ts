import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleRoot, resolveConsoleFile } from '../src/console/console-files.js';
import { useTestApp } from './support/test-app.js';

/** The console's files at /console: run after `npm run build` (npm test's pretest) has built dist/console. */
describe('The console served at /console (e2e)', () => {
  const t = useTestApp();
  const built = existsSync(join(consoleRoot(), 'index.html'));

  beforeAll(() => {
    if (!built) throw new Error(`The console is not built (${consoleRoot()}): run npm run build first`);
  });

  const expectConsolePolicy = (csp: string | undefined) => {
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
  };

  it('/console answers index.html with its own CSP, revalidated', async () => {
    const response = await t().http().get('/console').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toContain('<div id="root"></div>');
    expectConsolePolicy(response.headers['content-security-policy']);
    expect(response.headers['cache-control']).toBe('no-cache');
    // Helmet's other headers stay.
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('index.html has no inline script or style', async () => {
    const { text } = await t().http().get('/console/').expect(200);
    for (const script of text.match(/<script\b[^>]*>[\s\S]*?<\/script>/g) ?? []) expect(script).toMatch(/<script\b[^>]*\bsrc="\/console\/assets\/[^"]+"[^>]*><\/script>/);
    expect(text).not.toMatch(/<style\b/);
    expect(text).not.toMatch(/\sstyle="/);
  });

  it('a hashed asset is cached for a year, immutable', async () => {
    const { text } = await t().http().get('/console').expect(200);
    const asset = /src="(\/console\/assets\/[^"]+\.js)"/.exec(text)?.[1];
    expect(asset).toBeDefined();
    const response = await t().http().get(asset!).expect(200);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers['content-type']).toMatch(/javascript/);
  });

  it('a deep link to a client-side route answers index.html', async () => {
    const response = await t().http().get('/console/payments/pay_0123456789').expect(200);
    expect(response.text).toContain('<div id="root"></div>');
    expectConsolePolicy(response.headers['content-security-policy']);
  });

  it('a missing asset is a 404 in the contract\'s shape, not index.html', async () => {
    const response = await t().http().get('/console/assets/nothing-here.js').expect(404);
    expect(response.body.error.code).toBe('route_not_found');
  });

  it('needs no key, and the API keeps its own CSP', async () => {
    const api = await t().http().get('/health/live');
    expect(api.headers['content-security-policy']).not.toBe((await t().http().get('/console')).headers['content-security-policy']);
  });

  it('is not in the API document', async () => {
    const { body } = await t().http().get('/docs-json').expect(200);
    expect(Object.keys(body.paths).filter((path) => path.startsWith('/console'))).toEqual([]);
  });

  it('without a build, /console says so (resolveConsoleFile on an empty folder)', () => {
    const empty = mkdtempSync(join(tmpdir(), 'console-'));
    expect(resolveConsoleFile(empty, '')).toEqual({ kind: 'not-built' });
    writeFileSync(join(empty, 'index.html'), '<!doctype html>');
    expect(resolveConsoleFile(empty, 'payments/x')).toMatchObject({ kind: 'file', path: join(empty, 'index.html') });
    expect(resolveConsoleFile(empty, '../package.json')).toMatchObject({ kind: 'file', path: join(empty, 'index.html') });
  });
});
