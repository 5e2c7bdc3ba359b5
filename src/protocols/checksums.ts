import { createHash, hash } from "node:crypto";
import { crc32 } from "node:zlib";

/** The flexible checksum algorithms of the models' httpChecksum trait that localtrail computes. */
export type ChecksumAlgorithm = "CRC32" | "CRC32C" | "SHA1" | "SHA256" | "CRC64NVME";

/** A flexible checksum (S3, reference/protocols.md §4), fed chunk by chunk. */
export interface Checksum {
  update(chunk: Buffer): void;
  /** The checksum's bytes (big-endian for the CRCs), base64-encoded on the wire. */
  digest(): Buffer;
}

export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ["CRC32", "CRC32C", "SHA1", "SHA256", "CRC64NVME"];

export function isChecksumAlgorithm(name: string): name is ChecksumAlgorithm {
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(name);
}

export function newChecksum(algorithm: ChecksumAlgorithm): Checksum {
  switch (algorithm) {
    case "CRC32":
      return crc32Checksum();
    case "CRC32C":
      return tableCrc32(CRC32C_TABLE);
    case "CRC64NVME":
      return crc64Nvme();
    case "SHA1":
    case "SHA256": {
      const hash = createHash(algorithm === "SHA1" ? "sha1" : "sha256");
      return { update: (chunk) => void hash.update(chunk), digest: () => hash.digest() };
    }
  }
}

/** The checksum of whole bytes, base64. */
export function checksumOf(algorithm: ChecksumAlgorithm, data: Buffer): string {
  if (algorithm === "SHA1" || algorithm === "SHA256") return hash(algorithm === "SHA1" ? "sha1" : "sha256", data, "base64");
  const c = newChecksum(algorithm);
  c.update(data);
  return c.digest().toString("base64");
}

function crc32Checksum(): Checksum {
  let crc = 0;
  return {
    update: (chunk) => void (crc = crc32(chunk, crc)),
    digest: () => uint32(crc),
  };
}

// CRC-32C (Castagnoli), reflected polynomial 0x82F63B78.
const CRC32C_TABLE = crc32Table(0x82f63b78);

function crc32Table(poly: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

function tableCrc32(table: Uint32Array): Checksum {
  let crc = 0xffffffff;
  return {
    update(chunk) {
      let c = crc;
      for (let i = 0; i < chunk.length; i++) c = table[(c ^ chunk[i]!) & 0xff]! ^ (c >>> 8);
      crc = c;
    },
    digest: () => uint32((crc ^ 0xffffffff) >>> 0),
  };
}

// CRC-64/NVME: polynomial 0xAD93D23594C93659 (reflected below), init and xorout all ones; check value of
// "123456789" is 0xAE8B14860A799888. Held as two 32-bit halves (BigInt per byte is far too slow), and taken
// eight bytes a step with eight tables ("slicing-by-8"): table k is the CRC of a byte followed by k zero bytes.
const CRC64_TABLES = crc64Tables(0xad93d23594c93659n);

function crc64Tables(poly: bigint): { hi: Uint32Array; lo: Uint32Array } {
  let reflected = 0n;
  for (let i = 0n; i < 64n; i++) if ((poly >> i) & 1n) reflected |= 1n << (63n - i);
  const base: bigint[] = [];
  for (let n = 0; n < 256; n++) {
    let c = BigInt(n);
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ reflected : c >> 1n;
    base.push(c);
  }
  const hi = new Uint32Array(8 * 256);
  const lo = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = base[n]!;
    for (let t = 0; t < 8; t++) {
      hi[t * 256 + n] = Number(c >> 32n);
      lo[t * 256 + n] = Number(c & 0xffffffffn);
      c = (c >> 8n) ^ base[Number(c & 0xffn)]!;
    }
  }
  return { hi, lo };
}

function crc64Nvme(): Checksum {
  let hi = 0xffffffff;
  let lo = 0xffffffff;
  const { hi: th, lo: tl } = CRC64_TABLES;
  return {
    update(chunk) {
      let h = hi;
      let l = lo;
      let i = 0;
      for (const end = chunk.length - 7; i < end; i += 8) {
        const a = l ^ (chunk[i]! | (chunk[i + 1]! << 8) | (chunk[i + 2]! << 16) | (chunk[i + 3]! << 24));
        const b = h ^ (chunk[i + 4]! | (chunk[i + 5]! << 8) | (chunk[i + 6]! << 16) | (chunk[i + 7]! << 24));
        const i0 = 7 * 256 + (a & 0xff), i1 = 6 * 256 + ((a >>> 8) & 0xff), i2 = 5 * 256 + ((a >>> 16) & 0xff), i3 = 4 * 256 + (a >>> 24);
        const i4 = 3 * 256 + (b & 0xff), i5 = 2 * 256 + ((b >>> 8) & 0xff), i6 = 256 + ((b >>> 16) & 0xff), i7 = b >>> 24;
        l = tl[i0]! ^ tl[i1]! ^ tl[i2]! ^ tl[i3]! ^ tl[i4]! ^ tl[i5]! ^ tl[i6]! ^ tl[i7]!;
        h = th[i0]! ^ th[i1]! ^ th[i2]! ^ th[i3]! ^ th[i4]! ^ th[i5]! ^ th[i6]! ^ th[i7]!;
      }
      for (; i < chunk.length; i++) {
        const index = (l ^ chunk[i]!) & 0xff;
        // (crc >> 8) ^ table[index], on the two halves.
        l = ((l >>> 8) | (h << 24)) ^ tl[index]!;
        h = (h >>> 8) ^ th[index]!;
      }
      hi = h >>> 0;
      lo = l >>> 0;
    },
    digest() {
      const out = Buffer.alloc(8);
      out.writeUInt32BE((hi ^ 0xffffffff) >>> 0, 0);
      out.writeUInt32BE((lo ^ 0xffffffff) >>> 0, 4);
      return out;
    },
  };
}

function uint32(n: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(n >>> 0, 0);
  return out;
}
