import { Injectable } from '@nestjs/common';
import type { AuthorizationRequest } from '../bank/bank-gateway.js';
import { DatabaseNotifications } from '../database/database-notifications.js';
import { SIMULATOR_ACQUIRER_ID } from './acquirer.entity.js';
import { AttemptsRepository, type AcquirerRow } from './attempts.repository.js';
import { EVERY_ROUTE, RoutingCache, type RouteData } from './routing-cache.js';
import { acquirersFor } from './rules/routing.js';

/**
 * The channel the acquirers and merchant_routings triggers announce changes on (see the
 * migration RoutingNotifications): a merchant id, or `*` for every route.
 */
const ROUTING_CHANNEL = 'routing_changed';
const MAX_CACHED_ROUTINGS = 10_000;

/**
 * The acquirers to try for a payment, in order; test-mode payments only ever reach the
 * simulator. What they are chosen from is kept per instance while the database's
 * announcements of changes are heard (`DatabaseNotifications`), so that creating a payment
 * costs no round trip for its route; while they are not, it is read on every payment.
 */
@Injectable()
export class Routes {
  private readonly cache = new RoutingCache(MAX_CACHED_ROUTINGS);

  constructor(
    private readonly attempts: AttemptsRepository,
    notifications: DatabaseNotifications,
  ) {
    notifications.subscribe({
      channel: ROUTING_CHANNEL,
      notified: (merchantIdOrEvery) => this.cache.changed(merchantIdOrEvery),
      opened: () => this.cache.open(),
      closed: () => this.cache.close(),
    });
  }

  async route(request: Pick<AuthorizationRequest, 'merchantId' | 'livemode' | 'currency' | 'brand' | 'amount'>): Promise<AcquirerRow[]> {
    let data = this.cache.get(request.merchantId);
    if (!data) {
      const generation = this.cache.generation;
      data = await this.attempts.routeData(request.merchantId);
      this.cache.set(request.merchantId, data, generation);
    }
    return routeFrom(data, request);
  }

  /**
   * A change this instance has just committed: forgotten at once rather than when its
   * announcement arrives. A merchant id for its routing; none for an acquirer.
   */
  changed(merchantId?: string): void {
    this.cache.changed(merchantId ?? EVERY_ROUTE);
  }
}

/** The enabled acquirers the payment's routing names, in its order (the simulator for a test-mode payment or a merchant without routing). */
export function routeFrom(data: RouteData, request: Pick<AuthorizationRequest, 'livemode' | 'currency' | 'brand' | 'amount'>): AcquirerRow[] {
  const ids =
    request.livemode && data.routing ? acquirersFor(data.routing, { currency: request.currency, brand: request.brand, amount: request.amount }) : [SIMULATOR_ACQUIRER_ID];
  const byId = new Map(data.acquirers.map((acquirer) => [acquirer.id, acquirer]));
  return ids.flatMap((id) => byId.get(id) ?? []).filter((acquirer) => acquirer.enabled);
}
