import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CacheStore, NamespaceWrite } from './cache-store.js';
import { decodeEntry, encodeValue, seenMark } from './entry.js';
import { createKeyspace, type Keyspace } from './keyspace.js';
import { testKeyPrefix } from './testing/create-test-cache.js';
import { ALL_BUCKETS, bucketOf, newVersions, VERSIONS_LENGTH, versionOf } from './version-buckets.js';

/** Makes the store under test over `keys`; the contract clears and closes it after each test. */
export type StoreFactory = (keys: Keyspace) => CacheStore | Promise<CacheStore>;

/** Long enough to pass within a test, short enough not to slow it: TTL cases wait it out. */
const SHORT_TTL_MS = 40;
const PAST_SHORT_TTL_MS = 120;
const HOUR_MS = 3_600_000;

/**
 * What every CacheStore does, whatever holds the entries: the Redis store (scripts on a
 * shared server) and the in-process fallback run these same cases, so the fallback cannot
 * drift from the scripts it reimplements. Each test gets its own key prefix.
 */
export function describeCacheStoreContract(kind: CacheStore['kind'], createStore: StoreFactory): void {
  describe(`CacheStore contract (${kind})`, () => {
    let keys: Keyspace;
    let store: CacheStore;
    beforeEach(async () => {
      keys = createKeyspace({ service: 'contract', prefix: testKeyPrefix() });
      store = await createStore(keys);
    });
    afterEach(async () => {
      await store.clear();
      await store.close();
    });

    const value = (payload = 'x') => encodeValue(payload, Date.now() + HOUR_MS);
    const writeThrough = (key: string, raw: string, options: { ttlMs?: number; tags?: string[] } = {}) =>
      store.write([
        {
          namespace: keys.namespaceOf(key),
          entries: [{ key, raw, ttlMs: options.ttlMs ?? HOUR_MS, tags: options.tags ?? [] }],
        },
      ]);
    const writeBack = (key: string, raw: string, guard: { epoch: string; seen: string; tags?: string[] }) =>
      store.write([
        {
          namespace: keys.namespaceOf(key),
          epoch: guard.epoch,
          entries: [{ key, raw, ttlMs: HOUR_MS, tags: guard.tags ?? [], seen: guard.seen }],
        } satisfies NamespaceWrite,
      ]);
    const readOne = async (key: string) => {
      const [group] = await store.read([{ namespace: keys.namespaceOf(key), keys: [key] }]);
      return { raw: group?.raws[0] ?? null, epoch: group?.epoch };
    };
    const lock = (key: string, token: string, extra: { tags?: string[]; lockOverValue?: boolean } = {}) =>
      store.readOrLock({
        key,
        namespace: keys.namespaceOf(key),
        lockToken: token,
        lockTtlMs: HOUR_MS,
        tags: extra.tags ?? [],
        lockOverValue: extra.lockOverValue,
      });

    describe('connection', () => {
      it('is of its kind, answers a ping, and is ready once it has', async () => {
        expect(store.kind).toBe(kind);
        await expect(store.ping()).resolves.toBeUndefined();
        expect(store.ready()).toBe(true);
      });

      it('reports itself connected once it listens for invalidations', async () => {
        const states: boolean[] = [];
        await store.subscribe(
          () => {},
          (connected) => states.push(connected),
        );
        expect(states.at(-1)).toBe(true);
      });
    });

    describe('reads and write-through', () => {
      it('reads nothing for absent keys, and epoch "0" for a namespace never invalidated', async () => {
        const read = await store.read([
          { namespace: 'users', keys: [keys.key('users', 1), keys.key('users', 2)] },
        ]);
        expect(read).toEqual([{ raws: [null, null], epoch: '0', versions: null }]);
        expect(await store.read([])).toEqual([]);
      });

      it('reads what was written, per namespace, in the order asked', async () => {
        const [a, b, c] = [value('a'), value('b'), value('c')];
        await store.write([
          { namespace: 'users', entries: [{ key: keys.key('users', 1), raw: a, ttlMs: HOUR_MS, tags: [] }] },
          {
            namespace: 'feeds',
            entries: [
              { key: keys.key('feeds', 'x'), raw: b, ttlMs: HOUR_MS, tags: [] },
              { key: keys.key('feeds', 'y'), raw: c, ttlMs: HOUR_MS, tags: [] },
            ],
          },
        ]);
        const read = await store.read([
          {
            namespace: 'feeds',
            keys: [keys.key('feeds', 'y'), keys.key('feeds', 'none'), keys.key('feeds', 'x')],
          },
          { namespace: 'users', keys: [keys.key('users', 1)] },
        ]);
        expect(read.map((group) => group.raws)).toEqual([[c, null, b], [a]]);
      });

      it('forgets an entry once its TTL has passed', async () => {
        const key = keys.key('users', 1);
        await writeThrough(key, value(), { ttlMs: SHORT_TTL_MS });
        await sleep(PAST_SHORT_TTL_MS);
        expect((await readOne(key)).raw).toBeNull();
      });

      it('replaces what is there on a write-through, a tombstone included', async () => {
        const key = keys.key('users', 1);
        await store.tombstone([key], HOUR_MS);
        const raw = value('new');
        await writeThrough(key, raw);
        expect((await readOne(key)).raw).toBe(raw);
      });

      it('does nothing for a write of no entries', async () => {
        await store.write([{ namespace: 'users', entries: [] }]);
        await store.write([]);
        expect((await readOne(keys.key('users', 1))).raw).toBeNull();
      });
    });

    describe('guarded write-back', () => {
      it('drops a write-back when its namespace was invalidated after the epoch was read', async () => {
        const key = keys.key('users', 1);
        const { epoch } = await readOne(key);
        await store.invalidateNamespace('users', '*');
        await writeBack(key, value(), { epoch: epoch as string, seen: '' });
        expect((await readOne(key)).raw).toBeNull();
      });

      it('writes back a key read as absent only while it is still absent', async () => {
        const [kept, raced] = [keys.key('users', 1), keys.key('users', 2)];
        const { epoch } = await readOne(kept);
        const winner = value('winner');
        await writeThrough(raced, winner);
        await store.write([
          {
            namespace: 'users',
            epoch: epoch as string,
            entries: [
              { key: kept, raw: value('loaded'), ttlMs: HOUR_MS, tags: [], seen: '' },
              { key: raced, raw: value('loaded'), ttlMs: HOUR_MS, tags: [], seen: '' },
            ],
          },
        ]);
        expect(decodeEntry((await readOne(kept)).raw)?.kind).toBe('value');
        expect((await readOne(raced)).raw).toBe(winner);
      });

      it('writes back over an entry only while that same entry is there', async () => {
        const key = keys.key('users', 1);
        const first = value('first');
        await writeThrough(key, first);
        const { epoch } = await readOne(key);
        const refreshed = value('refreshed');
        await writeBack(key, refreshed, { epoch: epoch as string, seen: seenMark(first) });
        expect((await readOne(key)).raw).toBe(refreshed);
        // `first` is no longer there: a second write-back that read it is dropped.
        await writeBack(key, value('late'), { epoch: epoch as string, seen: seenMark(first) });
        expect((await readOne(key)).raw).toBe(refreshed);
      });

      it('writes back over a tombstone only while that tombstone is there', async () => {
        const key = keys.key('users', 1);
        await store.tombstone([key], HOUR_MS);
        const { raw: tombstone, epoch } = await readOne(key);
        const loaded = value('loaded');
        await writeBack(key, loaded, { epoch: epoch as string, seen: seenMark(tombstone) });
        expect((await readOne(key)).raw).toBe(loaded);
        await store.tombstone([key], HOUR_MS);
        await writeBack(key, value('late'), { epoch: epoch as string, seen: seenMark(tombstone) });
        expect(decodeEntry((await readOne(key)).raw)?.kind).toBe('tombstone');
      });
    });

    describe('load locks', () => {
      it('gives a miss the load lock; a second caller does not get it and sees it held', async () => {
        const key = keys.key('users', 1);
        expect(await lock(key, 'first')).toEqual({ raw: null, epoch: '0', locked: true, version: null });
        expect((await lock(key, 'second')).locked).toBe(false);
        expect(await store.peek(key)).toEqual({ raw: null, locked: true, version: null });
      });

      it('takes no lock over a value unless asked to, and treats a tombstone as a miss', async () => {
        const [held, dead] = [keys.key('users', 1), keys.key('users', 2)];
        const raw = value();
        await writeThrough(held, raw);
        expect(await lock(held, 'a')).toEqual({ raw, epoch: '0', locked: false, version: null });
        expect((await lock(held, 'b', { lockOverValue: true })).locked).toBe(true);
        await store.tombstone([dead], HOUR_MS);
        expect((await lock(dead, 'c')).locked).toBe(true);
      });

      it('locks nothing with a lock TTL of 0', async () => {
        const key = keys.key('users', 1);
        const read = await store.readOrLock({
          key,
          namespace: 'users',
          lockToken: 't',
          lockTtlMs: 0,
          tags: [],
        });
        expect(read.locked).toBe(false);
        expect((await store.peek(key)).locked).toBe(false);
      });

      it('releases a lock for its holder only', async () => {
        const key = keys.key('users', 1);
        await lock(key, 'holder');
        await store.unlock(key, 'someone-else');
        expect((await store.peek(key)).locked).toBe(true);
        await store.unlock(key, 'holder');
        expect((await store.peek(key)).locked).toBe(false);
      });

      it("releases the holder's lock in the write that stores its load", async () => {
        const key = keys.key('users', 1);
        const { epoch } = await lock(key, 'holder');
        const raw = value();
        await store.write(
          [{ namespace: 'users', epoch, entries: [{ key, raw, ttlMs: HOUR_MS, tags: [], seen: '' }] }],
          {
            key,
            token: 'holder',
          },
        );
        expect(await store.peek(key)).toEqual({ raw, locked: false, version: null });
      });

      it('keeps the lock when the write names another token', async () => {
        const key = keys.key('users', 1);
        await lock(key, 'holder');
        await store.write([], { key, token: 'someone-else' });
        expect((await store.peek(key)).locked).toBe(true);
      });

      it('lets a lock lapse once its TTL has passed', async () => {
        const key = keys.key('users', 1);
        await store.readOrLock({
          key,
          namespace: 'users',
          lockToken: 't',
          lockTtlMs: SHORT_TTL_MS,
          tags: [],
        });
        await sleep(PAST_SHORT_TTL_MS);
        expect((await store.peek(key)).locked).toBe(false);
        expect((await lock(key, 'next')).locked).toBe(true);
      });
    });

    describe('tombstones', () => {
      it('replaces keys with tombstones that lapse after their TTL', async () => {
        const [a, b] = [keys.key('users', 1), keys.key('feeds', 1)];
        await writeThrough(a, value());
        await store.tombstone([a, b], SHORT_TTL_MS);
        expect(decodeEntry((await readOne(a)).raw)?.kind).toBe('tombstone');
        expect(decodeEntry((await readOne(b)).raw)?.kind).toBe('tombstone');
        await sleep(PAST_SHORT_TTL_MS);
        expect((await readOne(a)).raw).toBeNull();
      });
    });

    describe('namespace invalidation', () => {
      it("moves the epoch, removes the namespace's values and counts them, leaving other namespaces", async () => {
        await writeThrough(keys.key('users', 1), value());
        await writeThrough(keys.key('users', 2), value());
        const other = value();
        await writeThrough(keys.key('feeds', 1), other);
        const before = (await readOne(keys.key('users', 1))).epoch;
        expect(await store.invalidateNamespace('users', '*')).toBe(2);
        const after = await readOne(keys.key('users', 1));
        expect(after.raw).toBeNull();
        expect(after.epoch).not.toBe(before);
        expect((await readOne(keys.key('users', 2))).raw).toBeNull();
        expect((await readOne(keys.key('feeds', 1))).raw).toBe(other);
        expect((await readOne(keys.key('feeds', 1))).epoch).toBe('0');
      });

      it('removes only the keys a pattern matches', async () => {
        const kept = value();
        await writeThrough(keys.key('feeds', 'a', 1), value());
        await writeThrough(keys.key('feeds', 'a', 2), value());
        await writeThrough(keys.key('feeds', 'b', 1), kept);
        expect(await store.invalidateNamespace('feeds', 'a:*')).toBe(2);
        expect((await readOne(keys.key('feeds', 'a', 1))).raw).toBeNull();
        expect((await readOne(keys.key('feeds', 'b', 1))).raw).toBe(kept);
      });

      it("takes the namespace's tag sets with it when it removes everything, and counts them", async () => {
        await writeThrough(keys.key('users', 1), value(), { tags: ['t'] });
        await writeThrough(keys.key('users', 2), value(), { tags: ['t', 'u'] });
        expect(await store.invalidateNamespace('users', '*')).toBe(4);
        expect(await store.invalidateTag('t')).toBe(0);
      });

      it('does not count an entry that had already expired', async () => {
        await writeThrough(keys.key('users', 1), value(), { ttlMs: SHORT_TTL_MS });
        await writeThrough(keys.key('users', 2), value());
        await sleep(PAST_SHORT_TTL_MS);
        expect(await store.invalidateNamespace('users', '*')).toBe(1);
      });

      it('leaves a load lock in place', async () => {
        const key = keys.key('users', 1);
        await lock(key, 'holder');
        expect(await store.invalidateNamespace('users', '*')).toBe(0);
        expect((await store.peek(key)).locked).toBe(true);
      });
    });

    describe('tag invalidation', () => {
      it('removes the tagged keys of every namespace, moves their epochs and counts them', async () => {
        const untagged = value();
        await writeThrough(keys.key('users', 1), value(), { tags: ['t'] });
        await writeThrough(keys.key('feeds', 1), value(), { tags: ['t', 'u'] });
        await writeThrough(keys.key('users', 2), untagged, { tags: ['u'] });
        expect(await store.invalidateTag('t')).toBe(2);
        expect((await readOne(keys.key('users', 1))).raw).toBeNull();
        expect((await readOne(keys.key('feeds', 1))).raw).toBeNull();
        expect((await readOne(keys.key('users', 2))).raw).toBe(untagged);
        expect((await readOne(keys.key('users', 2))).epoch).not.toBe('0');
        expect((await readOne(keys.key('feeds', 1))).epoch).not.toBe('0');
      });

      it('removes nothing for a tag no key carries', async () => {
        await writeThrough(keys.key('users', 1), value());
        expect(await store.invalidateTag('nobody')).toBe(0);
        expect((await readOne(keys.key('users', 1))).raw).not.toBeNull();
      });

      it('drops the write-back of a load whose tag was invalidated while it ran', async () => {
        const key = keys.key('users', 1);
        const { epoch } = await lock(key, 'holder', { tags: ['t'] });
        expect(await store.invalidateTag('t')).toBe(0);
        await writeBack(key, value(), { epoch, seen: '', tags: ['t'] });
        expect((await readOne(key)).raw).toBeNull();
      });

      it('finds a written-back entry by its tag', async () => {
        const key = keys.key('users', 1);
        const { epoch } = await lock(key, 'holder', { tags: ['t'] });
        await writeBack(key, value(), { epoch, seen: '', tags: ['t'] });
        expect(await store.invalidateTag('t')).toBe(1);
        expect((await readOne(key)).raw).toBeNull();
      });

      it('counts only the tagged keys it removed, not those invalidated before', async () => {
        await writeThrough(keys.key('feeds', 'a', 1), value(), { tags: ['t'] });
        await writeThrough(keys.key('feeds', 'b', 1), value(), { tags: ['t'] });
        expect(await store.invalidateNamespace('feeds', 'a:*')).toBe(1);
        expect(await store.invalidateTag('t')).toBe(1);
      });

      it('counts only the tagged keys it removed, not those that expired', async () => {
        await writeThrough(keys.key('feeds', 1), value(), { ttlMs: SHORT_TTL_MS, tags: ['t'] });
        await writeThrough(keys.key('feeds', 2), value(), { tags: ['t'] });
        await writeThrough(keys.key('users', 1), value(), { ttlMs: SHORT_TTL_MS, tags: ['t'] });
        await sleep(PAST_SHORT_TTL_MS);
        expect(await store.invalidateTag('t')).toBe(1);
      });
    });

    describe('versions', () => {
      /** Every bucket's token in the namespace's version string (null: none). */
      const versionsOf = async (namespace: string) => {
        const [group] = await store.read([{ namespace, keys: [], versions: true }]);
        return ALL_BUCKETS.map((bucket) => versionOf(group?.versions, bucket));
      };
      const seed = (namespace: string) => store.seedVersions([namespace]);
      /** The buckets whose token differs between two reads of all of them. */
      const moved = (before: Array<string | null>, after: Array<string | null>) =>
        ALL_BUCKETS.filter((bucket) => before[bucket] !== after[bucket]);
      const none = (versions: Array<string | null>) => versions.every((version) => version === null);

      it('reads none where none are; a seed gives every bucket its own token where none are, and never replaces them', async () => {
        expect(none(await versionsOf('users'))).toBe(true);
        await seed('users');
        const seeded = await versionsOf('users');
        expect(seeded.every((version) => typeof version === 'string')).toBe(true);
        expect(new Set(seeded).size).toBe(ALL_BUCKETS.length);
        await seed('users');
        expect(await versionsOf('users')).toEqual(seeded);
        expect(none(await versionsOf('feeds'))).toBe(true);
      });

      it('reads the versions with the values and the epoch, only when asked', async () => {
        const key = keys.key('users', 1);
        const raw = value();
        await writeThrough(key, raw);
        await seed('users');
        const [withVersions] = await store.read([
          { namespace: 'users', keys: [key, keys.key('users', 2)], versions: true },
        ]);
        expect(withVersions).toEqual({ raws: [raw, null], epoch: '0', versions: expect.any(String) });
        expect(withVersions?.versions).toHaveLength(VERSIONS_LENGTH);
        const [without] = await store.read([{ namespace: 'users', keys: [key] }]);
        expect(without).toEqual({ raws: [raw], epoch: '0', versions: null });
      });

      it("moves the token of a tombstoned key's bucket, and no other", async () => {
        const key = keys.key('users', 1);
        await seed('users');
        await seed('feeds');
        const [before, feeds] = [await versionsOf('users'), await versionsOf('feeds')];
        await store.tombstone([key], HOUR_MS);
        expect(moved(before, await versionsOf('users'))).toEqual([bucketOf(key)]);
        expect(await versionsOf('feeds')).toEqual(feeds);
      });

      it("moves the tokens of a write-through's buckets, and leaves them on a guarded write-back", async () => {
        const [a, b] = [keys.key('users', 1), keys.key('users', 2)];
        await seed('users');
        const before = await versionsOf('users');
        await store.write([
          {
            namespace: 'users',
            entries: [a, b].map((key) => ({ key, raw: value(), ttlMs: HOUR_MS, tags: [] })),
          },
        ]);
        const written = await versionsOf('users');
        expect(moved(before, written)).toEqual(
          [...new Set([bucketOf(a), bucketOf(b)])].sort((x, y) => x - y),
        );
        const c = keys.key('users', 3);
        await writeBack(c, value(), { epoch: '0', seen: '' });
        expect(decodeEntry((await readOne(c)).raw)?.kind).toBe('value');
        expect(await versionsOf('users')).toEqual(written);
      });

      it("moves every token of the namespace on a namespace, pattern or tag invalidation, and no other namespace's", async () => {
        await seed('users');
        await seed('feeds');
        const feeds = await versionsOf('feeds');
        for (const invalidate of [
          () => store.invalidateNamespace('users', '*'),
          () => store.invalidateNamespace('users', 'nothing:*'),
          () => store.invalidateTag('t'),
        ]) {
          await writeThrough(keys.key('users', 1), value(), { tags: ['t'] });
          const before = await versionsOf('users');
          await invalidate();
          const after = await versionsOf('users');
          expect(moved(before, after)).toEqual(ALL_BUCKETS);
          expect(after.every((version) => typeof version === 'string')).toBe(true);
        }
        expect(await versionsOf('feeds')).toEqual(feeds);
      });

      it('creates no versions where there were none', async () => {
        const key = keys.key('users', 1);
        await writeThrough(key, value(), { tags: ['t'] });
        await store.tombstone([key], HOUR_MS);
        await store.invalidateNamespace('users', '*');
        await store.invalidateTag('t');
        expect(none(await versionsOf('users'))).toBe(true);
      });

      it("gives a read-or-lock and a peek the token of the key's bucket", async () => {
        const key = keys.key('users', 1);
        await seed('users');
        const token = (await versionsOf('users'))[bucketOf(key)];
        expect((await lock(key, 'holder')).version).toBe(token);
        expect((await store.peek(key)).version).toBe(token);
      });

      it('sets the versions a read-or-lock brings where none are, in the same step, and never replaces them', async () => {
        const key = keys.key('users', 1);
        const raw = value();
        await writeThrough(key, raw);
        const brought = newVersions();
        const read = (seedVersions: string) =>
          store.readOrLock({ key, namespace: 'users', lockToken: 't', lockTtlMs: 0, tags: [], seedVersions });
        expect(await read(brought)).toMatchObject({ raw, version: versionOf(brought, bucketOf(key)) });
        expect((await read(newVersions())).version).toBe(versionOf(brought, bucketOf(key)));
        expect(await versionsOf('users')).toEqual(ALL_BUCKETS.map((bucket) => versionOf(brought, bucket)));
      });

      it('seeds the versions a write brings, whether or not its guard lets the entries in', async () => {
        const key = keys.key('users', 1);
        await seed('users');
        await store.invalidateNamespace('users', '*'); // the epoch moved: the write-back below is dropped
        const kept = await versionsOf('users');
        await store.write([
          {
            namespace: 'users',
            epoch: '0',
            entries: [{ key, raw: value(), ttlMs: HOUR_MS, tags: [], seen: '' }],
            seed: true,
          },
          { namespace: 'feeds', entries: [], seed: true },
        ]);
        expect((await readOne(key)).raw).toBeNull();
        expect(await versionsOf('users')).toEqual(kept);
        expect(none(await versionsOf('feeds'))).toBe(false);
      });

      it('leaves no versions behind after a clear', async () => {
        await writeThrough(keys.key('users', 1), value());
        await seed('users');
        await store.clear();
        expect(none(await versionsOf('users'))).toBe(true);
      });
    });

    describe('hit windows', () => {
      it('counts each hit of a window, a key twice in one call counted twice', async () => {
        const [a, b] = [keys.key('rate', 'a'), keys.key('rate', 'b')];
        expect(await store.hitWindows([a, b, a], HOUR_MS)).toEqual([1, 1, 2]);
        expect(await store.hitWindows([a], HOUR_MS)).toEqual([3]);
        expect(await store.hitWindows([], HOUR_MS)).toEqual([]);
      });

      it('starts a window again once it has passed', async () => {
        const key = keys.key('rate', 'a');
        await store.hitWindows([key, key], SHORT_TTL_MS);
        await sleep(PAST_SHORT_TTL_MS);
        expect(await store.hitWindows([key], SHORT_TTL_MS)).toEqual([1]);
      });
    });

    describe('clear', () => {
      it('counts what it removed, values and bookkeeping alike, and nothing expired or never made', async () => {
        await writeThrough(keys.key('users', 1), value(), { tags: ['t'] }); // value, tag set, tag registry
        await writeThrough(keys.key('users', 2), value(), { ttlMs: SHORT_TTL_MS });
        await store.invalidateNamespace('feeds', 'x:*'); // the feeds epoch
        await lock(keys.key('users', 3), 'holder'); // the lock
        await store.invalidateTag('nobody');
        await sleep(PAST_SHORT_TTL_MS);
        expect(await store.clear()).toBe(5);
      });

      it('removes every key of the service, bookkeeping included', async () => {
        const key = keys.key('users', 1);
        await writeThrough(key, value(), { tags: ['t'] });
        await store.invalidateNamespace('feeds', '*');
        await lock(keys.key('users', 2), 'holder');
        expect(await store.clear()).toBeGreaterThan(0);
        expect(await readOne(key)).toEqual({ raw: null, epoch: '0' });
        expect((await readOne(keys.key('feeds', 1))).epoch).toBe('0');
        expect((await store.peek(keys.key('users', 2))).locked).toBe(false);
        expect(await store.invalidateTag('t')).toBe(0);
      });
    });
  });
}
