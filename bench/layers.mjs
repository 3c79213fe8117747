// `node bench/layers.mjs <file.cpuprofile> [--from=<µs> --to=<µs> --requests=<n>]`
// What each layer of the app costs, from a V8 CPU profile (`npm run bench:cpu -- --profile=<dir>`
// writes one and prints this table itself). A sample counts for a layer when any frame on its
// stack belongs to that layer (inclusive, once per layer even under recursion), so the rows
// overlap: @nestjs/core is on the stack of nearly everything a request does. `self` counts a
// sample only for the layer of its top frame (for a builtin without a url, such as JSON.parse, the
// nearest caller's). Timestamps are V8's (the system's monotonic clock,
// the one `process.hrtime` reads), so a window taken by the harness selects the measured run.
import { readFileSync } from 'node:fs';

/** The layers, in the order printed; the first rule that matches a frame's url names its layer. */
const LAYERS = [
  ['metrics module', /\/dist\/src\/metrics\//],
  ['auth guard (key check, key cache)', /\/dist\/src\/auth\//],
  ['rate-limit guard', /\/dist\/src\/rate-limit\//],
  ['idempotency guard', /\/dist\/src\/idempotency\//],
  ['request context (AsyncLocalStorage)', /\/dist\/src\/common\/request-context/],
  ['error mapping (filter, errors)', /\/dist\/src\/common\/(api-error\.filter|errors|client-error)\.js/],
  ['validation pipe (app side)', /\/dist\/src\/common\/(api-validation\.pipe|validators|id-param\.pipe|json-depth)\.js/],
  ['common: other (headers, body, the body check)', /\/dist\/src\/common\//],
  ['logging', /\/dist\/src\/logging\//],
  ['payments (controller, service, SQL)', /\/dist\/src\/payments\//],
  ['bank simulator', /\/dist\/src\/bank\//],
  ['acquirers (routing, attempts)', /\/dist\/src\/acquirers\//],
  ['database (group commit, notifications)', /\/dist\/src\/database\//],
  ['webhooks, audit, other app modules', /\/dist\/src\//],
  ['class-validator', /\/node_modules\/class-validator\//],
  ['class-transformer', /\/node_modules\/class-transformer\//],
  ['express (+ router, body-parser)', /\/node_modules\/(express|router|body-parser|raw-body|finalhandler|send|serve-static)\//],
  ['@nestjs/core', /\/node_modules\/@nestjs\/core\//],
  ['@nestjs/common, platform-express', /\/node_modules\/@nestjs\/(common|platform-express)\//],
  ['pg (pg, pg-pool, pg-protocol)', /\/node_modules\/(pg|pg-pool|pg-protocol|pg-types)\//],
  ['typeorm', /\/node_modules\/typeorm\//],
  ['rxjs', /\/node_modules\/rxjs\//],
  ['metrics: prom-client (the request and bank histograms)', /\/node_modules\/prom-client\//],
  ['other packages', /\/node_modules\//],
  ['node: http', /^node:_http_/],
  ['node: async_hooks (AsyncLocalStorage\'s hooks)', /^node:(internal\/)?(async_hooks|async_local_storage|promise_hooks)/],
  // The event loop's own frames (microtask and timer queues) are at the bottom of every async
  // stack: they belong to no layer, or this row would be ~100 % inclusive.
  ['node: net, streams, other internals', /^node:(?!internal\/process\/task_queues|internal\/timers)/],
];
/** Builtins without a url that are a layer of their own. */
const JSON_FRAMES = new Set(['stringify', 'parse']);
// The native socket writes: on 2 cores, mostly the wait for a core after waking PostgreSQL (see
// docs/performance.md), which V8's timer-driven profiler counts in the function it was in.
const WRITE_FRAMES = new Set(['writev', 'writeBuffer', 'writeUtf8String', 'writeLatin1String']);
const SPECIAL = { '(garbage collector)': 'GC', '(program)': 'program (V8 and native, no JS frame)', '(idle)': 'idle' };

function layerOf(frame) {
  if (SPECIAL[frame.functionName]) return SPECIAL[frame.functionName];
  if (!frame.url && JSON_FRAMES.has(frame.functionName)) return 'JSON.parse, JSON.stringify';
  if (!frame.url && WRITE_FRAMES.has(frame.functionName)) return 'native socket writes (writev, write)';
  if (!frame.url) return null;
  return LAYERS.find(([, pattern]) => pattern.test(frame.url))?.[0] ?? null;
}

/**
 * The profile's samples in [fromUs, toUs] (all when not given): per layer, inclusive and self
 * sample time in µs, plus the idle and total time.
 */
export function attributeLayers(profile, { fromUs = -Infinity, toUs = Infinity } = {}) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  // node id → [the layers on its stack, the nearest one: its own, or its closest caller's]
  const stackLayers = new Map();
  const layersOf = (id) => {
    let known = stackLayers.get(id);
    if (!known) {
      const own = layerOf(byId.get(id).callFrame);
      const up = parent.get(id);
      const [above, nearestAbove] = up === undefined ? [new Set(), null] : layersOf(up);
      known = own ? [new Set([...above, own]), own] : [above, nearestAbove];
      stackLayers.set(id, known);
    }
    return known;
  };
  const inclusive = new Map();
  const self = new Map();
  let total = 0;
  let idle = 0;
  let time = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i];
    if (time < fromUs || time > toUs) continue;
    // A sample stands for the interval until the next one.
    const weight = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i];
    const [layers, own] = layersOf(profile.samples[i]);
    total += weight;
    if (own === 'idle') {
      idle += weight;
      continue;
    }
    for (const layer of layers) inclusive.set(layer, (inclusive.get(layer) ?? 0) + weight);
    self.set(own ?? 'unattributed (no url)', (self.get(own ?? 'unattributed (no url)') ?? 0) + weight);
  }
  return { inclusive, self, totalUs: total, idleUs: idle };
}

/** The Markdown table: layer, % of non-idle time inclusive and self, µs per request (inclusive). */
export function layerTable({ inclusive, self, totalUs, idleUs }, requests) {
  const busy = totalUs - idleUs;
  const order = [...LAYERS.map(([name]) => name), 'JSON.parse, JSON.stringify', 'native socket writes (writev, write)', ...Object.values(SPECIAL).filter((name) => name !== 'idle'), 'unattributed (no url)'];
  const lines = [
    '| layer | % of non-idle, inclusive | % self | µs per request, inclusive |',
    '| --- | ---: | ---: | ---: |',
  ];
  for (const name of order) {
    const us = inclusive.get(name) ?? 0;
    const own = self.get(name) ?? 0;
    if (us === 0 && own === 0) continue;
    const perRequest = requests ? Math.round(us / requests) : '';
    lines.push(`| ${name} | ${((100 * us) / busy).toFixed(1)} | ${((100 * own) / busy).toFixed(1)} | ${perRequest} |`);
  }
  const perRequest = requests ? `, ${Math.round(busy / requests)} µs per request` : '';
  lines.push(`\nnon-idle: ${(busy / 1e6).toFixed(2)} s of ${(totalUs / 1e6).toFixed(2)} s sampled${perRequest}${requests ? ` (${requests} requests)` : ''}`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, ...rest] = process.argv.slice(2);
  const option = (name) => Number(rest.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1] ?? NaN);
  if (!file) {
    console.error('usage: node bench/layers.mjs <file.cpuprofile> [--from=<µs> --to=<µs> --requests=<n>]');
    process.exit(2);
  }
  const window = { fromUs: option('from') || -Infinity, toUs: option('to') || Infinity };
  const requests = option('requests') || undefined;
  console.log(layerTable(attributeLayers(JSON.parse(readFileSync(file, 'utf8')), window), requests));
}
