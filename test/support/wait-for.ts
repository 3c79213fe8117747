/** A value that means "not yet" to `waitFor`. */
type NotYet = false | null | undefined;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` until it returns something other than false, null or undefined, and returns
 * that: conditions, never fixed sleeps, decide when a test goes on. The deadline only bounds a
 * condition that never comes (a failure); a slow machine makes the wait longer, not the test red.
 */
export async function waitFor<T>(
  probe: () => Promise<T> | T,
  what: string | (() => string),
  timeoutMs = 20_000,
): Promise<Exclude<T, NotYet>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== false && value !== null && value !== undefined) return value as Exclude<T, NotYet>;
    if (Date.now() > deadline) throw new Error(`Condition not reached in ${timeoutMs} ms: ${typeof what === 'string' ? what : what()}`);
    await pause(25);
  }
}
