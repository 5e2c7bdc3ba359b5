import { createHash } from "node:crypto";
import type { NetworkAcl, NetworkAclEntry } from "../../src/generated/types/ec2.js";
import type { CallContext } from "../../src/types/service.js";
import { ec2Error, malformedId } from "./errors.js";
import { applyFilters } from "./filters.js";
import { isWellFormedId } from "./ids.js";
import type { Op } from "./op.js";
import { paginate } from "./paging.js";
import { ec2State } from "./region-state.js";
import type { Ec2State, StoredVpc } from "./state.js";
import { tagList, tagsOf } from "./tags.js";

/**
 * Every VPC's default network ACL (VPC User Guide, "Default network ACL"): rule 100 allows all IPv4 traffic
 * in and out, the final `*` rule (32767) denies the rest; every subnet of the VPC is associated with it.
 * Terraform reads it when it refreshes an aws_vpc (default_network_acl_id).
 */
const ALL: NetworkAclEntry = { CidrBlock: "0.0.0.0/0", Protocol: "-1" };
const ENTRIES: NetworkAclEntry[] = [true, false].flatMap((Egress) => [
  { ...ALL, Egress, RuleAction: "allow" as const, RuleNumber: 100 },
  { ...ALL, Egress, RuleAction: "deny" as const, RuleNumber: 32767 },
]);

/** Association ids derived from the subnet, so a read never has to store one. */
const associationId = (subnetId: string) => `aclassoc-0${createHash("sha256").update(subnetId).digest("hex").slice(0, 16)}`;

function toAcl(state: Ec2State, vpc: StoredVpc, ctx: CallContext): NetworkAcl {
  const subnets = Object.values(state.subnets).filter((s) => s.vpcId === vpc.vpcId);
  return {
    Associations: subnets.map((s) => ({ NetworkAclAssociationId: associationId(s.subnetId), NetworkAclId: vpc.defaultNetworkAclId, SubnetId: s.subnetId })),
    Entries: ENTRIES,
    IsDefault: true,
    NetworkAclId: vpc.defaultNetworkAclId,
    Tags: tagList(state, vpc.defaultNetworkAclId),
    VpcId: vpc.vpcId,
    OwnerId: ctx.accountId,
  };
}

export const describeNetworkAcls: Op<"DescribeNetworkAcls"> = (input, ctx) => {
  const state = ec2State(ctx);
  let vpcs = Object.values(state.vpcs);
  if (input.NetworkAclIds?.length) {
    const bad = input.NetworkAclIds.find((id) => !isWellFormedId("acl", id));
    if (bad !== undefined) throw malformedId("InvalidNetworkAclID.Malformed", bad);
    const missing = input.NetworkAclIds.find((id) => !vpcs.some((v) => v.defaultNetworkAclId === id));
    if (missing !== undefined) throw ec2Error("InvalidNetworkAclID.NotFound", `The network ACL ID '${missing}' does not exist`);
    vpcs = vpcs.filter((v) => input.NetworkAclIds!.includes(v.defaultNetworkAclId));
  }
  const subnetsOf = (v: StoredVpc) => Object.values(state.subnets).filter((s) => s.vpcId === v.vpcId);
  const filtered = applyFilters(
    vpcs,
    input.Filters,
    {
      "network-acl-id": (v) => v.defaultNetworkAclId,
      "vpc-id": (v) => v.vpcId,
      default: () => "true",
      "owner-id": () => ctx.accountId,
      "association.subnet-id": (v) => subnetsOf(v).map((s) => s.subnetId),
      "association.network-acl-id": (v) => v.defaultNetworkAclId,
      "association.association-id": (v) => subnetsOf(v).map((s) => associationId(s.subnetId)),
      "entry.rule-action": () => ["allow", "deny"],
      "entry.cidr": () => "0.0.0.0/0",
      "entry.protocol": () => "-1",
    },
    (v) => tagsOf(state, v.defaultNetworkAclId),
  );
  const page = paginate(filtered, input.MaxResults, input.NextToken, "DescribeNetworkAcls");
  return { NetworkAcls: page.items.map((v) => toAcl(state, v, ctx)), NextToken: page.nextToken };
};
