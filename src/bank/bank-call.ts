import { Logger } from '@nestjs/common';
import { requestContext } from '../common/request-context.js';
import { bankCallDuration } from '../metrics/metrics.js';

const logger = new Logger('Bank');

/**
 * Waits for the bank at most `timeoutMs`. Undefined means the outcome is unknown (timeout or
 * transport error): the caller leaves the operation for the reconciler, never guesses.
 */
export async function callBank<T extends { kind: string }>(
  operation: string,
  subject: string,
  timeoutMs: number,
  call: () => Promise<T>,
): Promise<T | undefined> {
  const what = `${operation} of ${subject}`;
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
  try {
    const answer = await requestContext.timeBank(() => Promise.race([call(), timedOut]));
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
