import type { HrTime } from '@opentelemetry/api';

/** How a field's value is laid out, the low three bits of its key. */
export const WireType = { VARINT: 0, FIXED64: 1, LENGTH_DELIMITED: 2, FIXED32: 5 } as const;
export type WireType = (typeof WireType)[keyof typeof WireType];

/** A field's key: its number and wire type. One byte, for `byte()`, up to field 15; a varint past it. */
export function fieldKey(field: number, wireType: WireType): number {
  return (field << 3) | wireType;
}

function varintSize(value: number): number {
  return value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x200000 ? 3 : value < 0x10000000 ? 4 : 5;
}

/**
 * Protobuf's wire format into a Buffer, for otlp-span-encoding.ts. Buffer writes UTF-8 and hex
 * natively; short ASCII strings and attribute keys are copied byte by byte, which beats a
 * native call for a dozen bytes. A nested message's length goes in front of it, in room kept
 * for it when it starts: when the length needs other than that room, the message is moved,
 * which is rare when the room is chosen from the message's usual size.
 */
export class ProtobufWriter {
  private buffer: Buffer;
  pos = 0;

  constructor(size: number) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  private ensure(bytes: number): void {
    const needed = this.pos + bytes;
    if (needed <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buffer.copy(grown, 0, 0, this.pos);
    this.buffer = grown;
  }

  /** The bytes written, without copying them: each batch gets a writer of its own. */
  finish(): Buffer {
    return this.buffer.subarray(0, this.pos);
  }

  byte(value: number): void {
    this.ensure(1);
    this.buffer[this.pos++] = value;
  }

  raw(bytes: Uint8Array): void {
    const length = bytes.length;
    this.ensure(length);
    if (length > 64) {
      this.buffer.set(bytes, this.pos);
      this.pos += length;
      return;
    }
    // A loop beats TypedArray.set's call for the few bytes of an attribute key.
    const buffer = this.buffer;
    for (let i = 0; i < length; i++) buffer[this.pos++] = bytes[i]!;
  }

  /** Unsigned up to 2^32 as such; beyond that, and negatives, as 64-bit two's complement, as protobuf's int64. */
  varint(value: number): void {
    this.ensure(10);
    const buffer = this.buffer;
    if (value >= 0 && value <= 0xffffffff) {
      let v = value >>> 0;
      while (v > 0x7f) {
        buffer[this.pos++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      buffer[this.pos++] = v;
      return;
    }
    const magnitude = Math.abs(value);
    let low = magnitude >>> 0;
    let high = (magnitude / 0x100000000) >>> 0;
    if (value < 0) {
      low = ~low >>> 0;
      high = ~high >>> 0;
      low = (low + 1) >>> 0;
      if (low === 0) high = (high + 1) >>> 0;
    }
    while (high > 0 || low > 0x7f) {
      buffer[this.pos++] = (low & 0x7f) | 0x80;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    buffer[this.pos++] = low;
  }

  /** A string field's length and UTF-8 bytes. Up to 42 UTF-16 units the length fits one byte whatever the text (3 bytes a unit at most). */
  string(value: string): void {
    const units = value.length;
    if (units < 43) {
      this.ensure(1 + units * 3);
      const buffer = this.buffer;
      const at = this.pos;
      let p = at + 1;
      let i = 0;
      for (; i < units; i++) {
        const code = value.charCodeAt(i);
        if (code > 0x7f) break;
        buffer[p++] = code;
      }
      if (i < units) p += buffer.write(value.slice(i), p, 'utf8');
      buffer[at] = p - at - 1;
      this.pos = p;
      return;
    }
    const length = Buffer.byteLength(value, 'utf8');
    this.varint(length);
    this.ensure(length);
    this.pos += this.buffer.write(value, this.pos, length, 'utf8');
  }

  bytes(value: Uint8Array): void {
    this.varint(value.length);
    this.raw(value);
  }

  /** A trace or span ID, kept by the SDK as lowercase hex, as its bytes. */
  id(hex: string): void {
    const length = hex.length >>> 1;
    this.byte(length);
    this.ensure(length);
    // Hex stops at the first character that is not; the rest is zeros. The API rejects such IDs for
    // spans and parents; a link's context is taken as given.
    const written = this.buffer.write(hex, this.pos, length, 'hex');
    if (written < length) this.buffer.fill(0, this.pos + written, this.pos + length);
    this.pos += length;
  }

  fixed32(value: number): void {
    this.ensure(4);
    this.buffer.writeUInt32LE(value >>> 0, this.pos);
    this.pos += 4;
  }

  double(value: number): void {
    this.ensure(8);
    this.buffer.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  /** [seconds, nanoseconds] as fixed64 nanoseconds since the epoch, exactly: seconds × 10^9 passes 2^53. */
  time([seconds, nanos]: HrTime): void {
    const fromLow = (seconds & 0xffff) * 1e9;
    const fromHigh = ((seconds / 0x10000) >>> 0) * 1e9;
    const lowSum = (fromLow >>> 0) + (((fromHigh & 0xffff) * 0x10000) >>> 0) + nanos;
    const high = Math.floor(fromLow / 0x100000000) + ((fromHigh / 0x10000) >>> 0) + Math.floor(lowSum / 0x100000000);
    this.ensure(8);
    this.buffer.writeUInt32LE(lowSum >>> 0, this.pos);
    this.buffer.writeUInt32LE(high >>> 0, this.pos + 4);
    this.pos += 8;
  }

  /** Starts a nested message, keeping `room` bytes for its length. */
  open(room: number): number {
    this.ensure(room);
    const at = this.pos;
    this.pos += room;
    return at;
  }

  /** Writes the nested message's length in front of it, moving the message when the length needs other than the room kept. */
  close(at: number, room: number): void {
    const length = this.pos - at - room;
    const size = varintSize(length);
    if (size !== room) {
      this.ensure(size - room);
      this.buffer.copy(this.buffer, at + size, at + room, this.pos);
      this.pos += size - room;
    }
    let v = length;
    let p = at;
    while (v > 0x7f) {
      this.buffer[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buffer[p] = v;
  }
}
