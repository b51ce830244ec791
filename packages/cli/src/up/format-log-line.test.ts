import { describe, expect, it } from 'vitest';
import { formatLogLine } from './format-log-line.js';

describe('formatLogLine', () => {
  it('turns a pino line into its message and fields, without what the prefix already says', () => {
    const line = JSON.stringify({
      level: 30,
      time: 1796165621453,
      service: 'user-cache',
      name: 'user-cache',
      grpcUrl: 'http://127.0.0.1:4021',
      services: ['mesh.user_cache.v1.UserCacheService'],
      msg: 'user-cache gRPC listening',
    });
    expect(formatLogLine(line)).toEqual([
      'user-cache gRPC listening grpcUrl=http://127.0.0.1:4021 services=["mesh.user_cache.v1.UserCacheService"]',
    ]);
  });

  it('names a level other than info, quotes text with spaces and ends with the trace to open', () => {
    const line = JSON.stringify({
      level: 40,
      time: 1,
      service: 'analytics',
      trace_id: '9c417e79250043d6aa02e826ebc148c9',
      span_id: 'f2a07463522c7ce2',
      ms: 1028,
      sql: 'SELECT 1',
      msg: 'slow query',
    });
    expect(formatLogLine(line)).toEqual([
      'WARN slow query ms=1028 sql="SELECT 1" trace=9c417e79250043d6aa02e826ebc148c9',
    ]);
  });

  it("puts an error's stack on lines of its own", () => {
    const line = JSON.stringify({
      level: 50,
      msg: 'channel sync failed',
      channelId: '-1001',
      err: {
        type: 'Error',
        message: 'boom',
        stack: 'Error: boom\n    at sync (file:///a.ts:1:2)\n    at run (file:///b.ts:3:4)',
      },
    });
    expect(formatLogLine(line)).toEqual([
      'ERROR channel sync failed channelId=-1001 err="Error: boom"',
      '  at sync (file:///a.ts:1:2)',
      '  at run (file:///b.ts:3:4)',
    ]);
  });

  it('leaves any other line as it is, JSON or not', () => {
    for (const line of ['listening', '{"not":"pino"}', '{"level":30, broken', '']) {
      expect(formatLogLine(line)).toEqual([line]);
    }
  });
});
