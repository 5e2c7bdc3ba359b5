import type { IpPermission, RevokedSecurityGroupRule, SecurityGroupRule } from "../../src/generated/types/ec2.js";
import type { CallContext } from "../../src/types/service.js";
import { parseCidr } from "./cidr.js";
import { ec2Error, invalidParameterValue } from "./errors.js";
import { newId } from "./ids.js";
import type { Ec2State, StoredRule, StoredSecurityGroup } from "./state.js";
import { tagList } from "./tags.js";

/** A rule without its id: what a caller's IpPermissions ask for, one peer each. */
export type RuleSpec = Omit<StoredRule, "ruleId">;

// Protocol names EC2 stores for their numbers; other numbers stay numbers, -1 means all.
const PROTOCOL_NAMES: Record<string, string> = { "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6", all: "-1" };

function normaliseProtocol(protocol: string | undefined): string {
  if (protocol === undefined) throw ec2Error("MissingParameter", "The request must contain the parameter ipProtocol");
  const lower = protocol.toLowerCase();
  const name = PROTOCOL_NAMES[lower] ?? lower;
  if (!["tcp", "udp", "icmp", "icmpv6", "-1"].includes(name) && !/^\d{1,3}$/.test(name)) {
    throw invalidParameterValue(`Invalid value '${protocol}' for IP protocol. Unknown protocol.`);
  }
  return name;
}

/** Ports apply to TCP, UDP and ICMP (type and code); for other protocols they are left out. */
function ports(protocol: string, from: number | undefined, to: number | undefined): { fromPort?: number; toPort?: number } {
  if (protocol === "tcp" || protocol === "udp") {
    if (from === undefined || to === undefined) throw invalidParameterValue(`Invalid value 'null' for ${from === undefined ? "fromPort" : "toPort"}. Must be a port number.`);
    if (from < 0 || to > 65535 || from > to) throw invalidParameterValue(`Invalid ${protocol.toUpperCase()} port range: ${from}-${to}`);
    return { fromPort: from, toPort: to };
  }
  if (protocol === "icmp" || protocol === "icmpv6") return { fromPort: from ?? -1, toPort: to ?? -1 };
  return {};
}

/** The caller's IpPermissions, one rule per peer; a group named by name is looked up in `vpcId`. */
export function ruleSpecs(state: Ec2State, permissions: IpPermission[], isEgress: boolean, vpcId: string, ctx: CallContext): RuleSpec[] {
  const specs: RuleSpec[] = [];
  for (const p of permissions) {
    const ipProtocol = normaliseProtocol(p.IpProtocol);
    const base = { isEgress, ipProtocol, ...ports(ipProtocol, p.FromPort, p.ToPort) };
    for (const range of p.IpRanges ?? []) {
      const cidr = parseCidr(range.CidrIp ?? "");
      if (!cidr) throw invalidParameterValue(`CIDR block ${range.CidrIp} is malformed`);
      specs.push({ ...base, cidrIpv4: range.CidrIp, description: range.Description });
    }
    for (const range of p.Ipv6Ranges ?? []) specs.push({ ...base, cidrIpv6: range.CidrIpv6, description: range.Description });
    for (const list of p.PrefixListIds ?? []) specs.push({ ...base, prefixListId: list.PrefixListId, description: list.Description });
    for (const pair of p.UserIdGroupPairs ?? []) {
      const group = pair.GroupId
        ? state.securityGroups[pair.GroupId]
        : Object.values(state.securityGroups).find((g) => g.groupName === pair.GroupName && g.vpcId === vpcId);
      if (!group) throw ec2Error("InvalidGroup.NotFound", `The security group '${pair.GroupId ?? pair.GroupName}' does not exist`);
      specs.push({ ...base, referencedGroupId: group.groupId, referencedUserId: pair.UserId ?? ctx.accountId, description: pair.Description });
    }
  }
  return specs;
}

/** Two rules are the same rule when protocol, ports and peer agree (the description does not count). */
export const sameRule = (a: RuleSpec, b: RuleSpec): boolean =>
  a.isEgress === b.isEgress &&
  a.ipProtocol === b.ipProtocol &&
  a.fromPort === b.fromPort &&
  a.toPort === b.toPort &&
  a.cidrIpv4 === b.cidrIpv4 &&
  a.cidrIpv6 === b.cidrIpv6 &&
  a.prefixListId === b.prefixListId &&
  a.referencedGroupId === b.referencedGroupId;

/** `the specified rule "peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW" already exists`. */
export function duplicateRule(rule: RuleSpec) {
  const peer = rule.cidrIpv4 ?? rule.cidrIpv6 ?? rule.prefixListId ?? rule.referencedGroupId;
  let what: string;
  if (rule.ipProtocol === "-1") what = "ALL";
  else if (rule.ipProtocol === "tcp" || rule.ipProtocol === "udp") what = `${rule.ipProtocol.toUpperCase()}, from port: ${rule.fromPort}, to port: ${rule.toPort}`;
  else if (rule.ipProtocol === "icmp" || rule.ipProtocol === "icmpv6") what = `${rule.ipProtocol.toUpperCase()}, type: ${rule.fromPort}, code: ${rule.toPort}`;
  else what = `protocol: ${rule.ipProtocol}`;
  return ec2Error("InvalidPermission.Duplicate", `the specified rule "peer: ${peer}, ${what}, ALLOW" already exists`);
}

export const newRule = (ctx: CallContext, spec: RuleSpec): StoredRule => ({ ruleId: newId(ctx, "sgr"), ...spec });

/** Rules regrouped as IpPermissions: one per protocol and port range, with every peer. */
export function toIpPermissions(rules: StoredRule[]): IpPermission[] {
  const permissions: IpPermission[] = [];
  const keys: string[] = [];
  for (const rule of rules) {
    const key = `${rule.ipProtocol}/${rule.fromPort}/${rule.toPort}`;
    let index = keys.indexOf(key);
    if (index < 0) {
      keys.push(key);
      permissions.push({ IpProtocol: rule.ipProtocol, FromPort: rule.fromPort, ToPort: rule.toPort, UserIdGroupPairs: [], IpRanges: [], Ipv6Ranges: [], PrefixListIds: [] });
      index = permissions.length - 1;
    }
    const p = permissions[index]!;
    if (rule.cidrIpv4) p.IpRanges!.push({ CidrIp: rule.cidrIpv4, Description: rule.description });
    if (rule.cidrIpv6) p.Ipv6Ranges!.push({ CidrIpv6: rule.cidrIpv6, Description: rule.description });
    if (rule.prefixListId) p.PrefixListIds!.push({ PrefixListId: rule.prefixListId, Description: rule.description });
    if (rule.referencedGroupId) p.UserIdGroupPairs!.push({ UserId: rule.referencedUserId, GroupId: rule.referencedGroupId, Description: rule.description });
  }
  return permissions;
}

export const ruleArn = (ctx: CallContext, ruleId: string) => `arn:aws:ec2:${ctx.region}:${ctx.accountId}:security-group-rule/${ruleId}`;

/** A rule as DescribeSecurityGroupRules shows it; ports are -1 where the protocol has none. */
export function toSecurityGroupRule(state: Ec2State, group: StoredSecurityGroup, rule: StoredRule, ctx: CallContext): SecurityGroupRule {
  return {
    SecurityGroupRuleId: rule.ruleId,
    GroupId: group.groupId,
    GroupOwnerId: ctx.accountId,
    IsEgress: rule.isEgress,
    IpProtocol: rule.ipProtocol,
    FromPort: rule.fromPort ?? -1,
    ToPort: rule.toPort ?? -1,
    CidrIpv4: rule.cidrIpv4,
    CidrIpv6: rule.cidrIpv6,
    PrefixListId: rule.prefixListId,
    ReferencedGroupInfo: rule.referencedGroupId ? { GroupId: rule.referencedGroupId, UserId: rule.referencedUserId } : undefined,
    Description: rule.description,
    Tags: tagList(state, rule.ruleId),
    SecurityGroupRuleArn: ruleArn(ctx, rule.ruleId),
  };
}

export const toRevokedRule = (group: StoredSecurityGroup, rule: StoredRule): RevokedSecurityGroupRule => ({
  SecurityGroupRuleId: rule.ruleId,
  GroupId: group.groupId,
  IsEgress: rule.isEgress,
  IpProtocol: rule.ipProtocol,
  FromPort: rule.fromPort ?? -1,
  ToPort: rule.toPort ?? -1,
  CidrIpv4: rule.cidrIpv4,
  CidrIpv6: rule.cidrIpv6,
  PrefixListId: rule.prefixListId,
  ReferencedGroupId: rule.referencedGroupId,
  Description: rule.description,
});
