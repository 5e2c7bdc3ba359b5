/**
 * IpAddress / NotIpAddress: CIDR blocks in IPv4 or IPv6; a bare address is a /32 (or /128). An IPv4 address
 * reaching Node as `::ffff:a.b.c.d` is compared as IPv4.
 */
export function ipInCidr(address: string, cidr: string): boolean {
  const [block = "", bitsText] = cidr.trim().split("/");
  const net = parseIp(block);
  const ip = parseIp(address.trim());
  if (!net || !ip || net.width !== ip.width) return false;
  const bits = bitsText === undefined ? net.width : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > net.width) return false;
  const shift = BigInt(net.width - bits);
  return ip.value >> shift === net.value >> shift;
}

interface Ip {
  width: 32 | 128;
  value: bigint;
}

function parseIp(text: string): Ip | undefined {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
  if (mapped) return parseV4(mapped[1]!);
  return text.includes(":") ? parseV6(text) : parseV4(text);
}

function parseV4(text: string): Ip | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return { width: 32, value: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) };
}

function parseV6(text: string): Ip | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (all.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return { width: 128, value: all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n) };
}
