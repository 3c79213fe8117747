import { Module } from '@nestjs/common';
import { AcquirersModule } from '../acquirers/acquirers.module.js';
import { MerchantsModule } from '../merchants/merchants.module.js';
import { AdminPaymentsController } from './admin-payments.controller.js';
import { ExpirySweeper } from './expiry-sweeper.service.js';
import { PaymentQueuesRepository } from './payment-queues.repository.js';
import { PaymentSettlement } from './payment-settlement.js';
import { PaymentWorkers } from './payment-workers.js';
import { PaymentsController } from './payments.controller.js';
import { PaymentsRepository } from './payments.repository.js';
import { PaymentsService } from './payments.service.js';
import { Reconciler } from './reconciler.service.js';
import { RefundsController } from './refunds.controller.js';
import { RefundsRepository } from './refunds.repository.js';
import { RefundsService } from './refunds.service.js';

@Module({
  imports: [AcquirersModule, MerchantsModule],
  controllers: [PaymentsController, RefundsController, AdminPaymentsController],
  providers: [
    PaymentsService,
    RefundsService,
    PaymentsRepository,
    RefundsRepository,
    PaymentQueuesRepository,
    PaymentSettlement,
    Reconciler,
    ExpirySweeper,
    PaymentWorkers,
  ],
})
export class PaymentsModule {}
