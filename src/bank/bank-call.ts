import { Logger } from '@nestjs/common';
import { requestContext } from '../common/request-context.js';
import { bankCallDuration } from '../metrics/metrics.js';

const logger = new Logger('Bank');

/**
 * Waits for the bank at most `timeoutMs` (null: the call bounds itself, as the router does for
 * an authorisation tried at several acquirers in turn: cutting it short there could leave a
 * charge the payment never hears of). Undefined means the outcome is unknown (timeout or
 * transport error): the caller leaves the operation for the reconciler, never guesses.
 */
export async function callBank<T extends { kind: string }>(
  operation: string,
  subject: string,
  timeoutMs: number | null,
  call: () => Promise<T>,
): Promise<T | undefined> {
  const what = `${operation} of ${subject}`;
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timedOut =
    timeoutMs === null ? undefined : new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
  try {
    const answer = await requestContext.timeBank(() => (timedOut ? Promise.race([call(), timedOut]) : call()));
    if (answer === undefined) logger.warn(`${what}: no answer from the bank within ${timeoutMs} ms; it will be asked again`);
    bankCallDuration.observe({ operation, outcome: answer?.kind ?? 'unknown' }, (performance.now() - started) / 1000);
    return answer;
  } catch (error) {
    logger.warn(`${what}: the bank call failed, outcome unknown: ${(error as Error).message}`);
    bankCallDuration.observe({ operation, outcome: 'error' }, (performance.now() - started) / 1000);
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
