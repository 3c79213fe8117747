import { decimal, int, oneOf, url } from '../config/parsers.js';
import { optional, variable } from '../config/schema.js';

export const BANK_SIMULATOR_MODES = ['deterministic', 'random'] as const;
export type BankSimulatorMode = (typeof BANK_SIMULATOR_MODES)[number];

export const bankConfig = {
  bankSimulatorMode: variable('BANK_SIMULATOR_MODE', {
    description: '`deterministic`: the test-card table; `random`: approve at random.',
    default: 'deterministic',
    parse: oneOf(BANK_SIMULATOR_MODES),
  }),
  bankSimulatorLatencyMs: variable('BANK_SIMULATOR_LATENCY_MS', {
    description: 'Simulated bank round trip of every operation.',
    unit: 'ms',
    default: 0,
    parse: int(0, 600_000),
  }),
  bankSimulatorApprovalRate: variable('BANK_SIMULATOR_APPROVAL_RATE', {
    description: 'Share of approvals in `random` mode.',
    unit: 'fraction',
    default: 0.8,
    parse: decimal({ min: 0, max: 1 }),
  }),
  bankSimulatorDatabaseUrl: optional('BANK_SIMULATOR_DATABASE_URL', {
    description: "PostgreSQL of the built-in simulator's ledger (its own schema, `bank_simulator`, and its own 3 connections). Unset: the gateway's database.",
    // It may hold a password.
    secret: true,
    parse: url('postgres', 'postgresql'),
  }),
  bankTimeoutMs: variable('BANK_TIMEOUT_MS', {
    description: 'How long the gateway waits for the bank; past it the outcome is unknown and the reconciler asks again.',
    unit: 'ms',
    default: 5000,
    parse: int(1, 600_000),
  }),
};
