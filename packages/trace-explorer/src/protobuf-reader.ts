import { ExplorerError } from './errors.js';

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH = 2;
const WIRE_FIXED32 = 5;

/** Strings this long or shorter are looked up among those read before (keys, names, codes). */
const SHORT_STRING = 32;
/** Slots of that table: a power of two, as a hash picks one with a mask. */
const SHORT_SLOTS = 1_024;

/**
 * A minimal protobuf wire reader: enough for OTLP's trace messages. Every read checks
 * bounds and throws OTLP_MALFORMED, so a truncated or garbage body is refused whole. One
 * reader walks a whole body: an embedded message is read by narrowing its end (`enter`) and
 * widening it back (`leave`), not by a reader of its own.
 */
export class ProtobufReader {
  pos: number;
  private end: number;
  private readonly view: DataView;
  /** The same bytes as a Buffer, for its native latin1 and hex decoding. */
  private readonly node: Buffer;
  private static readonly text = new TextDecoder('utf-8', { fatal: true });
  /**
   * Short ASCII strings read before, one per slot by a hash of their bytes, shared by every
   * reader: attribute keys and most values repeat span after span, so a string met again is
   * the same string, neither decoded nor held twice. A slot keeps the last string hashed to it.
   * A string holding `/bot` (what the redaction looks for) is never kept, so no token stays
   * here after its span is redacted.
   */
  private static readonly short: Array<string | undefined> = new Array(SHORT_SLOTS).fill(undefined);

  /** Whether the table of short strings holds `text` now (what a test can see of it). */
  static holds(text: string): boolean {
    return ProtobufReader.short.includes(text);
  }

  constructor(
    private readonly buf: Uint8Array,
    start = 0,
    end = buf.length,
  ) {
    this.pos = start;
    this.end = end;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.node = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** The next field's tag as it is on the wire: field number times 8, plus the wire type. */
  nextTag(): number {
    const tag = this.varint();
    if (tag < 8) throw new ExplorerError('OTLP_MALFORMED', 'field number 0');
    return tag;
  }

  /**
   * Narrows the reader to the length-delimited field at its position (an embedded message):
   * `atEnd` is then that field's end. Returns what `leave` takes to widen it back.
   */
  enter(): number {
    const length = this.varint();
    this.need(length);
    const outer = this.end;
    this.end = this.pos + length;
    return outer;
  }

  /** Back to the message around the one `enter` narrowed to, once all of that one is read. */
  leave(outer: number): void {
    this.end = outer;
  }

  /** A varint as a number (exact up to 2^53, which covers tags, lengths and enums). */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i += 1) {
      const byte = this.byte();
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
    throw new ExplorerError('OTLP_MALFORMED', 'varint too long');
  }

  /** A varint read as a signed 64-bit integer (OTLP's int_value). */
  int64(): number {
    // Up to seven bytes, the value is below 2^49 and not negative: exact as a number.
    const last = Math.min(this.pos + 7, this.end);
    for (let at = this.pos; at < last; at += 1) {
      if ((this.buf[at] as number) < 0x80) return this.varint();
    }
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = this.byte();
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return Number(BigInt.asIntN(64, result));
    }
    throw new ExplorerError('OTLP_MALFORMED', 'varint too long');
  }

  /** A fixed64 unsigned value as a number (nanosecond timestamps lose sub-microsecond digits). */
  fixed64(): number {
    this.need(8);
    const low = this.view.getUint32(this.pos, true);
    const high = this.view.getUint32(this.pos + 4, true);
    this.pos += 8;
    return high * 4294967296 + low;
  }

  double(): number {
    this.need(8);
    const value = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }

  /** A length-delimited field's bytes, as a view of the body. */
  bytes(): Uint8Array {
    const start = this.claim();
    return this.buf.subarray(start, this.pos);
  }

  /** A length-delimited UTF-8 string; invalid UTF-8 is OTLP_MALFORMED. */
  string(): string {
    const start = this.claim();
    const end = this.pos;
    const { buf } = this;
    if (end - start > SHORT_STRING) {
      for (let at = start; at < end; at += 1) {
        if ((buf[at] as number) > 0x7f) return this.utf8(start, end);
      }
      return this.node.toString('latin1', start, end);
    }
    let hash = end - start;
    for (let at = start; at < end; at += 1) {
      const byte = buf[at] as number;
      if (byte > 0x7f) return this.utf8(start, end);
      hash = (Math.imul(hash, 31) + byte) | 0;
    }
    const slot = hash & (SHORT_SLOTS - 1);
    const known = ProtobufReader.short[slot];
    if (known !== undefined && sameAscii(known, buf, start, end)) return known;
    // ASCII alone: latin1 reads it byte for byte, without UTF-8's checks.
    const text = this.node.toString('latin1', start, end);
    // Anything the redaction could match stays out of the table, however short.
    if (!text.includes('/bot')) ProtobufReader.short[slot] = text;
    return text;
  }

  /** A length-delimited field's bytes as lower-case hex (trace and span ids). */
  hex(): string {
    const start = this.claim();
    return this.node.toString('hex', start, this.pos);
  }

  /** Skips a field this decoder does not read. */
  skip(wire: number): void {
    switch (wire) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        this.need(8);
        this.pos += 8;
        return;
      case WIRE_LENGTH:
        this.claim();
        return;
      case WIRE_FIXED32:
        this.need(4);
        this.pos += 4;
        return;
      default:
        throw new ExplorerError('OTLP_MALFORMED', `wire type ${wire}`);
    }
  }

  /** Throws unless the field has the wire type its schema gives it. */
  expect(wire: number, expected: number): void {
    if (wire !== expected)
      throw new ExplorerError('OTLP_MALFORMED', `wire type ${wire}, expected ${expected}`);
  }

  private utf8(start: number, end: number): string {
    try {
      return ProtobufReader.text.decode(this.buf.subarray(start, end));
    } catch {
      throw new ExplorerError('OTLP_MALFORMED', 'invalid UTF-8');
    }
  }

  /** Reads a length-delimited field's length and moves past its bytes; returns where they start. */
  private claim(): number {
    const length = this.varint();
    this.need(length);
    const start = this.pos;
    this.pos += length;
    return start;
  }

  private byte(): number {
    this.need(1);
    const byte = this.buf[this.pos] as number;
    this.pos += 1;
    return byte;
  }

  private need(count: number): void {
    if (this.pos + count > this.end) throw new ExplorerError('OTLP_MALFORMED', 'truncated message');
  }
}

/** Whether `text` is the ASCII bytes `buf[start..end)`. */
function sameAscii(text: string, buf: Uint8Array, start: number, end: number): boolean {
  if (text.length !== end - start) return false;
  for (let at = start; at < end; at += 1) {
    if (text.charCodeAt(at - start) !== buf[at]) return false;
  }
  return true;
}

export const wireTypes = { WIRE_VARINT, WIRE_FIXED64, WIRE_LENGTH, WIRE_FIXED32 } as const;
