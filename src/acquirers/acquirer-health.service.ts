import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/config.js';
import { AcquirerHealth } from './acquirer-health.js';

/** This instance's AcquirerHealth, from ACQUIRER_FAILURE_THRESHOLD and ACQUIRER_COOLDOWN. */
@Injectable()
export class AcquirerHealthService extends AcquirerHealth {
  constructor(config: AppConfig) {
    super(config.acquirerFailureThreshold, config.acquirerCooldownMs);
  }
}
