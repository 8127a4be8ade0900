import { sql } from 'drizzle-orm';
import type { Database, Executor } from './db';

export const CONFIG_CHANNEL = 'relais_config';

/**
 * Per-node cache of what changes rarely and is read on every request (queues, calendars,
 * SLA policy, token → staff). Any change anywhere is announced with NOTIFY, and every
 * node — the one that made it too — drops its cache at commit; the TTL is a safety net.
 */
export class ConfigCache {
  private entries = new Map<string, { value: unknown; expires: number }>();
  private unlisten: (() => Promise<void>) | null = null;
  private listeners = new Set<() => void>();

  constructor(private readonly ttlMs = 30_000) {}

  async start(database: Database): Promise<void> {
    this.unlisten = await database.listen(CONFIG_CHANNEL, () => {
      this.clear();
      for (const l of this.listeners) l();
    });
  }

  /** Called at each announced change, for what a node keeps outside this cache (the channels' settings). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = null;
  }

  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.expires > Date.now()) return hit.value as T;
    const value = await load();
    this.entries.set(key, { value, expires: Date.now() + this.ttlMs });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Call in the transaction that changes configuration or access: all nodes forget at commit. */
export async function announceConfigChange(tx: Executor): Promise<void> {
  await tx.execute(sql`select pg_notify(${CONFIG_CHANNEL}, '')`);
}
