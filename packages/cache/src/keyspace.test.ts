import { describe, expect, it } from 'vitest';
import { createKeyspace } from './keyspace.js';

describe('keyspace', () => {
  it('builds <prefix><service>:<namespace>:<parts> and reads the namespace back', () => {
    const keys = createKeyspace({ service: 'user-cache', prefix: 'test-1:' });
    expect(keys.key('user', 42n)).toBe('test-1:user-cache:user:42');
    expect(keys.key('pair', 'a', 1, true)).toBe('test-1:user-cache:pair:a:1:true');
    expect(keys.namespaceOf(keys.key('user', 42n))).toBe('user');
    expect(keys.epochKey('user')).toBe('test-1:user-cache:user:~epoch');
    expect(keys.isMeta(keys.epochKey('user'))).toBe(true);
    expect(keys.versionKey('user')).toBe('test-1:user-cache:user:~v');
    expect(keys.isMeta(keys.versionKey('user'))).toBe(true);
    expect(keys.isMeta(keys.lockKey(keys.key('user', 1)))).toBe(true);
    expect(keys.isMeta(keys.key('user', 1))).toBe(false);
  });

  it('makes the service and namespace a hash tag on a cluster, so a namespace stays in one slot', () => {
    const keys = createKeyspace({ service: 'analytics', cluster: true });
    expect(keys.key('dashboard', 'metrics')).toBe('{analytics:dashboard}:metrics');
    expect(keys.epochKey('dashboard')).toBe('{analytics:dashboard}:~epoch');
    expect(keys.versionKey('dashboard')).toBe('{analytics:dashboard}:~v');
    expect(keys.lockKey(keys.key('dashboard', 'metrics'))).toBe('{analytics:dashboard}:metrics:~lock');
    expect(keys.namespaceOf('{analytics:dashboard}:metrics')).toBe('dashboard');
    expect(keys.isMeta('{analytics:dashboard}:~tag:trades')).toBe(true);
  });

  it('refuses namespaces with separators and parts that look like bookkeeping', () => {
    const keys = createKeyspace({ service: 'svc' });
    expect(() => keys.key('a:b')).toThrow(TypeError);
    expect(() => keys.key('')).toThrow(TypeError);
    expect(() => keys.key('ok', '~lock')).toThrow(TypeError);
    expect(() => keys.namespaceOf('other:ns:1')).toThrow(TypeError);
  });
});
