import { Global, Module } from '@nestjs/common';
import { AuditController } from './audit.controller.js';
import { AuditService } from './audit.service.js';
import { AuditTrail } from './audit-trail.js';

/** Global: every module that changes configuration or money writes to the trail. */
@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditTrail, AuditService],
  exports: [AuditTrail],
})
export class AuditModule {}
