import type { AcquirerRow } from './attempts.repository.js';
import type { Routing } from './rules/routing.js';

/** What a route is chosen from: the merchant's routing (null: none saved) and every acquirer. */
export interface RouteData {
  routing: Routing | null;
  acquirers: AcquirerRow[];
}

/** The payload announcing a change of every route: an acquirer changed, or a table was emptied. */
export const EVERY_ROUTE = '*';

/**
 * The acquirers table and merchants' routings as this instance last read them, so that
 * creating a payment needs no round trip for its route. Trusted only while the database's
 * announcements of changes can be heard (`open`); an announcement forgets what it names at
 * once: a merchant id its routing, anything else (`*`) everything.
 *
 * A read that was already under way when a change was announced may have seen the data from
 * before it: its answer is not kept (`generation` moves on with every change).
 */
export class RoutingCache {
  private acquirers: AcquirerRow[] | undefined;
  private readonly routings = new Map<string, Routing | null>();
  private current = 0;
  private isOpen = false;

  constructor(private readonly maxMerchants: number) {}

  /** Taken before a read and handed back to `set`. */
  get generation(): number {
    return this.current;
  }

  get(merchantId: string): RouteData | undefined {
    if (this.acquirers === undefined) return undefined;
    const routing = this.routings.get(merchantId);
    return routing === undefined ? undefined : { routing, acquirers: this.acquirers };
  }

  set(merchantId: string, data: RouteData, generation: number): void {
    if (!this.isOpen || generation !== this.current) return;
    this.acquirers = data.acquirers;
    // Maps iterate in insertion order: the first merchant is the one read longest ago.
    if (!this.routings.has(merchantId) && this.routings.size >= this.maxMerchants) this.routings.delete(this.routings.keys().next().value!);
    this.routings.set(merchantId, data.routing);
  }

  /** A change announced by the database, or made by this instance: its merchant id, or `*`. */
  changed(merchantIdOrEvery: string): void {
    this.current++;
    if (merchantIdOrEvery === EVERY_ROUTE || merchantIdOrEvery === '') this.clear();
    else this.routings.delete(merchantIdOrEvery);
  }

  /** Changes can be heard (again): start from nothing, since some may have been missed. */
  open(): void {
    this.current++;
    this.clear();
    this.isOpen = true;
  }

  /** Changes can no longer be heard: trust nothing until they can. */
  close(): void {
    this.current++;
    this.clear();
    this.isOpen = false;
  }

  private clear(): void {
    this.acquirers = undefined;
    this.routings.clear();
  }
}
