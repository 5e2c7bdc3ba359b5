import type { CallContext } from "../../src/types/service.js";

/** The prefixes of EC2's resource ids (vpc-0a71e831cb5152c43): a prefix, a dash and 17 hex digits, the first a 0. */
export type IdPrefix =
  | "vpc"
  | "subnet"
  | "igw"
  | "rtb"
  | "rtbassoc"
  | "sg"
  | "sgr"
  | "i"
  | "r"
  | "key"
  | "eni"
  | "eni-attach"
  | "vol"
  | "vpc-cidr-assoc"
  | "acl"
  | "dopt";

export const newId = (ctx: CallContext, prefix: IdPrefix): string => `${prefix}-0${ctx.env.ids.hex(16)}`;

/** Ids as EC2 accepts them: the prefix and 8 (older resources) or 17 hex digits. */
export const isWellFormedId = (prefix: IdPrefix, id: string): boolean => new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`).test(id);

/** The resource type an id names, by its prefix (CreateTags, DescribeTags' resource-type). */
export function resourceTypeOf(id: string): string | undefined {
  const prefix = id.slice(0, id.lastIndexOf("-"));
  return RESOURCE_TYPES[prefix];
}

const RESOURCE_TYPES: Record<string, string> = {
  vpc: "vpc",
  subnet: "subnet",
  igw: "internet-gateway",
  rtb: "route-table",
  sg: "security-group",
  sgr: "security-group-rule",
  i: "instance",
  key: "key-pair",
  ami: "image",
  eni: "network-interface",
  vol: "volume",
  acl: "network-acl",
  dopt: "dhcp-options",
};
