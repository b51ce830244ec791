import { describe, expect, it } from 'vitest';
import { isCliError } from '../errors.js';
import { parseCallArgs } from './parse-call-args.js';

function refusal(argv: string[]): string | undefined {
  try {
    parseCallArgs(argv);
  } catch (error) {
    if (isCliError(error, 'BAD_ARGS')) return error.code;
    throw error;
  }
  return undefined;
}

describe('parseCallArgs', () => {
  it('splits <service>.<procedure> at the first dot and keeps the JSON as given', () => {
    expect(parseCallArgs(['user-cache.getUsers', '{"ids":["1n"]}'])).toEqual({
      mode: 'call',
      service: 'user-cache',
      procedure: 'getUsers',
      input: '{"ids":["1n"]}',
      timeoutMs: 30_000,
    });
    expect(parseCallArgs(['analytics.onDashboard', '--max', '3', '--timeout=5000'])).toMatchObject({
      procedure: 'onDashboard',
      max: 3,
      timeoutMs: 5000,
    });
  });

  it('reads --list with or without a service', () => {
    expect(parseCallArgs(['--list'])).toEqual({ mode: 'list' });
    expect(parseCallArgs(['--list', 'analytics'])).toEqual({ mode: 'list', service: 'analytics' });
  });

  it('refuses what it does not understand with BAD_ARGS', () => {
    for (const argv of [
      [],
      ['getUsers'],
      ['user-cache.'],
      ['a.b', '{}', 'extra'],
      ['a.b', '--max', '0'],
      ['a.b', '--fast'],
    ]) {
      expect(refusal(argv)).toBe('BAD_ARGS');
    }
  });
});
