/** IPv4 CIDR arithmetic for VPCs, subnets and the addresses handed to instances. */

export interface Cidr {
  /** The network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
}

export function parseIp(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export const formatIp = (n: number): string => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");

/** A CIDR block; undefined when the text is not one. `hostBitsSet` tells `10.0.0.5/16` from `10.0.0.0/16`. */
export function parseCidr(text: string): (Cidr & { hostBitsSet: boolean }) | undefined {
  const match = /^(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})$/.exec(text);
  if (!match) return undefined;
  const ip = parseIp(match[1]!);
  const prefix = Number(match[2]);
  if (ip === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  const base = ip - (ip % size);
  return { base, prefix, hostBitsSet: base !== ip };
}

export const cidrSize = (c: Cidr): number => 2 ** (32 - c.prefix);

export const contains = (outer: Cidr, inner: Cidr): boolean =>
  inner.prefix >= outer.prefix && inner.base >= outer.base && inner.base + cidrSize(inner) <= outer.base + cidrSize(outer);

export const overlaps = (a: Cidr, b: Cidr): boolean => a.base < b.base + cidrSize(b) && b.base < a.base + cidrSize(a);

export const cidrContainsIp = (c: Cidr, ip: number): boolean => ip >= c.base && ip < c.base + cidrSize(c);

export const formatCidr = (c: Cidr): string => `${formatIp(c.base)}/${c.prefix}`;

// AWS reserves the first four addresses of every subnet and the last one.
const RESERVED_LOW = 4;
const RESERVED_HIGH = 1;

export const usableAddressCount = (c: Cidr): number => cidrSize(c) - RESERVED_LOW - RESERVED_HIGH;

export const isUsableAddress = (c: Cidr, ip: number): boolean => ip >= c.base + RESERVED_LOW && ip < c.base + cidrSize(c) - RESERVED_HIGH;

/** The lowest usable address of the subnet that is not taken. */
export function nextFreeAddress(c: Cidr, used: Set<string>): string | undefined {
  for (let ip = c.base + RESERVED_LOW; ip < c.base + cidrSize(c) - RESERVED_HIGH; ip++) {
    const text = formatIp(ip);
    if (!used.has(text)) return text;
  }
  return undefined;
}
