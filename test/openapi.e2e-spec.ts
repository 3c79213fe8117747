import { readFileSync } from 'node:fs';
import { kill, startReady, type AppProcess } from './support/processes.js';

/**
 * openapi.json, committed, is what clients generate their code from (examples/merchant does):
 * it must be exactly what the app serves. `npm run openapi` writes it again after a change.
 * Read from the app as `npm start` runs it: under Jest's module loader some decorators
 * (terminus' health-check schema) document less than they do in Node itself.
 */
describe('The committed OpenAPI document (e2e)', () => {
  let app: AppProcess;
  beforeAll(async () => {
    app = await startReady({ DATABASE_URL: process.env.DATABASE_URL, ADMIN_API_KEY: 'openapi-admin-key-0123456789abcdef' });
  });
  afterAll(() => kill(app));

  it('equals the document served at /docs-json', async () => {
    const served = (await (await fetch(`${app.base}/docs-json`)).json()) as object;
    const committed = JSON.parse(readFileSync('openapi.json', 'utf8')) as object;
    expect(served).toEqual(committed);
  });
});
