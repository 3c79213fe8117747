import type { Principal } from './principal.js';

/**
 * Who a key hash stands for, so that an authenticated request needs no database round trip
 * for its key. Trusted only while the revocation listener is connected (`open`), and for at
 * most `ttlMs` in any case; a revocation announced by the database removes the key at once.
 *
 * A lookup that was already under way when a revocation arrived may have read the key before
 * it was revoked: its answer is not kept (`generation` moves on with every revocation).
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, { principal: Principal; expiresAt: number }>();
  private current = 0;
  private isOpen = false;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Taken before a lookup and handed back to `set`. */
  get generation(): number {
    return this.current;
  }

  get(hash: string): Principal | undefined {
    const entry = this.entries.get(hash);
    if (!entry) return undefined;
    if (entry.expiresAt > this.now()) return entry.principal;
    this.entries.delete(hash);
    return undefined;
  }

  set(hash: string, principal: Principal, generation: number): void {
    if (!this.isOpen || this.ttlMs === 0 || generation !== this.current) return;
    // Maps iterate in insertion order: the first key is the oldest entry.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(hash, { principal, expiresAt: this.now() + this.ttlMs });
  }

  revoked(hash: string): void {
    this.current++;
    this.entries.delete(hash);
  }

  /** A key revoked by its id (this instance did it): forget whatever hash it had. */
  revokedKey(keyId: string): void {
    this.current++;
    for (const [hash, { principal }] of this.entries) if (principal.keyId === keyId) this.entries.delete(hash);
  }

  /** Revocations can be heard (again): start from nothing, since some may have been missed. */
  open(): void {
    this.current++;
    this.entries.clear();
    this.isOpen = true;
  }

  /** Revocations can no longer be heard: trust nothing until they can. */
  close(): void {
    this.current++;
    this.entries.clear();
    this.isOpen = false;
  }
}
