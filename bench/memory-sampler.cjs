// A bench-only preload (`node --require bench/memory-sampler.cjs`, added by bench/servers.mjs when
// BENCH_MEMORY_LOG_DIR is set): every 100 ms, one JSON line of process.memoryUsage() and V8's
// heap spaces and the resident set's anonymous and file-backed parts, in MB, to the file BENCH_MEMORY_LOG names. The app itself exposes nothing for it.
const { appendFileSync, readFileSync } = require('node:fs');
const v8 = require('node:v8');

const file = process.env.BENCH_MEMORY_LOG;
const mb = (bytes) => Math.round(bytes / 104857.6) / 10;
if (file) {
  const started = performance.now();
  setInterval(() => {
    const usage = process.memoryUsage();
    const line = { ms: Math.round(performance.now() - started) };
    for (const [key, value] of Object.entries(usage)) line[key] = mb(value);
    for (const space of v8.getHeapSpaceStatistics()) line[space.space_name.replace(/_space$/, '')] = mb(space.space_size);
    // The resident set split: anonymous (heap, malloc) and file-backed (the node binary's pages).
    const status = readFileSync('/proc/self/status', 'utf8');
    for (const field of ['RssAnon', 'RssFile']) line[field] = mb(1024 * Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0));
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  }, 100).unref();
}
