/** The Standard Webhooks retry schedule, after the first attempt: 9 retries over about 3 days. */
export const RETRY_DELAYS_MS = [5, 300, 1800, 7200, 18_000, 36_000, 50_400, 72_000, 86_400].map((s) => s * 1000);

export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** The longest `Retry-After` honoured: the schedule's longest wait. */
export const MAX_RETRY_AFTER_MS = Math.max(...RETRY_DELAYS_MS);

/**
 * The wait before attempt `attempt + 1`, or undefined when `attempt` was the last.
 * `scale` shrinks the schedule for tests; the jitter (±10 %) keeps failing receivers from
 * being hit by every retry at once.
 */
export function retryDelayMs(attempt: number, scale = 1, random: () => number = Math.random): number | undefined {
  const base = RETRY_DELAYS_MS[attempt - 1];
  if (base === undefined) return undefined;
  return Math.round(base * scale * (0.9 + 0.2 * random()));
}

/** `Retry-After` as seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now: Date): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime());
}
