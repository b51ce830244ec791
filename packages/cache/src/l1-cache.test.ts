import { describe, expect, it } from 'vitest';
import { createL1Cache, type L1Entry } from './l1-cache.js';

const entry = (version: string): L1Entry => ({
  decoded: { value: version },
  freshUntil: Date.now() + 60_000,
  expiresAt: Date.now() + 120_000,
  namespace: 'n',
  tags: [],
  bucket: 0,
  version,
});

describe('L1 store', () => {
  it('when full, drops the oldest entry nobody read since it came in, keeping older ones that were read', () => {
    const l1 = createL1Cache({ maxEntries: 3, ttlMs: 60_000 });
    for (const key of ['a', 'b', 'c']) l1.set(key, entry(key));
    expect(l1.get('a')?.version).toBe('a');
    l1.set('d', entry('d'));
    expect(l1.size).toBe(3);
    expect(l1.get('b')).toBeUndefined();
    expect(['a', 'c', 'd'].map((key) => l1.get(key)?.version)).toEqual(['a', 'c', 'd']);
  });

  it('never holds more than its room, even when every entry was read', () => {
    const l1 = createL1Cache({ maxEntries: 3, ttlMs: 60_000 });
    for (const key of ['a', 'b', 'c']) l1.set(key, entry(key));
    for (const key of ['a', 'b', 'c']) l1.get(key);
    l1.set('d', entry('d'));
    expect(l1.size).toBe(3);
    // Every entry had its second chance; the oldest goes, the newest stays.
    expect(l1.get('a')).toBeUndefined();
    expect(l1.get('d')?.version).toBe('d');
    for (let index = 0; index < 50; index++) {
      l1.set(`k${index}`, entry(`k${index}`));
      l1.get(`k${index}`);
    }
    expect(l1.size).toBe(3);
  });

  it('forgets an entry past its expiry when it is met', () => {
    let now = 1_000;
    const l1 = createL1Cache({ maxEntries: 3, ttlMs: 60_000, now: () => now });
    l1.set('a', { ...entry('a'), freshUntil: 1_500, expiresAt: 2_000 });
    expect(l1.get('a')?.freshUntil).toBe(1_500);
    now = 2_000;
    expect(l1.get('a')).toBeUndefined();
    expect(l1.size).toBe(0);
  });
});
