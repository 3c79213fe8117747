// An open-loop load: requests sent on a fixed schedule whatever the server does, each latency
// counted from the moment the schedule said to send it. autocannon's `overallRate` is closed-loop:
// each connection sends its share of the second's requests back to back, then waits for the next
// second, so a slow server delays the sending (coordinated omission) and the load comes in
// bursts at every second's start; its correction for that (`recordValueWithExpectedInterval`
// with an interval of 1 ms) adds made-up samples rather than the waits that happened.
import http from 'node:http';
import { cpuTimes, stealBetween } from './load.mjs';
import { sampleRss } from './servers.mjs';

/**
 * `rate` requests per second for `seconds`, cycling through `requests`, over at most `connections`
 * keep-alive sockets (a request due while all are busy waits for one, and that wait counts in its
 * latency). Latency = the answer's end minus the scheduled send time, so a server that falls
 * behind shows its queue in p99 instead of slowing the load down.
 */
export async function openLoop(server, { rate, seconds, connections, requests, timeoutMs = 10_000 }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const url = new URL(server.base);
  const total = Math.round(rate * seconds);
  const latencies = [];
  // The scheduled time to a socket taken: the driver's own lateness, plus the wait for a free
  // socket once `connections` requests are in flight (then it is the server's queue).
  const waits = [];
  const counts = { ok: 0, non2xx: 0, socketErrors: 0, timeouts: 0 };
  let inFlight = 0;
  let maxInFlight = 0;
  let done = 0;
  let finished;
  const allDone = new Promise((resolve) => (finished = resolve));
  const settle = () => {
    inFlight--;
    if (++done === total) finished();
  };

  const send = (index, scheduledAt) => {
    const spec = requests[index % requests.length];
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let settled = false;
    const end = (outcome) => {
      if (settled) return;
      settled = true;
      counts[outcome]++;
      if (outcome === 'ok') latencies.push(performance.now() - scheduledAt);
      settle();
    };
    const request = http.request(
      { agent, host: url.hostname, port: url.port, method: spec.method, path: spec.path, headers: spec.headers },
      (response) => {
        response.resume();
        response.on('end', () => end(response.statusCode >= 200 && response.statusCode < 300 ? 'ok' : 'non2xx'));
        response.on('error', () => end('socketErrors'));
      },
    );
    request.on('socket', () => waits.push(performance.now() - scheduledAt));
    request.setTimeout(timeoutMs, () => {
      end('timeouts');
      request.destroy();
    });
    request.on('error', () => end('socketErrors'));
    request.end(spec.body);
  };

  const rss = sampleRss(server.pid);
  const before = cpuTimes();
  const started = performance.now();
  let next = 0;
  // A 1 ms timer: every tick sends what is due by now, each with its own scheduled time.
  await new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < total && started + (next * 1000) / rate <= now) {
        send(next, started + (next * 1000) / rate);
        next++;
      }
      if (next < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  const sentFor = (performance.now() - started) / 1000;
  // The last answers: at most the request timeout after the last send.
  await Promise.race([allDone, new Promise((resolve) => setTimeout(resolve, timeoutMs + 1000))]);
  const elapsed = (performance.now() - started) / 1000;
  const memory = rss.stop();
  const after = cpuTimes();
  agent.destroy();
  latencies.sort((a, b) => a - b);
  waits.sort((a, b) => a - b);
  const errors = counts.non2xx + counts.socketErrors + counts.timeouts + (total - done);
  return {
    rate,
    // Answered 2xx per second, over the time from the first send to the last answer: below the
    // rate when the server fell behind (its queue still draining after the schedule ended).
    rps: Math.round(counts.ok / elapsed),
    sentRps: Math.round(next / sentFor),
    requests: total,
    p50: round1(percentile(latencies, 0.5)),
    p99: round1(percentile(latencies, 0.99)),
    max: round1(latencies.at(-1) ?? NaN),
    errors,
    non2xx: counts.non2xx,
    socketErrors: counts.socketErrors,
    timeouts: counts.timeouts + (total - done),
    socketWaitP99: round1(percentile(waits, 0.99)),
    maxInFlight,
    peakRssMb: memory.peakRssMb,
    hwmMb: memory.hwmMb,
    stealPercent: stealBetween(before, after),
    seconds,
  };
}

const percentile = (sorted, q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN);
const round1 = (value) => Math.round(value * 10) / 10;

