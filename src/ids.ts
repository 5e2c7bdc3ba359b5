import { randomBytes, randomUUID } from "node:crypto";
import type { Ids } from "./types/service.js";

const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function pick(alphabet: string, length: number): string {
  // Rejection sampling keeps every character equally likely.
  const limit = 256 - (256 % alphabet.length);
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit) out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/** Random ids from the system's CSPRNG. */
export const randomIds: Ids = {
  uuid: () => randomUUID(),
  upperAlnum: (length) => pick(UPPER_ALNUM, length),
  hex: (length) => randomBytes(Math.ceil(length / 2)).toString("hex").slice(0, length),
  alnum: (length) => pick(ALNUM, length),
};
