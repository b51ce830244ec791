import { describe, expect, it } from 'vitest';
import { escapeGlob, globToRegExp } from './glob.js';

describe('Redis glob patterns in process', () => {
  it('matches as Redis does: *, ?, classes, negation, ranges, escapes', () => {
    expect(globToRegExp('list:*').test('list:1:active')).toBe(true);
    expect(globToRegExp('list:*').test('lists:1')).toBe(false);
    expect(globToRegExp('h?llo').test('hallo')).toBe(true);
    expect(globToRegExp('h[ae]llo').test('hillo')).toBe(false);
    expect(globToRegExp('h[^e]llo').test('hallo')).toBe(true);
    expect(globToRegExp('h[a-b]llo').test('hbllo')).toBe(true);
    expect(globToRegExp('a\\*b').test('a*b')).toBe(true);
    expect(globToRegExp('a\\*b').test('axb')).toBe(false);
    expect(globToRegExp('x.y').test('xzy')).toBe(false);
  });

  it('escapes text so it matches only itself', () => {
    expect(globToRegExp(escapeGlob('a*b?[c]')).test('a*b?[c]')).toBe(true);
    expect(globToRegExp(escapeGlob('a*b')).test('aXb')).toBe(false);
  });
});
