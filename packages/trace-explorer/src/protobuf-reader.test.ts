import { describe, expect, it } from 'vitest';
import { ExplorerError } from './errors.js';
import { ProtobufReader } from './protobuf-reader.js';

/** Length-delimited fields, each its length (one varint byte, so under 128 bytes) then its bytes. */
function fields(...values: Array<string | Uint8Array>): Uint8Array {
  const parts = values.map((value) => (typeof value === 'string' ? Buffer.from(value, 'utf8') : value));
  return Buffer.concat(parts.flatMap((bytes) => [Buffer.from([bytes.length]), Buffer.from(bytes)]));
}

function readAll(body: Uint8Array): string[] {
  const reader = new ProtobufReader(body);
  const read: string[] = [];
  while (!reader.atEnd()) read.push(reader.string());
  return read;
}

describe('ProtobufReader.string', () => {
  it('gives each string back as written when thousands of short ones share the slots', () => {
    // Far more strings than slots, so many hash to the same slot and replace each other there.
    const written = Array.from({ length: 5_000 }, (_, n) => `key.${n.toString(36)}`);
    const shuffled = [...written].reverse();
    expect(readAll(fields(...written, ...shuffled, ...written))).toEqual([
      ...written,
      ...shuffled,
      ...written,
    ]);
  });

  it('tells apart strings of the same length and the same bytes in another order', () => {
    expect(readAll(fields('ab', 'ba', 'ab', '', 'a', '', 'ba'))).toEqual([
      'ab',
      'ba',
      'ab',
      '',
      'a',
      '',
      'ba',
    ]);
  });

  it('keeps no string the redaction could match, however short', () => {
    expect(readAll(fields('/bot1:x', 'rpc.system', '/bot1:x'))).toEqual(['/bot1:x', 'rpc.system', '/bot1:x']);
    expect(ProtobufReader.holds('/bot1:x')).toBe(false);
    expect(ProtobufReader.holds('rpc.system')).toBe(true);
  });

  it('reads long strings and UTF-8 as they are, and refuses invalid UTF-8', () => {
    const long = 'x'.repeat(33);
    expect(readAll(fields(long, 'héllo wörld', long, 'héllo wörld'))).toEqual([
      long,
      'héllo wörld',
      long,
      'héllo wörld',
    ]);
    expect(() => readAll(fields(new Uint8Array([0x61, 0xff])))).toThrow(ExplorerError);
  });
});
