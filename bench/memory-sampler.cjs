// A bench-only preload (`node --require bench/memory-sampler.cjs`, added by bench/servers.mjs when
// BENCH_MEMORY_LOG_DIR is set): every 100 ms, one JSON line of process.memoryUsage() and V8's
// heap spaces, in MB, to the file BENCH_MEMORY_LOG names. The app itself exposes nothing for it.
const { appendFileSync } = require('node:fs');
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
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  }, 100).unref();
}
