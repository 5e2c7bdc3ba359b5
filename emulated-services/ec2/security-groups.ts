import type { IpPermission, SecurityGroup } from "../../src/generated/types/ec2.js";
import type { CallContext } from "../../src/types/service.js";
import {
  dependencyViolation,
  ec2Error,
  groupDuplicate,
  groupNotFoundInVpc,
  invalidParameterValue,
  missingParameter,
  noDefaultVpc,
  securityGroupRuleNotFound,
} from "./errors.js";
import { applyFilters } from "./filters.js";
import { findSecurityGroup, findSecurityGroups, findVpc } from "./lookups.js";
import { addSecurityGroup } from "./network-resources.js";
import type { Op } from "./op.js";
import { paginate } from "./paging.js";
import { ec2State } from "./region-state.js";
import { duplicateRule, newRule, ruleSpecs, sameRule, toIpPermissions, toRevokedRule, toSecurityGroupRule, type RuleSpec } from "./security-group-rules.js";
import type { Ec2State, StoredSecurityGroup } from "./state.js";
import { addTags, dropTags, specifiedTags, tagList, tagsOf } from "./tags.js";

export const securityGroupArn = (ctx: CallContext, groupId: string) => `arn:aws:ec2:${ctx.region}:${ctx.accountId}:security-group/${groupId}`;

export function toSecurityGroup(state: Ec2State, group: StoredSecurityGroup, ctx: CallContext): SecurityGroup {
  const tags = tagList(state, group.groupId);
  return {
    GroupId: group.groupId,
    GroupName: group.groupName,
    Description: group.description,
    VpcId: group.vpcId,
    OwnerId: ctx.accountId,
    SecurityGroupArn: securityGroupArn(ctx, group.groupId),
    IpPermissions: toIpPermissions(group.rules.filter((r) => !r.isEgress)),
    IpPermissionsEgress: toIpPermissions(group.rules.filter((r) => r.isEgress)),
    Tags: tags.length > 0 ? tags : undefined,
  };
}

/** A group named by id, or by name in the default VPC (names are unique only within a VPC). */
function groupFor(state: Ec2State, groupId: string | undefined, groupName: string | undefined): StoredSecurityGroup {
  if (groupId !== undefined) return findSecurityGroup(state, groupId);
  if (groupName === undefined) throw missingParameter("The request must contain the parameter groupName or groupId");
  const vpcId = state.defaultVpcId;
  if (!vpcId) throw noDefaultVpc();
  const group = Object.values(state.securityGroups).find((g) => g.vpcId === vpcId && g.groupName === groupName);
  if (!group) throw groupNotFoundInVpc(groupName, vpcId, true);
  return group;
}

export const createSecurityGroup: Op<"CreateSecurityGroup"> = (input, ctx) => {
  const state = ec2State(ctx);
  const vpcId = input.VpcId ?? state.defaultVpcId;
  if (!vpcId) throw noDefaultVpc();
  const vpc = findVpc(state, vpcId);
  if (input.GroupName.toLowerCase().startsWith("sg-")) throw invalidParameterValue("Group names may not be in the format sg-*.");
  if (input.GroupName === "default") throw ec2Error("InvalidGroup.Reserved", "The security group 'default' is reserved");
  if (input.GroupName.length > 255 || input.Description.length > 255) {
    throw invalidParameterValue("Group name and description must be at most 255 characters long.");
  }
  if (Object.values(state.securityGroups).some((g) => g.vpcId === vpc.vpcId && g.groupName === input.GroupName)) throw groupDuplicate(input.GroupName, vpc.vpcId);
  const tags = specifiedTags(input.TagSpecifications, "security-group");
  const group = addSecurityGroup(state, ctx, { groupName: input.GroupName, description: input.Description, vpcId: vpc.vpcId, isDefault: false });
  addTags(state, group.groupId, tags);
  return { GroupId: group.groupId, Tags: tags.length > 0 ? tagList(state, group.groupId) : undefined, SecurityGroupArn: securityGroupArn(ctx, group.groupId) };
};

export const describeSecurityGroups: Op<"DescribeSecurityGroups"> = (input, ctx) => {
  const state = ec2State(ctx);
  let groups = Object.values(state.securityGroups);
  if (input.GroupIds?.length) groups = findSecurityGroups(state, input.GroupIds);
  if (input.GroupNames?.length) {
    const named = input.GroupNames.map((name) => groupFor(state, undefined, name));
    groups = input.GroupIds?.length ? groups.concat(named.filter((g) => !groups.includes(g))) : named;
  }
  const ingress = (g: StoredSecurityGroup) => g.rules.filter((r) => !r.isEgress);
  const egress = (g: StoredSecurityGroup) => g.rules.filter((r) => r.isEgress);
  const filtered = applyFilters(
    groups,
    input.Filters,
    {
      "group-id": (g) => g.groupId,
      "group-name": (g) => g.groupName,
      description: (g) => g.description,
      "vpc-id": (g) => g.vpcId,
      "owner-id": () => ctx.accountId,
      "ip-permission.cidr": (g) => ingress(g).map((r) => r.cidrIpv4),
      "ip-permission.ipv6-cidr": (g) => ingress(g).map((r) => r.cidrIpv6),
      "ip-permission.from-port": (g) => ingress(g).map((r) => r.fromPort),
      "ip-permission.to-port": (g) => ingress(g).map((r) => r.toPort),
      "ip-permission.protocol": (g) => ingress(g).map((r) => r.ipProtocol),
      "ip-permission.group-id": (g) => ingress(g).map((r) => r.referencedGroupId),
      "egress.ip-permission.cidr": (g) => egress(g).map((r) => r.cidrIpv4),
      "egress.ip-permission.from-port": (g) => egress(g).map((r) => r.fromPort),
      "egress.ip-permission.to-port": (g) => egress(g).map((r) => r.toPort),
      "egress.ip-permission.protocol": (g) => egress(g).map((r) => r.ipProtocol),
      "egress.ip-permission.group-id": (g) => egress(g).map((r) => r.referencedGroupId),
    },
    (g) => tagsOf(state, g.groupId),
  );
  const page = paginate(filtered, input.MaxResults, input.NextToken, "DescribeSecurityGroups");
  return { SecurityGroups: page.items.map((g) => toSecurityGroup(state, g, ctx)), NextToken: page.nextToken };
};

export const deleteSecurityGroup: Op<"DeleteSecurityGroup"> = (input, ctx) => {
  const state = ec2State(ctx);
  const group = groupFor(state, input.GroupId, input.GroupName);
  if (state.vpcs[group.vpcId]?.defaultSecurityGroupId === group.groupId) {
    throw ec2Error("CannotDelete", `the specified group: "${group.groupId}" name: "default" cannot be deleted by a user`);
  }
  const usedByInstance = Object.values(state.instances).some((i) => i.state !== "terminated" && i.securityGroupIds.includes(group.groupId));
  const referenced = Object.values(state.securityGroups).some((g) => g !== group && g.rules.some((r) => r.referencedGroupId === group.groupId));
  if (usedByInstance || referenced) throw dependencyViolation(`resource ${group.groupId} has a dependent object`);
  for (const rule of group.rules) dropTags(state, rule.ruleId);
  dropTags(state, group.groupId);
  delete state.securityGroups[group.groupId];
  return { Return: true, GroupId: group.groupId };
};

/** The rules a call names: IpPermissions, or the older flat parameters (CidrIp, IpProtocol, ports, source group). */
interface RuleRequest {
  IpPermissions?: IpPermission[];
  CidrIp?: string;
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  SourceSecurityGroupName?: string;
  SourceSecurityGroupOwnerId?: string;
}

function permissionsOf(input: RuleRequest): IpPermission[] {
  if (input.IpPermissions?.length) return input.IpPermissions;
  if (input.CidrIp === undefined && input.SourceSecurityGroupName === undefined) return [];
  return [
    {
      IpProtocol: input.IpProtocol ?? "-1",
      FromPort: input.FromPort,
      ToPort: input.ToPort,
      IpRanges: input.CidrIp !== undefined ? [{ CidrIp: input.CidrIp }] : undefined,
      UserIdGroupPairs:
        input.SourceSecurityGroupName !== undefined ? [{ GroupName: input.SourceSecurityGroupName, UserId: input.SourceSecurityGroupOwnerId }] : undefined,
    },
  ];
}

function authorize(state: Ec2State, group: StoredSecurityGroup, specs: RuleSpec[], ctx: CallContext) {
  specs.forEach((spec, i) => {
    if (group.rules.some((r) => sameRule(r, spec)) || specs.slice(0, i).some((s) => sameRule(s, spec))) throw duplicateRule(spec);
  });
  const added = specs.map((spec) => newRule(ctx, spec));
  group.rules.push(...added);
  return { Return: true, SecurityGroupRules: added.map((r) => toSecurityGroupRule(state, group, r, ctx)) };
}

export const authorizeSecurityGroupIngress: Op<"AuthorizeSecurityGroupIngress"> = (input, ctx) => {
  const state = ec2State(ctx);
  const group = groupFor(state, input.GroupId, input.GroupName);
  const tags = specifiedTags(input.TagSpecifications, "security-group-rule");
  const result = authorize(state, group, ruleSpecs(state, permissionsOf(input), false, group.vpcId, ctx), ctx);
  for (const rule of result.SecurityGroupRules) addTags(state, rule.SecurityGroupRuleId!, tags);
  return result;
};

export const authorizeSecurityGroupEgress: Op<"AuthorizeSecurityGroupEgress"> = (input, ctx) => {
  const state = ec2State(ctx);
  const group = findSecurityGroup(state, input.GroupId);
  const tags = specifiedTags(input.TagSpecifications, "security-group-rule");
  const result = authorize(state, group, ruleSpecs(state, permissionsOf(input), true, group.vpcId, ctx), ctx);
  for (const rule of result.SecurityGroupRules) addTags(state, rule.SecurityGroupRuleId!, tags);
  return result;
};

/**
 * Revokes rules named by id or by IpPermissions. Rules that match nothing come back as UnknownIpPermissions;
 * when nothing at all matches EC2 answers InvalidPermission.NotFound.
 */
function revoke(state: Ec2State, group: StoredSecurityGroup, isEgress: boolean, input: RuleRequest & { SecurityGroupRuleIds?: string[] }, ctx: CallContext) {
  const byId = (input.SecurityGroupRuleIds ?? []).map((id) => {
    const rule = group.rules.find((r) => r.ruleId === id && r.isEgress === isEgress);
    if (!rule) throw securityGroupRuleNotFound(id);
    return rule;
  });
  const permissions = permissionsOf(input);
  const unknown: IpPermission[] = [];
  const bySpec = permissions.flatMap((permission) => {
    const matched = ruleSpecs(state, [permission], isEgress, group.vpcId, ctx).map((spec) => group.rules.find((r) => sameRule(r, spec)));
    if (matched.some((r) => r === undefined)) unknown.push(permission);
    return matched.filter((r) => r !== undefined);
  });
  const revoked = [...new Set([...byId, ...bySpec])];
  if (revoked.length === 0) throw ec2Error("InvalidPermission.NotFound", "The specified rule does not exist in this security group.");
  group.rules = group.rules.filter((r) => !revoked.includes(r));
  for (const rule of revoked) dropTags(state, rule.ruleId);
  return {
    Return: true,
    UnknownIpPermissions: unknown.length > 0 ? unknown : undefined,
    RevokedSecurityGroupRules: revoked.map((r) => toRevokedRule(group, r)),
  };
}

export const revokeSecurityGroupIngress: Op<"RevokeSecurityGroupIngress"> = (input, ctx) => {
  const state = ec2State(ctx);
  return revoke(state, groupFor(state, input.GroupId, input.GroupName), false, input, ctx);
};

export const revokeSecurityGroupEgress: Op<"RevokeSecurityGroupEgress"> = (input, ctx) => {
  const state = ec2State(ctx);
  return revoke(state, findSecurityGroup(state, input.GroupId), true, input, ctx);
};

export const describeSecurityGroupRules: Op<"DescribeSecurityGroupRules"> = (input, ctx) => {
  const state = ec2State(ctx);
  const all = Object.values(state.securityGroups).flatMap((group) => group.rules.map((rule) => ({ group, rule })));
  const wanted = input.SecurityGroupRuleIds ?? [];
  for (const id of wanted) if (!all.some((r) => r.rule.ruleId === id)) throw securityGroupRuleNotFound(id);
  const selected = wanted.length > 0 ? all.filter((r) => wanted.includes(r.rule.ruleId)) : all;
  const filtered = applyFilters(
    selected,
    input.Filters,
    { "group-id": (r) => r.group.groupId, "security-group-rule-id": (r) => r.rule.ruleId },
    (r) => tagsOf(state, r.rule.ruleId),
  );
  const page = paginate(filtered, input.MaxResults, input.NextToken, "DescribeSecurityGroupRules");
  return { SecurityGroupRules: page.items.map((r) => toSecurityGroupRule(state, r.group, r.rule, ctx)), NextToken: page.nextToken };
};
