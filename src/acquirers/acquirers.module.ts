import { Module } from '@nestjs/common';
import { BankGateway } from '../bank/bank-gateway.js';
import { BankModule } from '../bank/bank.module.js';
import { MerchantsModule } from '../merchants/merchants.module.js';
import { AcquirerAdapters } from './acquirer-adapters.js';
import { AcquirerHealthService } from './acquirer-health.service.js';
import { AcquirerRouter } from './acquirer-router.js';
import { AcquirersController, RoutingController } from './acquirers.controller.js';
import { AcquirersService } from './acquirers.service.js';
import { AttemptsRepository } from './attempts.repository.js';
import { Routes } from './routes.js';

/** Acquirers, routing and the router: the BankGateway the payments module sees. */
@Module({
  imports: [BankModule, MerchantsModule],
  controllers: [AcquirersController, RoutingController],
  providers: [
    AcquirersService,
    AcquirerHealthService,
    AcquirerAdapters,
    AttemptsRepository,
    Routes,
    { provide: BankGateway, useClass: AcquirerRouter },
  ],
  exports: [BankGateway],
})
export class AcquirersModule {}
