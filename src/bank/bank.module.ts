import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BankGateway } from './bank-gateway.js';
import { BankSimulator } from './simulator/bank-simulator.js';
import { SimulatedOperation } from './simulator/simulated-operation.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([SimulatedOperation])],
  providers: [{ provide: BankGateway, useClass: BankSimulator }],
  exports: [BankGateway],
})
export class BankModule {}
