import { ConsoleLogger, type LoggerService, type LogLevel } from '@nestjs/common';
import pino from 'pino';
import { requestContext } from '../common/request-context.js';
import { redact } from './redact.js';

export type LogFormat = 'json' | 'text';

const PINO_LEVELS: Record<LogLevel, pino.Level> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/**
 * The app's logger: one JSON object per line (pino) or Nest's text lines, every line with
 * the request id when there is one, every message passed through `redact` first.
 *
 * pino itself, but not nestjs-pino: that one brings pino-http, which binds a child logger to
 * every request through an AsyncLocalStorage of its own and serialises each request's headers
 * (Authorization included, unless configured away). The request context's AsyncLocalStorage
 * already carries the request id, and on Node 20 each active one costs 5–15 % of a create's
 * CPU (measured, docs/performance.md): a second would add as much for the same line.
 */
export class AppLogger implements LoggerService {
  private readonly json: pino.Logger | undefined;
  private readonly text: ConsoleLogger | undefined;

  constructor(
    format: LogFormat,
    private readonly levels: LogLevel[],
    destination: pino.DestinationStream = pino.destination({ sync: false }),
  ) {
    if (format === 'json') {
      this.json = pino(
        { level: 'trace', base: { service: 'payment-gateway' }, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } },
        destination,
      );
    } else {
      this.text = new ConsoleLogger({ logLevels: levels });
    }
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  /** Flushes buffered lines (on shutdown). */
  flush(): void {
    this.json?.flush();
  }

  private write(level: LogLevel, message: unknown, rest: unknown[]): void {
    if (!this.levels.includes(level) && level !== 'fatal') return;
    // Nest passes the context last; an error's stack comes before it.
    const context = typeof rest.at(-1) === 'string' ? (rest.at(-1) as string) : undefined;
    const stack = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
    const requestId = requestContext.current()?.requestId;
    const text = redact(typeof message === 'string' ? message : safeJson(message));
    if (this.json) {
      this.json[PINO_LEVELS[level]]({ context, request_id: requestId, ...(stack && { stack: redact(stack) }) }, text);
      return;
    }
    const line = requestId ? `${text} [${requestId}]` : text;
    const args = [line, ...(stack ? [redact(stack)] : []), ...(context ? [context] : [])];
    this.text![level === 'fatal' ? 'error' : level](...(args as [string, ...string[]]));
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
