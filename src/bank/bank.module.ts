import { Module } from '@nestjs/common';
import { BankGateway } from './bank-gateway.js';
import { BankSimulator } from './simulator/bank-simulator.js';

@Module({
  providers: [{ provide: BankGateway, useClass: BankSimulator }],
  exports: [BankGateway],
})
export class BankModule {}
