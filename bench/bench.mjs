// `npm run bench [-- --quick] [-- --scenario=<name>]`: load scenarios against the built app
// (dist/) and, where it makes sense, against a minimal Nest reference doing the least database work
// a create needs (bench/nest-reference/), on a real PostgreSQL: DATABASE_URL if set (fresh databases are
// created on that server and dropped afterwards), otherwise an embedded one in a temporary
// directory. Prints one table at the end and writes bench/results/<timestamp>.json.
// No target is asserted: the exit code says only whether the bench itself ran.
// What is measured and how to read it: docs/performance.md.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { HISTORY, startDatabaseServer } from './database.mjs';
import { markdownTable, tableRows, writeResults } from './report.mjs';
import { SCENARIOS, log, runScenario } from './scenarios.mjs';
import { SERVER_NODE } from './servers.mjs';

/** The version of the Node running the servers (the harness's own may differ). */
const serverNode = execFileSync(SERVER_NODE, ['--version'], { encoding: 'utf8' }).trim();

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((arg) => arg.startsWith('--scenario='))?.split('=')[1];
// `--flags-ab="--max-semi-space-size=4 …"`: each app-only scenario becomes an A/B of the app as
// `npm start` runs it against the app with these Node flags (replacing those of the same name).
// `--env-ab="MALLOC_ARENA_MAX=2 …"`: the same with these environment variables (both may be given).
const listArg = (name) => args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3).split(/\s+/).filter(Boolean);
const flagsAb = listArg('flags-ab');
const envAb = listArg('env-ab');
const unknown = args.filter((arg) => arg !== '--quick' && !/^--(scenario|flags-ab|env-ab)=/.test(arg));
if (unknown.length > 0 || (only !== undefined && !SCENARIOS.some((scenario) => scenario.name === only))) {
  console.error(`usage: node bench/bench.mjs [--quick] [--flags-ab="<node flags>"] [--env-ab="<NAME=value …>"] [--scenario=<${SCENARIOS.map((scenario) => scenario.name).join('|')}>]`);
  process.exit(2);
}

// Full: ~7 minutes on 2 cores. Quick: under two minutes, one round per side.
const timing = quick ? { warmup: 1, seconds: 2, rounds: 1 } : { warmup: 3, seconds: 8, rounds: 2 };

async function main() {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const loadBefore = os.loadavg();
  const db = await startDatabaseServer();
  log(`PostgreSQL ${db.version} (${db.kind}) ready after ${Math.round(performance.now() - started)} ms`);
  const results = [];
  // A scenario may use an earlier one's figures (create-fixed-rate takes create-c50's).
  const ctx = { db, quick, timing, results };
  try {
    for (let scenario of SCENARIOS.filter((s) => !only || s.name === only)) {
      if (flagsAb || envAb) {
        // A scenario measured against an ideal keeps it, without its reference; the others with one are skipped.
        if (scenario.run || (scenario.withReference && !scenario.ideal) || scenario.variant) continue;
        const env = Object.fromEntries((envAb ?? []).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
        scenario = { ...scenario, withReference: false, variant: { name: 'flags', env, nodeArgs: flagsAb ?? [] } };
      }
      log(`${scenario.name}: ${scenario.description}`);
      const scenarioStarted = performance.now();
      const result = await runScenario(scenario, ctx);
      result.elapsedSeconds = Math.round((performance.now() - scenarioStarted) / 100) / 10;
      log(`  (${result.elapsedSeconds} s)`);
      results.push(result);
    }
  } finally {
    await db.stop();
  }
  const rows = tableRows(results);
  const report = {
    startedAt,
    durationSeconds: Math.round((performance.now() - started) / 1000),
    mode: quick ? 'quick' : 'full',
    scenarioFilter: only ?? null,
    flagsAb: flagsAb ?? null,
    envAb: envAb ?? null,
    benchNodeArgs: process.env.BENCH_NODE_ARGS ?? null,
    timing,
    reported: 'per side, the round with the highest req/s (its p50 and p99); errors summed over all rounds; peak RSS the largest of all rounds',
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? null,
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      platform: `${os.platform()} ${os.release()}`,
      node: serverNode,
      postgres: db.version,
      database: db.kind,
      historyPayments: HISTORY,
      loadAverageBefore: loadBefore.map((value) => Math.round(value * 100) / 100),
      loadAverageAfter: os.loadavg().map((value) => Math.round(value * 100) / 100),
    },
    app: gitState(),
    results,
    table: rows,
  };
  const file = await writeResults(report);
  console.log(
    `\nservers on node ${serverNode}, PostgreSQL ${db.version} (${db.kind}, ${HISTORY} payments of history), ${os.cpus().length} CPUs, ${report.mode} run ` +
      `(${timing.rounds} round(s) of ${timing.seconds} s per side after ${timing.warmup} s warm-up), ${report.durationSeconds} s, ${startedAt}` +
      (report.app ? `, app at ${report.app.commit.slice(0, 7)}${report.app.uncommittedSrcFiles ? ` + ${report.app.uncommittedSrcFiles} uncommitted src file(s)` : ''}` : ''),
  );
  console.log('req/s, p50, p99: the better round of each side; errors: all rounds; peak RSS: the largest sample (every 100 ms) of VmRSS\n');
  console.log(markdownTable(rows));
  console.log(`\nresults: ${file}`);
}

/** Which app was measured: the checkout's commit, and whether src/ had uncommitted changes. */
function gitState() {
  try {
    const git = (...args) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { commit: git('rev-parse', 'HEAD'), uncommittedSrcFiles: git('status', '--porcelain', '--', 'src', 'migrations').split('\n').filter(Boolean).length };
  } catch {
    return null;
  }
}

await main();
