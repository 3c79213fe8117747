import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The built-in simulator's ledger leaves the gateway's tables: it is the bank's record, not
 * the gateway's, and from this release the simulator keeps it in its own schema
 * (`bank_simulator.operations`, created by the simulator itself at start, see
 * src/bank/simulator/simulator-ledger.ts). This moves the rows there.
 *
 * During a rolling update the instances of the previous release still read and write
 * `public.bank_simulator_operations`: a view of the same name over the new table keeps them
 * working (a plain view is updatable, `INSERT … ON CONFLICT` included). The next release
 * drops the view.
 */
/** The ledger's columns, the same on both sides of the move (and as the simulator creates them). */
const COLUMNS = `(
  key        text PRIMARY KEY,
  kind       text NOT NULL,
  amount     integer,
  outcome    jsonb NOT NULL,
  answer_at  timestamptz(3) NOT NULL,
  created_at timestamptz(3) NOT NULL
)`;

export class SimulatorLedgerOut1764774000001 implements MigrationInterface {
  name = 'SimulatorLedgerOut1764774000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS bank_simulator`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS bank_simulator.operations ${COLUMNS}`);
    await queryRunner.query(`
      INSERT INTO bank_simulator.operations (key, kind, amount, outcome, answer_at, created_at)
      SELECT key, kind, amount, outcome, answer_at, created_at FROM public.bank_simulator_operations
      ON CONFLICT (key) DO NOTHING`);
    await queryRunner.query(`DROP TABLE public.bank_simulator_operations`);
    await queryRunner.query(`CREATE VIEW public.bank_simulator_operations AS SELECT key, kind, amount, outcome, answer_at, created_at FROM bank_simulator.operations`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW public.bank_simulator_operations`);
    await queryRunner.query(`
      CREATE TABLE public.bank_simulator_operations ${COLUMNS}`);
    await queryRunner.query(`
      INSERT INTO public.bank_simulator_operations (key, kind, amount, outcome, answer_at, created_at)
      SELECT key, kind, amount, outcome, answer_at, created_at FROM bank_simulator.operations`);
    await queryRunner.query(`DROP TABLE bank_simulator.operations`);
  }
}
