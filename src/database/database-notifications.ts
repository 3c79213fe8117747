import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import pg from 'pg';
import { AppConfig } from '../config/config.js';

/** What a cache kept true to the database's announcements (`NOTIFY` from a trigger) hears. */
export interface NotificationSubscriber {
  /** The channel its triggers announce on (see their migration). */
  readonly channel: string;
  /** A change announced on the channel (the payload its trigger chose). */
  notified(payload: string): void;
  /** Announcements can be heard (again): start from nothing, since some may have been missed. */
  opened(): void;
  /** Announcements can no longer be heard: trust nothing until they can. */
  closed(): void;
}

/** The name the connection has in `pg_stat_activity`. */
export const NOTIFICATIONS_APPLICATION_NAME = 'payment-gateway-notifications';
const RECONNECT_MS = 1000;

/**
 * One connection of this instance's own, outside the pool, that LISTENs on every subscriber's
 * channel and hands each announcement to its subscriber. While that connection is down every
 * subscriber is closed (its cache trusts nothing: every request asks the database); it
 * reconnects every second, and subscribers are opened again once it listens. No subscriber,
 * no connection.
 */
@Injectable()
export class DatabaseNotifications implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DatabaseNotifications');
  private readonly subscribers: NotificationSubscriber[] = [];
  private client: pg.Client | undefined;
  private pid: number | undefined;
  private reconnect: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly config: AppConfig) {}

  /** Before the application bootstraps (in a constructor): the channels are listened to from the start. */
  subscribe(subscriber: NotificationSubscriber): void {
    this.subscribers.push(subscriber);
  }

  /** Whether announcements are heard right now, and so whether the subscribers' caches are trusted. */
  get listening(): boolean {
    return this.client !== undefined;
  }

  /** The listening connection's server process (`pg_stat_activity.pid`), while it listens. */
  get backendPid(): number | undefined {
    return this.client && this.pid;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.subscribers.length > 0) await this.listen();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnect);
    for (const subscriber of this.subscribers) subscriber.closed();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.config.databaseUrl,
      application_name: NOTIFICATIONS_APPLICATION_NAME,
      keepAlive: true,
      connectionTimeoutMillis: this.config.databasePoolTimeoutMs,
      query_timeout: this.config.databaseStatementTimeoutMs,
    });
    let lost = false;
    let pid: number | undefined;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      for (const subscriber of this.subscribers) subscriber.closed();
      if (this.client === client) this.client = undefined;
      void client.end().catch(() => undefined);
      if (this.stopped) return;
      this.logger.warn(
        `Not listening for ${this.channels().join(', ')} (${error?.message ?? 'connection closed'}): ` +
          'what they keep fresh is read from the database on every request until it reconnects',
      );
      this.reconnect = setTimeout(() => void this.listen(), RECONNECT_MS);
      this.reconnect.unref();
    };
    client.on('notification', (message) => {
      for (const subscriber of this.subscribers) if (subscriber.channel === message.channel) subscriber.notified(message.payload ?? '');
    });
    client.on('error', onLost);
    client.on('end', () => onLost());
    try {
      await client.connect();
      pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
      // Channel names are the subscribers' constants, never input: quoted as identifiers all the same.
      for (const channel of this.channels()) await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
    } catch (error) {
      onLost(error as Error);
      return;
    }
    if (lost || this.stopped) return;
    this.client = client;
    this.pid = pid;
    for (const subscriber of this.subscribers) subscriber.opened();
  }

  private channels(): string[] {
    return [...new Set(this.subscribers.map((subscriber) => subscriber.channel))];
  }
}
