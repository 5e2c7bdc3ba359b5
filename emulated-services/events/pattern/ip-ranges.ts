import { isIPv4, isIPv6 } from "node:net";
import { PatternError } from "./pattern-error.js";

/** An address as a big integer, with its family: IPv4 and IPv6 ranges never meet. */
export interface IpAddress {
  family: 4 | 6;
  value: bigint;
}

export interface IpRange {
  family: 4 | 6;
  low: bigint;
  high: bigint;
}

export function parseIpAddress(text: string): IpAddress | undefined {
  if (isIPv4(text)) return { family: 4, value: text.split(".").reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n) };
  if (!isIPv6(text)) return undefined;
  let [head, tail] = text.includes("::") ? text.split("::") as [string, string] : [text, undefined];
  const groups = (s: string | undefined) => (s ? s.split(":") : []);
  let left = groups(head);
  let right = groups(tail);
  // An embedded IPv4 tail (::ffff:10.0.0.1) is two groups.
  const embed = (list: string[]) => {
    const last = list[list.length - 1];
    if (last && last.includes(".")) {
      const v4 = parseIpAddress(last)!.value;
      list.splice(list.length - 1, 1, ((v4 >> 16n) & 0xffffn).toString(16), (v4 & 0xffffn).toString(16));
    }
    return list;
  };
  if (tail === undefined) left = embed(left);
  else right = embed(right);
  const all = [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  return { family: 6, value: all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n) };
}

export const exactIpRange = (ip: IpAddress): IpRange => ({ family: ip.family, low: ip.value, high: ip.value });

/**
 * `{"cidr": "10.0.0.0/24"}`. As in AWS's engine the range runs from the address written to the top of its
 * block, and the mask is at most 31 bits (IPv4) or 127 (IPv6).
 */
export function cidrRange(text: string): IpRange {
  const parts = text.split("/");
  if (parts.length !== 2) throw new PatternError("Malformed CIDR, one '/' required");
  if (!/^-?\d+$/.test(parts[1]!)) throw new PatternError("Malformed CIDR, mask bits must be an integer");
  const bits = Number(parts[1]);
  if (bits < 0) throw new PatternError("Malformed CIDR, mask bits must not be negative");
  const ip = parseIpAddress(parts[0]!);
  if (!ip) throw new PatternError(`Nonstandard IP address: ${parts[0]}`);
  const width = ip.family === 4 ? 32 : 128;
  if (bits > width - 1) throw new PatternError(`IPv${ip.family} mask bits must be < ${width}`);
  const hostBits = BigInt(width - bits);
  return { family: ip.family, low: ip.value, high: ip.value | ((1n << hostBits) - 1n) };
}

export function ipInRange(text: string, range: IpRange): boolean {
  const ip = parseIpAddress(text);
  return ip !== undefined && ip.family === range.family && ip.value >= range.low && ip.value <= range.high;
}
