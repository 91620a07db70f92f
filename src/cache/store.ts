/**
 * Where the content-addressed scan cache keeps its entries: values by key, read and written in
 * batches so that a store across the network costs one round trip per batch, not per entry.
 * Every value is derived from its key's content, so an entry is never updated in place: a store
 * may drop any entry at any time, and a scan then computes it again.
 */
export interface CacheStore {
  /** The value of each key, or null where the store holds none. */
  getMany(keys: readonly string[]): Promise<(Buffer | null)[]>;
  setMany(entries: readonly (readonly [string, Buffer])[]): Promise<void>;
}

/** 64 MiB: a report of 6,000 artifacts and their entries is about 10 MiB. */
export const DEFAULT_MEMORY_CACHE_BYTES = 64 * 1024 * 1024;

/** The store of one process: bounded by the bytes of its keys and values, the least recently used dropped first. */
export class MemoryCacheStore implements CacheStore {
  private readonly entries = new Map<string, Buffer>();
  private bytes = 0;

  constructor(readonly maxBytes = DEFAULT_MEMORY_CACHE_BYTES) {}

  get size(): number {
    return this.entries.size;
  }

  async getMany(keys: readonly string[]): Promise<(Buffer | null)[]> {
    return keys.map((key) => {
      const value = this.entries.get(key);
      if (value === undefined) return null;
      // A Map keeps insertion order: moving an entry to the end marks it as used last.
      this.entries.delete(key);
      this.entries.set(key, value);
      return value;
    });
  }

  async setMany(entries: readonly (readonly [string, Buffer])[]): Promise<void> {
    for (const [key, value] of entries) {
      const cost = key.length + value.length;
      if (cost > this.maxBytes) continue;
      this.drop(key);
      this.entries.set(key, value);
      this.bytes += cost;
    }
    for (const key of this.entries.keys()) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(key);
    }
  }

  private drop(key: string): void {
    const value = this.entries.get(key);
    if (value === undefined) return;
    this.entries.delete(key);
    this.bytes -= key.length + value.length;
  }
}

/** The few commands of a Redis client the store uses (ioredis's names), so the core needs no Redis package. */
export interface RedisCommands {
  mgetBuffer(...keys: string[]): Promise<(Buffer | null)[]>;
  multi(): { set(key: string, value: Buffer, mode: "EX", seconds: number): unknown; exec(): Promise<unknown> };
}

/** A week: entries of commits nobody pushes any more expire, and Redis's own eviction bounds the rest. */
export const DEFAULT_REDIS_CACHE_TTL_SECONDS = 7 * 24 * 3600;

/**
 * The store every App and worker process shares through Redis (REDIS_URL). A cache that cannot
 * answer is an empty one: an error is passed to `onError` and the scan goes on without it.
 */
export class RedisCacheStore implements CacheStore {
  constructor(
    private readonly redis: RedisCommands,
    private readonly options: { prefix?: string; ttlSeconds?: number; onError?: (error: unknown) => void } = {},
  ) {}

  async getMany(keys: readonly string[]): Promise<(Buffer | null)[]> {
    if (keys.length === 0) return [];
    try {
      return await this.redis.mgetBuffer(...keys.map((key) => this.keyOf(key)));
    } catch (error) {
      this.options.onError?.(error);
      return keys.map(() => null);
    }
  }

  async setMany(entries: readonly (readonly [string, Buffer])[]): Promise<void> {
    if (entries.length === 0) return;
    const batch = this.redis.multi();
    for (const [key, value] of entries) batch.set(this.keyOf(key), value, "EX", this.options.ttlSeconds ?? DEFAULT_REDIS_CACHE_TTL_SECONDS);
    try {
      await batch.exec();
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  private keyOf(key: string): string {
    return `${this.options.prefix ?? "skilldex:cache:"}${key}`;
  }
}
