// One measured autocannon run against one server, with its memory sampled meanwhile.
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { sampleRss } from './servers.mjs';

/** The machine's CPU time so far (all cores), and how much of it the hypervisor took (steal). */
export function cpuTimes() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { total: fields.reduce((sum, value) => sum + value, 0), steal: fields[7] ?? 0 };
  } catch {
    return undefined; // not Linux
  }
}

/**
 * `requests`: autocannon's request list; each connection cycles through it. Returns the round's
 * figures: req/s (autocannon's mean of its per-second samples), p50/p99 latency in ms, errors
 * (non-2xx answers + socket errors + timeouts), the server's peak RSS during the run, and the
 * share of the machine's CPU time the hypervisor gave to other guests meanwhile (steal: on a
 * shared host, a round with much of it ran on a slower machine).
 */
export async function measure(server, { connections, seconds, requests }) {
  const rss = sampleRss(server.pid);
  const before = cpuTimes();
  let result;
  let memory;
  try {
    result = await autocannon({ url: server.base, connections, duration: seconds, requests });
  } finally {
    memory = rss.stop();
  }
  const stealPercent = stealBetween(before, cpuTimes());
  return {
    rps: Math.round(result.requests.average),
    requests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
    non2xx: result.non2xx,
    socketErrors: result.errors,
    timeouts: result.timeouts,
    peakRssMb: memory.peakRssMb,
    hwmMb: memory.hwmMb,
    stealPercent,
    seconds,
  };
}

/** The share (%) of the machine's CPU time between two `cpuTimes()` that went to other guests. */
export function stealBetween(before, after) {
  return before && after && after.total > before.total ? Math.round((100 * (after.steal - before.steal)) / (after.total - before.total)) : null;
}

/** Not recorded: lets the JIT, the pools and the caches settle before the rounds. */
export async function warmUp(server, { connections, seconds, requests }) {
  if (seconds > 0) await autocannon({ url: server.base, connections, duration: seconds, requests });
}

/**
 * A side's reported figures: those of its better round, by default the one with the highest
 * req/s (on a shared machine interference only ever slows a round down, so the better round is
 * the cleaner sample; at a fixed rate, `byLatency`, the one with the lower p99); errors are
 * summed over all rounds and the peak RSS is the largest of all rounds.
 */
export function summarize(rounds, { byLatency = false } = {}) {
  const best = rounds.reduce((a, b) => ((byLatency ? b.p99 < a.p99 : b.rps > a.rps) ? b : a));
  return {
    rps: best.rps,
    p50: best.p50,
    p99: best.p99,
    roundsP99: rounds.map((round) => round.p99),
    errors: rounds.reduce((sum, round) => sum + round.errors, 0),
    peakRssMb: Math.max(...rounds.map((round) => round.peakRssMb ?? 0)) || null,
    roundsRps: rounds.map((round) => round.rps),
    maxStealPercent: Math.max(...rounds.map((round) => round.stealPercent ?? 0)),
  };
}
