/**
 * What one read asks of one namespace: the entries of `keys`, and with `versions` the
 * namespace's bucket versions (see `version-buckets.ts`), all in one atomic read (one MGET
 * on Redis), so the versions and the values read together are one snapshot.
 */
export interface NamespaceReadRequest {
  namespace: string;
  keys: readonly string[];
  versions?: boolean;
}

/** The raw entries of some keys of one namespace, its epoch and the versions asked for, as read. */
export interface NamespaceRead {
  raws: Array<string | null>;
  epoch: string;
  /**
   * The namespace's version string (`versionOf` gives a bucket's token); null when not asked
   * for or not there (never set, expired, evicted, cleared).
   */
  versions: string | null;
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
  /** Give the namespace versions if it has none (a reader's seed, sent with its write-back; see `seedVersions`). */
  seed?: boolean;
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
  /**
   * A new version string (`newVersions`) to set if the namespace has none, in the same step
   * as the read (so the value read is valid under it): for a caller that keeps what it reads
   * in an L1.
   */
  seedVersions?: string;
}

export interface ReadOrLock {
  raw: string | null;
  epoch: string;
  locked: boolean;
  /** The version of the key's bucket, read in the same step as `raw`. */
  version: string | null;
}

/** A waiter's look at a key: its entry, whether its load lock is held, and its bucket's version (one step). */
export interface Peek {
  raw: string | null;
  locked: boolean;
  version: string | null;
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
  read(groups: readonly NamespaceReadRequest[]): Promise<NamespaceRead[]>;
  readOrLock(options: ReadOrLockOptions): Promise<ReadOrLock>;
  /** A waiter's look at a key another process is loading. */
  peek(key: string): Promise<Peek>;
  /**
   * Writes; then releases a load lock if given (same round trip). A write-through (no
   * `epoch`) also gives its keys' buckets new versions, in the same atomic step; a guarded
   * write-back leaves them.
   */
  write(groups: readonly NamespaceWrite[], unlock?: { key: string; token: string }): Promise<void>;
  unlock(key: string, token: string): Promise<void>;
  /** Replaces keys with tombstones that live `ttlMs`, and their buckets' versions, in one atomic step per namespace. */
  tombstone(keys: readonly string[], ttlMs: number): Promise<void>;
  /**
   * Bumps the namespace epoch, removes its keys matching `pattern` (SCAN + UNLINK), then
   * gives every bucket of the namespace a new version.
   */
  invalidateNamespace(namespace: string, pattern: string): Promise<number>;
  /** For every namespace holding the tag: bumps its epoch, removes its keys, then gives every bucket a new version. */
  invalidateTag(tag: string): Promise<number>;
  /**
   * Gives each of these namespaces a fresh version string if it has none (never replacing
   * one), so that later reads can fill the L1 under it.
   */
  seedVersions(namespaces: readonly string[]): Promise<void>;
  /** Fixed-window counters (keys of one namespace): adds one to each and returns the counts. */
  hitWindows(keys: readonly string[], windowMs: number): Promise<number[]>;
  publish(message: string): Promise<void>;
  /**
   * Listens on the invalidation channel. `onConnected(false)` when messages may be missed
   * (the connection dropped), `onConnected(true)` once listening again.
   */
  subscribe(onMessage: (message: string) => void, onConnected: (connected: boolean) => void): Promise<void>;
  /**
   * Removes every key of the service (bookkeeping included), then the versions of every
   * namespace it saw once more, in case a reader set them while the values were going.
   */
  clear(): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
