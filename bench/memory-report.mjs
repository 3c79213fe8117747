// `node bench/memory-report.mjs <dir>`: one line per server of what BENCH_MEMORY_LOG_DIR=<dir>
// collected (bench/memory-sampler.cjs): the first sample, the sample with the largest RSS, and
// each field's own maximum, in MB.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node bench/memory-report.mjs <dir>');
  process.exit(2);
}
const FIELDS = ['rss', 'RssAnon', 'RssFile', 'heapTotal', 'heapUsed', 'external', 'arrayBuffers', 'new', 'old', 'code', 'large_object', 'new_large_object', 'map', 'read_only', 'trusted', 'shared'];
console.log(`| server | sample | ${FIELDS.join(' | ')} | rss − heapTotal − external |`);
console.log(`| --- | --- | ${FIELDS.map(() => '---:').join(' | ')} | ---: |`);
for (const name of readdirSync(dir).filter((file) => file.endsWith('.jsonl')).sort()) {
  const samples = readFileSync(path.join(dir, name), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  const peak = samples.reduce((a, b) => (b.rss > a.rss ? b : a));
  const max = Object.fromEntries(FIELDS.map((field) => [field, Math.max(...samples.map((sample) => sample[field] ?? 0))]));
  const rest = (sample) => Math.round((sample.rss - sample.heapTotal - sample.external) * 10) / 10;
  for (const [label, sample] of [['first', samples[0]], [`at peak RSS (${Math.round(peak.ms / 1000)} s)`, peak], ['max of each', max]]) {
    console.log(`| ${name.replace('.jsonl', '')} | ${label} | ${FIELDS.map((field) => sample[field] ?? '').join(' | ')} | ${label === 'max of each' ? '' : rest(sample)} |`);
  }
}
