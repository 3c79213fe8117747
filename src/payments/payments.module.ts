import { Module } from '@nestjs/common';
import { BankModule } from '../bank/bank.module.js';
import { MerchantsModule } from '../merchants/merchants.module.js';
import { AdminPaymentsController } from './admin-payments.controller.js';
import { PaymentsController } from './payments.controller.js';
import { PaymentsRepository } from './payments.repository.js';
import { PaymentsService } from './payments.service.js';

@Module({
  imports: [BankModule, MerchantsModule],
  controllers: [PaymentsController, AdminPaymentsController],
  providers: [PaymentsService, PaymentsRepository],
})
export class PaymentsModule {}
