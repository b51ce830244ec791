import { ExplorerError } from './errors.js';

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH = 2;
const WIRE_FIXED32 = 5;

/**
 * A minimal protobuf wire reader: enough for OTLP's trace messages. Every read checks
 * bounds and throws OTLP_MALFORMED, so a truncated or garbage body is refused whole.
 */
export class ProtobufReader {
  pos: number;
  private readonly view: DataView;
  private static readonly text = new TextDecoder('utf-8', { fatal: true });

  constructor(
    private readonly buf: Uint8Array,
    start = 0,
    private readonly end = buf.length,
  ) {
    this.pos = start;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** Field number and wire type of the next field. */
  tag(): { field: number; wire: number } {
    const tag = this.varint();
    const field = Math.floor(tag / 8);
    if (field === 0) throw new ExplorerError('OTLP_MALFORMED', 'field number 0');
    return { field, wire: tag % 8 };
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

  /** The bounds of a length-delimited field, which the caller reads with `sub`. */
  bytes(): Uint8Array {
    const length = this.varint();
    this.need(length);
    const slice = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return slice;
  }

  string(): string {
    try {
      return ProtobufReader.text.decode(this.bytes());
    } catch (cause) {
      if (cause instanceof ExplorerError) throw cause;
      throw new ExplorerError('OTLP_MALFORMED', 'invalid UTF-8');
    }
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
        this.bytes();
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

export const wireTypes = { WIRE_VARINT, WIRE_FIXED64, WIRE_LENGTH, WIRE_FIXED32 } as const;
