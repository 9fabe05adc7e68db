/**
 * A streaming 64-bit FNV-1a hash (two 32-bit lanes) over strings, for the ruleset hash and the
 * evidence digest. It needs no platform crypto, so the engine stays synchronous and runs the same
 * in Node.js and the browser; it detects change, it does not resist tampering.
 */
export class Hasher {
  private h1 = 0x811c9dc5;
  private h2 = 0x050c5d1f;

  update(text: string): this {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x01000193) ^ (h1 >>> 15);
    }
    // A separator so that ['ab', 'c'] and ['a', 'bc'] differ.
    this.h1 = Math.imul(h1 ^ 0xff, 0x01000193);
    this.h2 = Math.imul(h2 ^ 0xff, 0x01000193);
    return this;
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
