// Reads ModelProto.metadata_props straight from the protobuf wire format. onnxruntime-node does not expose custom
// metadata, and decoding the whole ModelProto (graph + weights) just for a few strings would be wasteful: this
// walks the top-level fields only and skips everything else by its length prefix, so cost is independent of
// model size.
import { MelguardError } from './errors';

/** ModelProto field numbers (onnx.proto3). */
const MODEL_METADATA_PROPS = 14;
/** StringStringEntryProto field numbers. */
const ENTRY_KEY = 1;
const ENTRY_VALUE = 2;

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

class Reader {
  pos: number;
  constructor(
    private readonly bytes: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  varint(): number {
    // Multiplication instead of bit operations: lengths above 2^31 must not wrap (they are then rejected as out
    // of bounds rather than misread).
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new Error('truncated varint');
      const b = this.bytes[this.pos++];
      value += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return value;
      scale *= 128;
    }
    throw new Error('varint longer than 10 bytes');
  }

  skip(wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_I64:
        this.advance(8);
        return;
      case WIRE_LEN:
        this.advance(this.varint());
        return;
      case WIRE_I32:
        this.advance(4);
        return;
      default:
        throw new Error(`unsupported wire type ${wireType}`);
    }
  }

  /** Returns [start, end) of a length-delimited field's payload and moves past it. */
  lengthDelimited(): [number, number] {
    const len = this.varint();
    const start = this.pos;
    this.advance(len);
    return [start, this.pos];
  }

  private advance(n: number): void {
    if (n > this.end - this.pos) throw new Error('field runs past the end of the buffer');
    this.pos += n;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * All metadata_props of an ONNX ModelProto as a Map (a repeated key keeps its last value, as protobuf maps do).
 * Throws MelguardError E_MODEL_LOAD when the bytes are not a well-formed protobuf message.
 */
export function readOnnxMetadataProps(bytes: Uint8Array, source = 'model'): Map<string, string> {
  const props = new Map<string, string>();
  try {
    const r = new Reader(bytes, 0, bytes.length);
    while (r.pos < r.end) {
      const tag = r.varint();
      const field = Math.floor(tag / 8);
      const wire = tag % 8;
      if (field === 0) throw new Error('field number 0');
      if (field !== MODEL_METADATA_PROPS || wire !== WIRE_LEN) {
        r.skip(wire);
        continue;
      }
      const [start, end] = r.lengthDelimited();
      const entry = new Reader(bytes, start, end);
      let key = '';
      let value = '';
      while (entry.pos < entry.end) {
        const t = entry.varint();
        const f = Math.floor(t / 8);
        const w = t % 8;
        if ((f === ENTRY_KEY || f === ENTRY_VALUE) && w === WIRE_LEN) {
          const [s, e] = entry.lengthDelimited();
          const text = utf8.decode(bytes.subarray(s, e));
          if (f === ENTRY_KEY) key = text;
          else value = text;
        } else {
          entry.skip(w);
        }
      }
      props.set(key, value);
    }
  } catch (err) {
    throw new MelguardError('E_MODEL_LOAD', `${source} is not a valid ONNX model: ${(err as Error).message}`, { cause: err });
  }
  return props;
}
