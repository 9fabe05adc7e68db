/**
 * Sorts strings in place by UTF-16 code units, as `Array.prototype.sort` does by default. Object
 * keys and the files a check reads are few, which an insertion sort does fastest and without the
 * work array that the built-in sort allocates.
 */
export function sortStrings(values: string[]): string[] {
  if (values.length > 32) {
    return values.sort();
  }
  for (let i = 1; i < values.length; i++) {
    const value = values[i];
    let j = i - 1;
    while (j >= 0 && values[j] > value) {
      values[j + 1] = values[j];
      j--;
    }
    values[j + 1] = value;
  }
  return values;
}

/**
 * A streaming 64-bit FNV-1a hash (two 32-bit lanes, two UTF-16 code units a step) over strings,
 * for the ruleset hash and the evidence digest. It needs no platform crypto, so the engine stays
 * synchronous and runs the same in Node.js and the browser; it detects change, it does not resist
 * tampering.
 */
export class Hasher {
  private h1 = 0x811c9dc5;
  private h2 = 0x050c5d1f;

  update(text: string): this {
    this.mix(text);
    // A separator so that ['ab', 'c'] and ['a', 'bc'] differ.
    this.h1 = Math.imul(this.h1 ^ 0xff, 0x01000193);
    this.h2 = Math.imul(this.h2 ^ 0xff, 0x01000193);
    return this;
  }

  /**
   * Mixes in the characters of the text, without a separator: two UTF-16 code units per step,
   * which halves the chain of multiplications that bounds the speed of hashing file contents.
   */
  private mix(text: string) {
    let h1 = this.h1;
    let h2 = this.h2;
    const pairs = text.length & ~1;
    for (let i = 0; i < pairs; i += 2) {
      const c = text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x01000193) ^ (h1 >>> 15);
    }
    if (pairs < text.length) {
      // The last code unit of an odd length, marked so that it differs from a pair ending in NUL.
      const c = text.charCodeAt(pairs) | 0xffff0000;
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x01000193) ^ (h1 >>> 15);
    }
    this.h1 = h1;
    this.h2 = h2;
  }

  /** Mixes in the 32-bit integers `values[from, to)`, one after the other. */
  updateInts(values: Int32Array, from: number, to: number): this {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = from; i < to; i++) {
      h1 = Math.imul(h1 ^ values[i], 0x01000193);
      h2 = Math.imul(h2 ^ values[i], 0x01000193) ^ (h1 >>> 15);
    }
    this.h1 = h1;
    this.h2 = h2;
    return this;
  }

  /**
   * Mixes in any JSON-like value with object keys in sorted order, so that equal values give equal
   * hashes; the same as hashing `stableStringify(value)` in effect, without building the string.
   */
  updateValue(value: unknown): this {
    if (value === null || value === undefined) {
      return this.update('\u0001null');
    }
    if (typeof value !== 'object') {
      // The same as `update(`${typeof value}\u0001${String(value)}`)`, without building the text.
      this.mix(typeof value);
      this.mix('\u0001');
      return this.update(String(value));
    }
    if (Array.isArray(value)) {
      this.update('\u0001[');
      for (const item of value) {
        this.updateValue(item);
      }
      return this.update('\u0001]');
    }
    return this.updateObject(value as Record<string, unknown>);
  }

  /**
   * {@link updateValue} for an object, leaving out the keys in `without`: the same as hashing a
   * copy without them, without making the copy.
   */
  updateObject(
    record: Record<string, unknown>,
    without?: ReadonlySet<string>,
  ): this {
    this.update('\u0001{');
    for (const key of sortStrings(Object.keys(record))) {
      if (record[key] !== undefined && !without?.has(key)) {
        this.update(key).updateValue(record[key]);
      }
    }
    return this.update('\u0001}');
  }

  digest(): string {
    return hex32(this.h1) + hex32(this.h2);
  }
}

/** Two hexadecimal digits of each byte value. */
const HEX_BYTES = Array.from({ length: 256 }, (_, i) =>
  i.toString(16).padStart(2, '0'),
);

/** A 32-bit value as 8 hexadecimal digits, as `(value >>> 0).toString(16).padStart(8, '0')`. */
function hex32(value: number): string {
  return (
    HEX_BYTES[(value >>> 24) & 255] +
    HEX_BYTES[(value >>> 16) & 255] +
    HEX_BYTES[(value >>> 8) & 255] +
    HEX_BYTES[value & 255]
  );
}

/** JSON with object keys sorted, so that equal values give equal text. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) {
    return `[${value.map(stableStringify).join(',')}]`;
  }
  const entries = Object.keys(value as object)
    .filter(key => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map(
      key =>
        `${JSON.stringify(key)}:${stableStringify(
          (value as Record<string, unknown>)[key],
        )}`,
    );
  return `{${entries.join(',')}}`;
}
