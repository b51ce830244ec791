import { describe, expect, it } from 'vitest';
import { describeCacheStoreContract } from './cache-store-contract.js';
import { encodeValue } from './entry.js';
import { createKeyspace } from './keyspace.js';
import { createMemoryStore } from './memory-store.js';

describeCacheStoreContract('memory', (keys) => createMemoryStore(keys));

describe('memory store', () => {
  it('keeps at most maxEntries entries, dropping the oldest written first', async () => {
    const keys = createKeyspace({ service: 'bounded' });
    const store = createMemoryStore(keys, { maxEntries: 2 });
    const raw = encodeValue('x', Date.now() + 60_000);
    const entries = [1, 2, 3].map((id) => ({ key: keys.key('users', id), raw, ttlMs: 60_000, tags: [] }));
    await store.write([{ namespace: 'users', entries }]);
    const [read] = await store.read([{ namespace: 'users', keys: entries.map((entry) => entry.key) }]);
    expect(read?.raws).toEqual([null, raw, raw]);
    await store.close();
  });

  it('never evicts bookkeeping to make room: epochs, versions and tag sets outlive a full store', async () => {
    const keys = createKeyspace({ service: 'bounded' });
    const store = createMemoryStore(keys, { maxEntries: 2 });
    const raw = encodeValue('x', Date.now() + 60_000);
    await store.invalidateNamespace('users', '*');
    await store.seedVersions(['users']);
    const tagged = [1, 2].map((id) => ({ key: keys.key('users', id), raw, ttlMs: 60_000, tags: ['t'] }));
    await store.write([{ namespace: 'users', entries: tagged }]);
    const [read] = await store.read([
      { namespace: 'users', keys: tagged.map((entry) => entry.key), versions: true },
    ]);
    expect(read).toEqual({ raws: [raw, raw], epoch: '1', versions: expect.any(String) });
    expect(await store.invalidateTag('t')).toBe(2);
    await store.close();
  });
});
