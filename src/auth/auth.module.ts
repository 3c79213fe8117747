import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { MerchantsModule } from '../merchants/merchants.module.js';
import { RateLimitModule } from '../rate-limit/rate-limit.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { ApiKeyGuard } from './api-key.guard.js';
import { ApiKeysController, MerchantApiKeysController } from './api-keys.controller.js';
import { ApiKeyRevocations } from './api-key-revocations.js';
import { ApiKeysService } from './api-keys.service.js';

@Module({
  imports: [MerchantsModule, RateLimitModule, SessionsModule],
  controllers: [ApiKeysController, MerchantApiKeysController],
  providers: [ApiKeysService, ApiKeyRevocations, { provide: APP_GUARD, useClass: ApiKeyGuard }],
  exports: [ApiKeysService],
})
export class AuthModule {}
