import { randomBytes, randomUUID } from "node:crypto";
import type { Ids } from "./types/service.js";

const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

// Random bytes are drawn 4 KB at a time: one system call per few hundred ids, not one per id.
let pool = Buffer.alloc(0);
let used = 0;
function randomByte(): number {
  if (used >= pool.length) {
    pool = randomBytes(4096);
    used = 0;
  }
  return pool[used++]!;
}

function pick(alphabet: string, length: number): string {
  // Rejection sampling keeps every character equally likely.
  const limit = 256 - (256 % alphabet.length);
  let out = "";
  while (out.length < length) {
    const byte = randomByte();
    if (byte < limit) out += alphabet[byte % alphabet.length];
  }
  return out;
}

/** Random ids from the system's CSPRNG. */
export const randomIds: Ids = {
  uuid: () => randomUUID(),
  upperAlnum: (length) => pick(UPPER_ALNUM, length),
  hex: (length) => {
    let out = "";
    while (out.length < length) out += randomByte().toString(16).padStart(2, "0");
    return out.slice(0, length);
  },
  alnum: (length) => pick(ALNUM, length),
};
