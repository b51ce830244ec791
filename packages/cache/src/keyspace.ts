/** Something that can be part of a key: ids, names, dates already formatted by the caller. */
export type KeyPart = string | number | bigint | boolean;

const NAMESPACE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * Builds and reads every key of one service: `<prefix><service>:<namespace>:<parts>`.
 * On a Redis Cluster the `<prefix><service>:<namespace>` head is a hash tag (`{...}`), so
 * one namespace lives in one slot and its multi-key commands (MGET, pipelines, the Lua
 * scripts) stay legal; different namespaces still spread over the nodes.
 *
 * Keys whose first part starts with `~` are the cache's own bookkeeping (the namespace
 * epoch, version buckets, locks, tag sets), which is why a caller's part may not start with `~`.
 */
export interface Keyspace {
  /** `<service>:<namespace>:<parts joined by ':'>` (with the prefix, and braces on a cluster). */
  key(namespace: string, ...parts: KeyPart[]): string;
  /** Every key of a namespace starts with this followed by `:`. */
  head(namespace: string): string;
  /** The namespace a key built here belongs to; throws for a foreign key. */
  namespaceOf(key: string): string;
  epochKey(namespace: string): string;
  /** The namespace's bucket versions, one string (see `version-buckets.ts`): `<head>:~v`. */
  versionKey(namespace: string): string;
  lockKey(key: string): string;
  /** Tag sets of a namespace are `<tagHead(namespace)><tag>`. */
  tagHead(namespace: string): string;
  /** The set of namespaces that hold keys with this tag. */
  tagRegistryKey(tag: string): string;
  /** The pub/sub channel of the invalidation bus. */
  channel: string;
  /** The head shared by every key of this service (for clearing it all in tests). */
  serviceHead: string;
  /** Whether the key is bookkeeping rather than a cached value. */
  isMeta(key: string): boolean;
}

export interface KeyspaceOptions {
  service: string;
  prefix?: string;
  cluster?: boolean;
}

/** Validates a namespace: letters, digits, `_`, `.`, `-` (no `:`, which separates parts). */
export function assertNamespace(namespace: string): void {
  if (!NAMESPACE.test(namespace)) {
    throw new TypeError(`cache namespace "${namespace}" must match ${NAMESPACE}`);
  }
}

export function createKeyspace({ service, prefix = '', cluster = false }: KeyspaceOptions): Keyspace {
  assertNamespace(service);
  const serviceHead = `${prefix}${service}`;
  // Heads of the namespaces seen, validated once: a batch read builds a key per id, and
  // namespaces are few (the code names them). Bounded all the same.
  const heads = new Map<string, string>();
  const head = (namespace: string) => {
    const known = heads.get(namespace);
    if (known !== undefined) return known;
    assertNamespace(namespace);
    const built = cluster ? `{${serviceHead}:${namespace}}` : `${serviceHead}:${namespace}`;
    if (heads.size < 1000) heads.set(namespace, built);
    return built;
  };
  const headLength = cluster ? serviceHead.length + 2 : serviceHead.length + 1;
  return {
    key(namespace, ...parts) {
      let key = head(namespace);
      for (const part of parts) {
        const rendered = String(part);
        if (rendered.startsWith('~')) {
          throw new TypeError('a cache key part may not start with "~" (reserved for bookkeeping)');
        }
        key += `:${rendered}`;
      }
      return key;
    },
    head,
    namespaceOf(key) {
      const start = cluster ? `{${serviceHead}:` : `${serviceHead}:`;
      if (!key.startsWith(start)) throw new TypeError(`"${key}" is not a key of ${serviceHead}`);
      const rest = key.slice(start.length);
      const end = rest.indexOf(cluster ? '}' : ':');
      return end === -1 ? rest : rest.slice(0, end);
    },
    epochKey: (namespace) => `${head(namespace)}:~epoch`,
    versionKey: (namespace) => `${head(namespace)}:~v`,
    lockKey: (key) => `${key}:~lock`,
    tagHead: (namespace) => `${head(namespace)}:~tag:`,
    tagRegistryKey: (tag) => (cluster ? `{${serviceHead}:~tags}:${tag}` : `${serviceHead}:~tags:${tag}`),
    channel: `${serviceHead}:~bus`,
    serviceHead,
    isMeta: (key) => key.includes(':~', headLength),
  };
}
