import type { INestApplication, LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { App } from 'supertest/types.js';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { APP_OPTIONS, configureApp } from '../../src/app.factory.js';
import { AppModule } from '../../src/app.module.js';
import type { AuthorizationRequest, BankOperationRef, BankOutcome, BankStatus, UnknownOutcome } from '../../src/bank/bank-gateway.js';
import { BankGateway, SimulatorBank } from '../../src/bank/bank-gateway.js';
import { SimulatorLedger } from '../../src/bank/simulator/simulator-ledger.js';
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

export type BankCall =
  | { kind: 'capture'; paymentId: string; amount: number }
  | { kind: 'void'; paymentId: string }
  | { kind: 'refund'; refundId: string; paymentId: string; amount: number }
  | { kind: 'getStatus'; operation: BankOperationRef };

/**
 * The simulator behind a recorder: what reached the bank, card number included (in memory
 * only). `calls` lists authorisations, `operations` everything else.
 */
export class RecordingBank implements BankGateway {
  readonly calls: AuthorizationRequest[] = [];
  readonly operations: BankCall[] = [];
  /** Set to make the next calls fail as a broken network would. */
  unreachable = false;
  /** Set to make the next calls answer only after this long, as a slow bank would (it acts at once, answers late). */
  delayMs = 0;

  constructor(readonly inner: BankGateway) {}

  authorize(request: AuthorizationRequest): Promise<BankOutcome | UnknownOutcome> {
    this.calls.push(request);
    return this.reach(() => this.inner.authorize(request));
  }

  capture(request: { paymentId: string; amount: number }): Promise<BankOutcome | UnknownOutcome> {
    this.operations.push({ kind: 'capture', ...request });
    return this.reach(() => this.inner.capture(request));
  }

  void(request: { paymentId: string }): Promise<BankOutcome | UnknownOutcome> {
    this.operations.push({ kind: 'void', ...request });
    return this.reach(() => this.inner.void(request));
  }

  refund(request: { refundId: string; paymentId: string; amount: number }): Promise<BankOutcome | UnknownOutcome> {
    this.operations.push({ kind: 'refund', ...request });
    return this.reach(() => this.inner.refund(request));
  }

  getStatus(operation: BankOperationRef): Promise<BankStatus | UnknownOutcome> {
    this.operations.push({ kind: 'getStatus', operation });
    return this.reach(() => this.inner.getStatus(operation));
  }

  private async reach<T>(call: () => Promise<T>): Promise<T> {
    if (this.unreachable) throw new Error('connect ECONNREFUSED (simulated)');
    const answer = await call();
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    return answer;
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

/**
 * Boots the real app (every module, the real database) with the clock and a recording bank
 * swapped in. Background loops are off unless a test turns them on (WORKERS_ENABLED=true):
 * tests drive the reconciler and the sweeper with runOnce().
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({ ...process.env, ADMIN_API_KEY: ADMIN_KEY, BANK_TIMEOUT_MS: '1000', WORKERS_ENABLED: 'false', RATE_LIMIT_PER_KEY: '0', AUTH_FAILURE_LIMIT_PER_MINUTE: '0', ...env });
  const clock = new FixedClock();
  const logger = new CapturingLogger();
  let bank: RecordingBank | undefined;
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(config)] })
    .overrideProvider(Clock)
    .useValue(clock)
    .overrideProvider(SimulatorBank)
    .useFactory({ factory: (ledger: SimulatorLedger) => (bank = new RecordingBank(new BankSimulator(config, ledger))), inject: [SimulatorLedger] })
    .setLogger(logger)
    .compile();
  const app = moduleRef.createNestApplication(APP_OPTIONS);
  app.useLogger(logger);
  configureApp(app, config);
  await app.init();
  const server = app.getHttpServer() as App;
  return {
    app,
    http: () => request(server),
    config,
    clock,
    bank: bank!,
    logger,
    dataSource: app.get(DataSource),
    close: () => app.close(),
  };
}

/**
 * Starts an app (`startTestApp(env)`) before the enclosing describe's tests and closes it after
 * them; returns the accessor to use inside tests and hooks.
 */
export function useTestApp(env: Record<string, string> = {}): () => TestApp {
  let started: TestApp | undefined;
  beforeAll(async () => {
    started = await startTestApp(env);
  });
  afterAll(async () => {
    await started?.close();
  });
  return () => {
    if (!started) throw new Error('useTestApp: the app is used outside a test or hook of its describe, or did not start');
    return started;
  };
}
