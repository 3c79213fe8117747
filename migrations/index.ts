import { InitialSchema1764079200000 } from './1764079200000-InitialSchema.js';
import { MoneySafety1764165600000 } from './1764165600000-MoneySafety.js';
import { Webhooks1764252000000 } from './1764252000000-Webhooks.js';
import { ApiKeyRevocations1764338400000 } from './1764338400000-ApiKeyRevocations.js';
import { IdempotencyLease1764428400000 } from './1764428400000-IdempotencyLease.js';
import { IdempotencyTokenIndexes1764428400001 } from './1764428400001-IdempotencyTokenIndexes.js';
import { Acquirers1764514800000 } from './1764514800000-Acquirers.js';
import { LiveMode1764601200000 } from './1764601200000-LiveMode.js';
import { LiveModeIndexes1764601200001 } from './1764601200001-LiveModeIndexes.js';
import { DeliveriesIndex1764774000000 } from './1764774000000-DeliveriesIndex.js';
import { SimulatorLedgerOut1764774000001 } from './1764774000001-SimulatorLedgerOut.js';
import { People1764860400000 } from './1764860400000-People.js';
import { MerchantPeopleAndAudit1764864000000 } from './1764864000000-MerchantPeopleAndAudit.js';
import { RoutingNotifications1764950400000 } from './1764950400000-RoutingNotifications.js';
import { ModelessIndexesOut1765036800000 } from './1765036800000-ModelessIndexesOut.js';
import { FanOutPerStatement1765123200000 } from './1765123200000-FanOutPerStatement.js';
import { SharedParentKeysOut1765209600000 } from './1765209600000-SharedParentKeysOut.js';

/** Every migration, oldest first. A new file from `npm run migration:generate` is added here. */
export const migrations = [
  InitialSchema1764079200000,
  MoneySafety1764165600000,
  Webhooks1764252000000,
  ApiKeyRevocations1764338400000,
  IdempotencyLease1764428400000,
  IdempotencyTokenIndexes1764428400001,
  Acquirers1764514800000,
  LiveMode1764601200000,
  LiveModeIndexes1764601200001,
  DeliveriesIndex1764774000000,
  SimulatorLedgerOut1764774000001,
  People1764860400000,
  MerchantPeopleAndAudit1764864000000,
  RoutingNotifications1764950400000,
  ModelessIndexesOut1765036800000,
  FanOutPerStatement1765123200000,
  SharedParentKeysOut1765209600000,
];
