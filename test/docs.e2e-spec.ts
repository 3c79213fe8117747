import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ACQUIRER_KEY, startAcquirer, type AcquirerProcess } from './support/acquirer-servers.js';
import { differences, examplesOf, lastJson, parseShown, type DocExample } from './support/doc-examples.js';
import { call, kill, startReady, type AppProcess } from './support/processes.js';
import { WebhookReceiver } from './support/receiver.js';

const ADMIN_KEY = 'docs-admin-key-0123456789abcdef';
const METRICS_TOKEN = 'docs-metrics-token';

/** README.md and every guide: each page's curl examples, run against a live app. */
const PAGES = ['README.md', ...readdirSync('docs').filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

interface BlockRun {
  exitCode: number;
  stdout: string;
  statuses: number[];
}

/**
 * Runs a page's examples in order in one bash, as a reader pasting them would, with `curl`
 * wrapped to report each call's status on stderr (stdout stays what the reader sees).
 */
async function runPage(examples: DocExample[], env: Record<string, string>): Promise<BlockRun[]> {
  const script = [
    'set -uo pipefail',
    // After the page's own options, so that its `-w` (say, printing the status) gives way to this one.
    `curl() { command curl "$@" --max-time 20 -w '\\n%{stderr}@@STATUS %{http_code}\\n'; }`,
    ...examples.flatMap((example, index) => [example.script, `printf '\\n@@BLOCK ${index} %d\\n' $?; printf '@@BLOCK ${index}\\n' >&2`]),
  ].join('\n');
  // In a directory of its own: a page may write files (`> payment.json`), as a reader's shell would.
  const cwd = await mkdtemp(path.join(tmpdir(), 'docs-'));
  const child = spawn('bash', ['-c', script], { cwd, env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let [stdout, stderr] = ['', ''];
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise((resolve) => child.once('close', resolve));
  await rm(cwd, { recursive: true, force: true });
  const outputs = stdout.split(/\n@@BLOCK \d+ (\d+)\n/);
  const errors = stderr.split(/@@BLOCK \d+\n/);
  return examples.map((_, index) => ({
    stdout: outputs[index * 2] ?? '',
    exitCode: Number(outputs[index * 2 + 1] ?? -1),
    statuses: [...(errors[index] ?? '').matchAll(/@@STATUS (\d{3})/g)].map((match) => Number(match[1])),
  }));
}

/** What is wrong with one example's run, as lines; empty when it did what the page says. */
function problemsOf(example: DocExample, run: BlockRun): string[] {
  const problems: string[] = [];
  if (run.statuses.length === 0) problems.push('no curl call was made');
  const last = run.statuses.at(-1);
  const expected = example.status;
  run.statuses.slice(0, -1).forEach((status, index) => status >= 400 && problems.push(`call ${index + 1} answered ${status}`));
  if (expected !== undefined ? last !== expected : last !== undefined && last >= 400) {
    problems.push(`the last call answered ${last}${expected !== undefined ? `, the page shows ${expected}` : ''}`);
  }
  if (run.exitCode !== 0 && expected === undefined) problems.push(`the block exited with ${run.exitCode}`);
  if (example.shown !== undefined) {
    try {
      problems.push(...differences(parseShown(example.shown), lastJson(run.stdout)));
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return problems;
}

describe('Executable docs: the curl examples of the README and the guides (e2e)', () => {
  let app: AppProcess;
  const acquirers: AcquirerProcess[] = [];
  const receiver = new WebhookReceiver();
  let env: Record<string, string>;

  beforeAll(async () => {
    app = await startReady({
      DATABASE_URL: process.env.DATABASE_URL,
      ADMIN_API_KEY: ADMIN_KEY,
      WEBHOOK_WORKER_INTERVAL_MS: '100',
      RECONCILER_INTERVAL_MS: '200',
      METRICS_TOKEN,
    });
    acquirers.push(await startAcquirer(), await startAcquirer());
    const receiverUrl = await receiver.start();
    const merchant = await call<{ id: string }>(app.base, 'POST', '/v1/admin/merchants', ADMIN_KEY, { name: 'Docs merchant' });
    const key = await call<{ key: string }>(app.base, 'POST', `/v1/admin/merchants/${merchant.body.id}/api-keys`, ADMIN_KEY, { mode: 'test' });
    env = {
      GATEWAY: app.base,
      ADMIN_KEY,
      MERCHANT_ID: merchant.body.id,
      MERCHANT_KEY: key.body.key,
      RECEIVER: receiverUrl,
      ACQUIRER_A: acquirers[0]!.base,
      ACQUIRER_B: acquirers[1]!.base,
      ACQUIRER_KEY,
      METRICS_TOKEN,
    };
  });
  afterAll(async () => {
    await receiver.stop();
    for (const acquirer of acquirers) await kill(acquirer);
    await kill(app);
  });

  it.each(PAGES)('%s: every example answers what the page shows', async (page) => {
    const examples = examplesOf(readFileSync(page, 'utf8'));
    const runs = await runPage(examples, env);
    const report = examples.flatMap((example, index) => problemsOf(example, runs[index]!).map((problem) => `${page}:${example.line}: ${problem}`));
    expect(report).toEqual([]);
  });

  describe('the check itself', () => {
    const shown = '{"id": "pay_…", "status": "captured", "created_at": "2026-12-01T10:00:00.000Z", "card": {"last4": "4242", …}, …}';
    const actual = { id: 'pay_01ABC', status: 'captured', created_at: '2026-12-04T03:00:00.123Z', card: { last4: '4242', brand: 'visa' }, amount: 1 };

    it('accepts a response that matches, with elisions', () => {
      expect(differences(parseShown(shown), actual)).toEqual([]);
    });

    it('reports a value, a prefix or a field that drifted', () => {
      expect(differences(parseShown(shown), { ...actual, status: 'failed', id: 're_1', card: { brand: 'visa' } })).toEqual([
        '$.id: "re_1" is not "pay_…"',
        '$.status: "failed" where the page shows "captured"',
        '$.card.last4: missing from the response',
      ]);
    });

    it('reports a field the page does not show when the page shows the whole object', () => {
      expect(differences(parseShown('{"archived": 0}'), { archived: 0, extra: true })).toEqual(['$.extra: in the response, not on the page']);
    });

    it('reads the status line and the shown response of a block', () => {
      const page = ['```sh', 'curl -s "$GATEWAY/x"', '```', '', '→ 404', '', '```json', '{"error": {…}}', '```', '```sh', 'npm start', '```'].join('\n');
      expect(examplesOf(page)).toEqual([{ line: 1, script: 'curl -s "$GATEWAY/x"', status: 404, shown: '{"error": {…}}' }]);
    });
  });
});
