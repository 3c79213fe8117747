import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/config.js';
import type { AcquirerAdapter } from './acquirer-adapter.js';
import type { AcquirerRow } from './attempts.repository.js';
import { HttpAcquirerAdapter } from './http/http-acquirer.adapter.js';

/**
 * How to reach an acquirer of each kind. Adding an acquirer with a protocol of its own is one
 * adapter file (implementing AcquirerAdapter) and one line here; the built-in simulator is
 * reached by the router directly.
 */
const ADAPTERS: Record<Exclude<AcquirerRow['kind'], 'simulator'>, (acquirer: AcquirerRow, config: AppConfig) => AcquirerAdapter> = {
  http: (acquirer, config) =>
    new HttpAcquirerAdapter({
      baseUrl: acquirer.baseUrl!,
      apiKey: acquirer.apiKey ?? '',
      timeoutMs: acquirer.timeoutMs,
      allowPrivate: config.acquirersAllowPrivate,
    }),
};

/** One adapter (and so one keep-alive pool) per acquirer, rebuilt when the acquirer changes. */
@Injectable()
export class AcquirerAdapters implements OnApplicationShutdown {
  private readonly built = new Map<string, { version: string; adapter: AcquirerAdapter }>();

  constructor(private readonly config: AppConfig) {}

  for(acquirer: AcquirerRow): AcquirerAdapter {
    if (acquirer.kind === 'simulator') throw new Error('The simulator is reached through the router, not an adapter');
    const current = this.built.get(acquirer.id);
    if (current?.version === acquirer.version) return current.adapter;
    void current?.adapter.close();
    const adapter = ADAPTERS[acquirer.kind](acquirer, this.config);
    this.built.set(acquirer.id, { version: acquirer.version, adapter });
    return adapter;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.built.values()].map(({ adapter }) => adapter.close()));
    this.built.clear();
  }
}
