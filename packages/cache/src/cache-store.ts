/** The raw entries of some keys of one namespace, and that namespace's epoch, as read. */
export interface NamespaceRead {
  raws: Array<string | null>;
  epoch: string;
}

export interface StoreWrite {
  key: string;
  raw: string;
  ttlMs: number;
  tags: readonly string[];
  /** For a guarded write-back: the mark of what was read (see `seenMark`). */
  seen?: string;
}

/**
 * Writes into one namespace. With `epoch` set it is a write-back of loaded values: skipped
 * entirely if the namespace was invalidated since that epoch was read, and per key if the
 * key changed since it was read. Without it, a write-through that replaces what is there.
 */
export interface NamespaceWrite {
  namespace: string;
  entries: StoreWrite[];
  epoch?: string;
}

export interface ReadOrLockOptions {
  key: string;
  namespace: string;
  /** Take the key's load lock when it holds no value (0 ms: do not lock). */
  lockToken: string;
  lockTtlMs: number;
  /** Take the lock even over a value (to refresh a stale one). */
  lockOverValue?: boolean;
  /** Tags the value will carry: registered before the load so a tag invalidation sees them. */
  tags: readonly string[];
}

export interface ReadOrLock {
  raw: string | null;
  epoch: string;
  locked: boolean;
}

/**
 * What the cache needs from where entries live: Redis (shared by every process) or the
 * in-process fallback. Every method is one round trip on Redis (a pipeline or a script),
 * except the invalidations that scan, which go in batches.
 */
export interface CacheStore {
  readonly kind: 'redis' | 'memory';
  /** Whether commands can be sent now (the connection is up). */
  ready(): boolean;
  read(groups: ReadonlyArray<{ namespace: string; keys: readonly string[] }>): Promise<NamespaceRead[]>;
  readOrLock(options: ReadOrLockOptions): Promise<ReadOrLock>;
  /** A waiter's look at a key another process is loading: its entry, and whether the lock is still held. */
  peek(key: string): Promise<{ raw: string | null; locked: boolean }>;
  /** Writes; then releases a load lock if given (same round trip). */
  write(groups: readonly NamespaceWrite[], unlock?: { key: string; token: string }): Promise<void>;
  unlock(key: string, token: string): Promise<void>;
  /** Replaces keys with tombstones that live `ttlMs`. */
  tombstone(keys: readonly string[], ttlMs: number): Promise<void>;
  /** Bumps the namespace epoch, then removes its keys matching `pattern` (SCAN + UNLINK). */
  invalidateNamespace(namespace: string, pattern: string): Promise<number>;
  /** Bumps the epoch of every namespace holding the tag, then removes its keys. */
  invalidateTag(tag: string): Promise<number>;
  /** Fixed-window counters (keys of one namespace): adds one to each and returns the counts. */
  hitWindows(keys: readonly string[], windowMs: number): Promise<number[]>;
  publish(message: string): Promise<void>;
  /**
   * Listens on the invalidation channel. `onConnected(false)` when messages may be missed
   * (the connection dropped), `onConnected(true)` once listening again.
   */
  subscribe(onMessage: (message: string) => void, onConnected: (connected: boolean) => void): Promise<void>;
  /** Removes every key of the service (bookkeeping included). */
  clear(): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
