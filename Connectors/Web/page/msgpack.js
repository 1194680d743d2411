// Minimal MessagePack for the rlplat wire protocol (Connectors/PROTOCOL.md), with no build step and no dependencies:
// nil, bool, int (up to 64 bits; BigInt beyond 2^53), float32/float64, str, bin, array, map, and tensors
// ({dtype, shape, data} maps, read as Tensor objects). Integers get the smallest encoding, as MessagePack-CSharp
// writes them, so both sides produce the same bytes for the same values.
(function (root) {
  'use strict';

  const TYPED = {
    float32: Float32Array, float64: Float64Array, uint8: Uint8Array, int8: Int8Array,
    int32: Int32Array, int64: BigInt64Array, bool: Uint8Array,
  };

  /** A numeric array with a wire dtype and a shape; data is a typed array in row-major order. */
  class Tensor {
    constructor(dtype, shape, data) {
      if (!(dtype in TYPED)) throw new TypeError(`unknown dtype '${dtype}'`);
      const count = shape.reduce((a, b) => a * b, 1);
      if (data.length !== count) throw new TypeError(`tensor of shape [${shape}] needs ${count} elements, got ${data.length}`);
      this.dtype = dtype; this.shape = shape; this.data = data;
    }

    /** A 1-D tensor over a typed array (Float32Array -> float32, ...). */
    static of(array) {
      for (const [name, type] of Object.entries(TYPED)) if (array instanceof type && name !== 'bool') return new Tensor(name, [array.length], array);
      throw new TypeError(`no wire dtype for ${array.constructor.name}`);
    }
  }

  const utf8 = new TextEncoder();
  const utf8Strict = new TextDecoder('utf-8', { fatal: true });

  /** Encodes values into a reused buffer; encode() returns a fresh copy of the bytes. */
  class Encoder {
    constructor() { this.grow(256); this.pos = 0; }

    grow(size) {
      const bigger = new Uint8Array(size);
      if (this.bytes) bigger.set(this.bytes.subarray(0, this.pos));
      this.bytes = bigger;
      this.view = new DataView(bigger.buffer);
    }

    ensure(n) { if (this.pos + n > this.bytes.length) this.grow(Math.max(this.bytes.length * 2, this.pos + n)); }

    encode(value) { this.pos = 0; this.write(value, 0); return this.bytes.slice(0, this.pos); }

    u8(v) { this.ensure(1); this.bytes[this.pos++] = v; }
    u16(tag, v) { this.ensure(3); this.bytes[this.pos++] = tag; this.view.setUint16(this.pos, v); this.pos += 2; }
    u32(tag, v) { this.ensure(5); this.bytes[this.pos++] = tag; this.view.setUint32(this.pos, v); this.pos += 4; }
    raw(array) { this.ensure(array.length); this.bytes.set(array, this.pos); this.pos += array.length; }

    write(v, depth) {
      if (depth > 64) throw new RangeError('value nested deeper than 64 levels');
      if (v === null || v === undefined) return this.u8(0xc0);
      if (v === false) return this.u8(0xc2);
      if (v === true) return this.u8(0xc3);
      if (typeof v === 'number') return Number.isSafeInteger(v) ? this.int(v) : this.float(v);
      if (typeof v === 'bigint') return this.bigint(v);
      if (typeof v === 'string') return this.str(v);
      if (v instanceof Uint8Array) return this.bin(v);
      if (v instanceof Tensor) return this.tensor(v, depth);
      if (ArrayBuffer.isView(v)) return this.tensor(Tensor.of(v), depth);
      if (Array.isArray(v)) {
        this.header(v.length, 0x90, 0xdc, 0xdd);
        for (const item of v) this.write(item, depth + 1);
        return;
      }
      if (typeof v === 'object') {
        const keys = Object.keys(v);
        this.header(keys.length, 0x80, 0xde, 0xdf);
        for (const k of keys) { this.str(k); this.write(v[k], depth + 1); }
        return;
      }
      throw new TypeError(`cannot encode a ${typeof v}`);
    }

    header(n, fix, tag16, tag32) {
      if (n < 16) this.u8(fix | n); else if (n <= 0xffff) this.u16(tag16, n); else this.u32(tag32, n);
    }

    int(v) {
      if (v >= 0) {
        if (v <= 0x7f) this.u8(v);
        else if (v <= 0xff) { this.u8(0xcc); this.u8(v); }
        else if (v <= 0xffff) this.u16(0xcd, v);
        else if (v <= 0xffffffff) this.u32(0xce, v);
        else this.bigint(BigInt(v));
      } else {
        if (v >= -32) this.u8(v & 0xff);
        else if (v >= -128) { this.u8(0xd0); this.u8(v & 0xff); }
        else if (v >= -32768) { this.ensure(3); this.bytes[this.pos++] = 0xd1; this.view.setInt16(this.pos, v); this.pos += 2; }
        else if (v >= -2147483648) { this.ensure(5); this.bytes[this.pos++] = 0xd2; this.view.setInt32(this.pos, v); this.pos += 4; }
        else this.bigint(BigInt(v));
      }
    }

    bigint(v) {
      if (v >= -(2n ** 31n) && v <= 0xffffffffn) return this.int(Number(v));
      this.ensure(9);
      if (v > 0n) { this.bytes[this.pos++] = 0xcf; this.view.setBigUint64(this.pos, v); }
      else { this.bytes[this.pos++] = 0xd3; this.view.setBigInt64(this.pos, v); }
      this.pos += 8;
    }

    float(v) { this.ensure(9); this.bytes[this.pos++] = 0xcb; this.view.setFloat64(this.pos, v); this.pos += 8; }

    str(s) {
      const b = utf8.encode(s);
      if (b.length < 32) this.u8(0xa0 | b.length);
      else if (b.length <= 0xff) { this.u8(0xd9); this.u8(b.length); }
      else if (b.length <= 0xffff) this.u16(0xda, b.length);
      else this.u32(0xdb, b.length);
      this.raw(b);
    }

    bin(b) {
      if (b.length <= 0xff) { this.u8(0xc4); this.u8(b.length); }
      else if (b.length <= 0xffff) this.u16(0xc5, b.length);
      else this.u32(0xc6, b.length);
      this.raw(b);
    }

    tensor(t, depth) {
      // The wire is little-endian; typed arrays use the host's order, which is little-endian on every browser platform.
      const data = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
      this.u8(0x83);
      this.str('dtype'); this.str(t.dtype);
      this.str('shape'); this.write(t.shape, depth + 1);
      this.str('data'); this.bin(data);
    }
  }

  /** Decodes one whole value; anything malformed, truncated or trailing throws an Error naming the offset. */
  function decode(bytes, maxDepth = 64) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let pos = 0;
    const need = n => { if (pos + n > bytes.length) throw new Error(`truncated MessagePack at byte ${pos} (needs ${n} more)`); };
    const u8 = () => { need(1); return bytes[pos++]; };
    const u16 = () => { need(2); const v = view.getUint16(pos); pos += 2; return v; };
    const u32 = () => { need(4); const v = view.getUint32(pos); pos += 4; return v; };
    const take = n => { need(n); const b = bytes.slice(pos, pos + n); pos += n; return b; };
    const int64 = (signed) => {
      need(8);
      const v = signed ? view.getBigInt64(pos) : view.getBigUint64(pos);
      pos += 8;
      return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
    };
    const str = n => utf8Strict.decode(take(n));
    const array = (n, depth) => { const a = new Array(n); for (let i = 0; i < n; i++) a[i] = read(depth + 1); return a; };
    const map = (n, depth) => {
      const m = Object.create(null);
      for (let i = 0; i < n; i++) {
        const k = read(depth + 1);
        if (typeof k !== 'string') throw new Error(`map keys must be strings, got ${typeof k} at byte ${pos}`);
        m[k] = read(depth + 1);
      }
      return asTensor(m);
    };
    function read(depth) {
      if (depth > maxDepth) throw new Error(`MessagePack nested deeper than ${maxDepth} levels`);
      const c = u8();
      if (c <= 0x7f) return c;
      if (c >= 0xe0) return c - 0x100;
      if (c >= 0xa0 && c <= 0xbf) return str(c & 0x1f);
      if (c >= 0x90 && c <= 0x9f) return array(c & 0x0f, depth);
      if (c >= 0x80 && c <= 0x8f) return map(c & 0x0f, depth);
      switch (c) {
        case 0xc0: return null;
        case 0xc2: return false;
        case 0xc3: return true;
        case 0xc4: return take(u8());
        case 0xc5: return take(u16());
        case 0xc6: return take(u32());
        case 0xca: { need(4); const v = view.getFloat32(pos); pos += 4; return v; }
        case 0xcb: { need(8); const v = view.getFloat64(pos); pos += 8; return v; }
        case 0xcc: return u8();
        case 0xcd: return u16();
        case 0xce: return u32();
        case 0xcf: return int64(false);
        case 0xd0: { need(1); return view.getInt8(pos++); }
        case 0xd1: { need(2); const v = view.getInt16(pos); pos += 2; return v; }
        case 0xd2: { need(4); const v = view.getInt32(pos); pos += 4; return v; }
        case 0xd3: return int64(true);
        case 0xd9: return str(u8());
        case 0xda: return str(u16());
        case 0xdb: return str(u32());
        case 0xdc: return array(u16(), depth);
        case 0xdd: return array(u32(), depth);
        case 0xde: return map(u16(), depth);
        case 0xdf: return map(u32(), depth);
        default: throw new Error(`unsupported MessagePack code 0x${c.toString(16)} at byte ${pos - 1}`);
      }
    }
    const value = read(0);
    if (pos !== bytes.length) throw new Error(`${bytes.length - pos} bytes left over after the value`);
    return value;
  }

  // A map with exactly dtype, shape and data is a tensor (PROTOCOL.md, "Values").
  function asTensor(m) {
    const keys = Object.keys(m);
    if (keys.length !== 3 || !('dtype' in m) || !('shape' in m) || !('data' in m)) return m;
    const type = TYPED[m.dtype];
    if (!type) throw new Error(`unknown tensor dtype '${String(m.dtype).slice(0, 40)}'`);
    if (!Array.isArray(m.shape) || !m.shape.every(d => Number.isSafeInteger(d) && d >= 0)) throw new Error('tensor shape must be non-negative integers');
    if (!(m.data instanceof Uint8Array)) throw new Error('tensor data must be binary');
    const count = m.shape.reduce((a, b) => a * b, 1);
    if (count * type.BYTES_PER_ELEMENT !== m.data.length) throw new Error(`tensor of shape [${m.shape}] and dtype ${m.dtype} needs ${count * type.BYTES_PER_ELEMENT} bytes, got ${m.data.length}`);
    // data came from slice(), so it owns an aligned buffer of its own.
    return new Tensor(m.dtype, m.shape, new type(m.data.buffer, m.data.byteOffset, count));
  }

  const api = { Encoder, Tensor, decode };
  if (typeof module !== 'undefined' && module.exports) module.exports = api; else root.MsgPack = api;
})(typeof self !== 'undefined' ? self : this);
