/**
 * A 53-bit hash of a lookup key (partition + attribute + value), exact in a double. Indexes store hashes, not
 * strings, so a million events cost megabytes; a lookup still checks every hit against the record itself,
 * so a collision can never return a wrong event.
 */
export function keyHash(key: string): number {
  // Two independent 32-bit FNV-1a style hashes (different offsets and multipliers), combined to 53 bits.
  let a = 0x811c9dc5;
  let b = 0x5bd1e995;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}
