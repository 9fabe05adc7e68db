/**
 * A streaming 64-bit FNV-1a hash (two 32-bit lanes) over strings, for the ruleset hash and the
 * evidence digest. It needs no platform crypto, so the engine stays synchronous and runs the same
 * in Node.js and the browser; it detects change, it does not resist tampering.
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

  /** Mixes in the characters of the text, without a separator. */
  private mix(text: string) {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x01000193) ^ (h1 >>> 15);
    }
    this.h1 = h1;
    this.h2 = h2;
  }

  /** Mixes in a 32-bit integer. */
  updateInt(value: number): this {
    this.h1 = Math.imul(this.h1 ^ value, 0x01000193);
    this.h2 = Math.imul(this.h2 ^ value, 0x01000193) ^ (this.h1 >>> 15);
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
    this.update('\u0001{');
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record).sort()) {
      if (record[key] !== undefined) {
        this.update(key).updateValue(record[key]);
      }
    }
    return this.update('\u0001}');
  }

  digest(): string {
    return (
      (this.h1 >>> 0).toString(16).padStart(8, '0') +
      (this.h2 >>> 0).toString(16).padStart(8, '0')
    );
  }
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
