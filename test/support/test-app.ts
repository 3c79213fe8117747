import type { INestApplication, LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { App } from 'supertest/types.js';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { APP_OPTIONS, configureApp } from '../../src/app.factory.js';
import { AppModule } from '../../src/app.module.js';
import { AuthorizationRequest, BankGateway, BankOutcome } from '../../src/bank/bank-gateway.js';
import { BankSimulator } from '../../src/bank/simulator/bank-simulator.js';
import { Clock } from '../../src/common/clock.js';
import { AppConfig, loadConfig } from '../../src/config/config.js';

export const ADMIN_KEY = 'test-admin-key-0123456789abcdef';

/** A clock the test sets; starts at a fixed date so expiry rules are deterministic. */
export class FixedClock extends Clock {
  constructor(private current = new Date('2026-11-25T12:00:00.000Z')) {
    super();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(date: Date | string): void {
    this.current = new Date(date);
  }
}

/** Every line the app logged, to prove what never reaches a log. */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];

  private record(level: string, message: unknown, rest: unknown[]): void {
    this.lines.push([level, message, ...rest].map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' '));
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.record('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.record('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.record('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.record('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.record('verbose', message, rest);
  }
}

/** The simulator behind a recorder: what reached the bank, card number included (in memory only). */
export class RecordingBank implements BankGateway {
  readonly calls: AuthorizationRequest[] = [];

  constructor(private readonly inner: BankGateway) {}

  authorize(request: AuthorizationRequest): Promise<BankOutcome> {
    this.calls.push(request);
    return this.inner.authorize(request);
  }
}

export interface TestApp {
  app: INestApplication;
  http: () => ReturnType<typeof request>;
  config: AppConfig;
  clock: FixedClock;
  bank: RecordingBank;
  logger: CapturingLogger;
  dataSource: DataSource;
  close(): Promise<void>;
}

/** Boots the real app (every module, the real database) with the clock and a recording bank swapped in. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({ ...process.env, ADMIN_API_KEY: ADMIN_KEY, BANK_TIMEOUT_MS: '1000', ...env });
  const clock = new FixedClock();
  const bank = new RecordingBank(new BankSimulator(config));
  const logger = new CapturingLogger();
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(config)] })
    .overrideProvider(Clock)
    .useValue(clock)
    .overrideProvider(BankGateway)
    .useValue(bank)
    .setLogger(logger)
    .compile();
  const app = moduleRef.createNestApplication(APP_OPTIONS);
  app.useLogger(logger);
  configureApp(app);
  await app.init();
  const server = app.getHttpServer() as App;
  return {
    app,
    http: () => request(server),
    config,
    clock,
    bank,
    logger,
    dataSource: app.get(DataSource),
    close: () => app.close(),
  };
}
