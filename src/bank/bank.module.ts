import { Module } from '@nestjs/common';
import { SimulatorBank } from './bank-gateway.js';
import { BankSimulator } from './simulator/bank-simulator.js';

/** The built-in simulator; the BankGateway that payments use is the router (AcquirersModule). */
@Module({
  providers: [{ provide: SimulatorBank, useClass: BankSimulator }],
  exports: [SimulatorBank],
})
export class BankModule {}
