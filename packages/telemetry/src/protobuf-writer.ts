/**
 * A protobuf wire writer into one growing byte buffer, written the way the SDK's OTLP
 * serializer writes (`@opentelemetry/otlp-transformer`, whose writer is internal to it): a
 * length-delimited field reserves one byte for its length and moves its content on when the
 * length needs more, so every length is the shortest varint, and the same message gives the
 * same bytes from either.
 */
export class ProtobufWriter {
  private buffer: Uint8Array;
  private view: DataView;
  private readonly encoder = new TextEncoder();
  /** Bytes written so far. */
  pos = 0;

  constructor(initialSize = 4_096) {
    this.buffer = new Uint8Array(initialSize);
    this.view = new DataView(this.buffer.buffer);
  }

  /** Forgets what was written, keeping the buffer for the next message. */
  reset(): void {
    this.pos = 0;
  }

  /** The bytes written, as a view of the buffer (valid until the next write or reset). */
  written(): Uint8Array {
    return this.buffer.subarray(0, this.pos);
  }

  tag(field: number, wireType: 0 | 1 | 2 | 5): void {
    this.varint((field << 3) | wireType);
  }

  /** Starts a length-delimited field's content; give what it returns to `finish`. */
  start(): number {
    this.reserve(1);
    return this.pos++;
  }

  /** Ends the length-delimited field started at `at`, writing its length there. */
  finish(at: number): void {
    const length = this.pos - at - 1;
    const size = varintSize(length);
    if (size > 1) {
      this.reserve(size - 1);
      this.buffer.copyWithin(at + size, at + 1, this.pos);
      this.pos += size - 1;
    }
    let value = length;
    let write = at;
    while (value > 127) {
      this.buffer[write++] = (value & 127) | 128;
      value >>>= 7;
    }
    this.buffer[write] = value;
  }

  /** A varint: an unsigned 32-bit value as it is, anything else as a 64-bit two's complement. */
  varint(value: number): void {
    this.reserve(10);
    const { buffer } = this;
    if (value >= 0 && value <= 0xffffffff) {
      let rest = value >>> 0;
      while (rest > 127) {
        buffer[this.pos++] = (rest & 127) | 128;
        rest >>>= 7;
      }
      buffer[this.pos++] = rest;
      return;
    }
    let [low, high] = split64(value);
    while (high > 0 || low > 127) {
      buffer[this.pos++] = (low & 127) | 128;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    buffer[this.pos++] = low & 127;
  }

  fixed32(value: number): void {
    this.reserve(4);
    this.view.setUint32(this.pos, value >>> 0, true);
    this.pos += 4;
  }

  fixed64(low: number, high: number): void {
    this.reserve(8);
    this.view.setUint32(this.pos, low >>> 0, true);
    this.view.setUint32(this.pos + 4, high >>> 0, true);
    this.pos += 8;
  }

  double(value: number): void {
    this.reserve(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  /** A string's UTF-8 bytes, length first. */
  string(value: string): void {
    const { length } = value;
    let ascii = true;
    for (let at = 0; at < length; at++) {
      if (value.charCodeAt(at) > 127) {
        ascii = false;
        break;
      }
    }
    if (!ascii) {
      this.bytes(this.encoder.encode(value));
      return;
    }
    this.varint(length);
    this.reserve(length);
    for (let at = 0; at < length; at++) this.buffer[this.pos++] = value.charCodeAt(at);
  }

  /** Bytes, length first. */
  bytes(value: Uint8Array): void {
    this.varint(value.length);
    this.raw(value);
  }

  /**
   * A hex string's bytes (a trace or span id), length first, as the SDK's `hexToBinary` reads
   * it: upper-case digits too, and of an odd number of digits the last one left out.
   */
  hex(value: string): void {
    const size = value.length >>> 1;
    this.varint(size);
    this.reserve(size);
    for (let at = 0; at < size * 2; at += 2) {
      this.buffer[this.pos++] = (nibble(value.charCodeAt(at)) << 4) | nibble(value.charCodeAt(at + 1));
    }
  }

  /** Bytes already encoded, copied in as they are. */
  raw(value: Uint8Array): void {
    this.reserve(value.length);
    this.buffer.set(value, this.pos);
    this.pos += value.length;
  }

  private reserve(size: number): void {
    const needed = this.pos + size;
    if (needed <= this.buffer.length) return;
    let grown = this.buffer.length * 2;
    while (grown < needed) grown *= 2;
    const buffer = new Uint8Array(grown);
    buffer.set(this.buffer.subarray(0, this.pos));
    this.buffer = buffer;
    this.view = new DataView(buffer.buffer);
  }
}

/** How many bytes the varint of an unsigned 32-bit value takes. */
export function varintSize(value: number): number {
  if (value < 1 << 7) return 1;
  if (value < 1 << 14) return 2;
  if (value < 1 << 21) return 3;
  if (value < 1 << 28) return 4;
  return 5;
}

/** A whole number as the low and high 32 bits of its 64-bit two's complement. */
function split64(value: number): [number, number] {
  const magnitude = Math.abs(value);
  let low = magnitude >>> 0;
  let high = (magnitude / 4294967296) >>> 0;
  if (value < 0) {
    low = ~low >>> 0;
    high = ~high >>> 0;
    low = (low + 1) >>> 0;
    if (low === 0) high = (high + 1) >>> 0;
  }
  return [low, high];
}

/** A hex digit's value: 0-9, a-f and, as the SDK reads them, A-F. */
function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  return code - 55;
}
