import { Module } from '@nestjs/common';
import { SimulatorBank } from './bank-gateway.js';
import { BankSimulator } from './simulator/bank-simulator.js';
import { SimulatorLedger } from './simulator/simulator-ledger.js';

/** The built-in simulator and its ledger; the BankGateway that payments use is the router (AcquirersModule). */
@Module({
  providers: [SimulatorLedger, { provide: SimulatorBank, useClass: BankSimulator }],
  exports: [SimulatorBank, SimulatorLedger],
})
export class BankModule {}
