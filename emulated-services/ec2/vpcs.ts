import type { Vpc } from "../../src/generated/types/ec2.js";
import type { CallContext } from "../../src/types/service.js";
import { parseCidr } from "./cidr.js";
import { createDefaultNetwork } from "./default-vpc.js";
import { dependencyViolation, ec2Error, invalidParameterValue, missingParameter } from "./errors.js";
import { applyFilters } from "./filters.js";
import { findVpc, findVpcs } from "./lookups.js";
import { addVpc } from "./network-resources.js";
import type { Op } from "./op.js";
import { paginate } from "./paging.js";
import { ec2State } from "./region-state.js";
import type { Ec2State, StoredVpc } from "./state.js";
import { addTags, dropTags, specifiedTags, tagList, tagsOf } from "./tags.js";

// Five VPCs per region, the default one included (Amazon VPC quotas).
const MAX_VPCS = 5;

export function toVpc(state: Ec2State, vpc: StoredVpc, ctx: CallContext, options: { state?: "pending"; withEmptyTags?: boolean } = {}): Vpc {
  const tags = tagList(state, vpc.vpcId);
  return {
    VpcId: vpc.vpcId,
    State: options.state ?? "available",
    CidrBlock: vpc.cidrBlock,
    CidrBlockAssociationSet: [{ AssociationId: vpc.cidrAssociationId, CidrBlock: vpc.cidrBlock, CidrBlockState: { State: "associated" } }],
    Ipv6CidrBlockAssociationSet: [],
    DhcpOptionsId: vpc.dhcpOptionsId,
    InstanceTenancy: vpc.instanceTenancy as Vpc["InstanceTenancy"],
    IsDefault: vpc.isDefault,
    OwnerId: ctx.accountId,
    BlockPublicAccessStates: { InternetGatewayBlockMode: "off" },
    Tags: tags.length > 0 || options.withEmptyTags ? tags : undefined,
  };
}

/** A VPC block is /16 to /28 and names a network, not a host in it (Amazon VPC User Guide, "VPC CIDR blocks"). */
function checkVpcCidr(text: string): void {
  const cidr = parseCidr(text);
  if (!cidr || cidr.hostBitsSet) throw invalidParameterValue(`Value (${text}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`);
  if (cidr.prefix < 16 || cidr.prefix > 28) throw ec2Error("InvalidVpc.Range", `The CIDR '${text}' is invalid.`);
}

export const createVpc: Op<"CreateVpc"> = (input, ctx) => {
  const state = ec2State(ctx);
  if (input.CidrBlock === undefined) throw missingParameter("Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.");
  checkVpcCidr(input.CidrBlock);
  if (input.InstanceTenancy !== undefined && input.InstanceTenancy !== "default" && input.InstanceTenancy !== "dedicated") {
    throw ec2Error("UnsupportedTenancy", `The tenancy value ${input.InstanceTenancy} is not supported.`);
  }
  const tags = specifiedTags(input.TagSpecifications, "vpc");
  if (Object.keys(state.vpcs).length >= MAX_VPCS) throw ec2Error("VpcLimitExceeded", "The maximum number of VPCs has been reached.");
  const vpc = addVpc(state, ctx, { cidrBlock: input.CidrBlock, instanceTenancy: input.InstanceTenancy, isDefault: false });
  addTags(state, vpc.vpcId, tags);
  // A new VPC answers `pending`; it is available by the time anyone can describe it.
  return { Vpc: toVpc(state, vpc, ctx, { state: "pending", withEmptyTags: true }) };
};

export const describeVpcs: Op<"DescribeVpcs"> = (input, ctx) => {
  const state = ec2State(ctx);
  const vpcs = input.VpcIds?.length ? findVpcs(state, input.VpcIds) : Object.values(state.vpcs);
  const filtered = applyFilters(
    vpcs,
    input.Filters,
    {
      "vpc-id": (v) => v.vpcId,
      cidr: (v) => v.cidrBlock,
      "cidr-block-association.cidr-block": (v) => v.cidrBlock,
      "cidr-block-association.association-id": (v) => v.cidrAssociationId,
      "cidr-block-association.state": () => "associated",
      "dhcp-options-id": (v) => v.dhcpOptionsId,
      "is-default": (v) => v.isDefault,
      "owner-id": () => ctx.accountId,
      state: () => "available",
      "instance-tenancy": (v) => v.instanceTenancy,
    },
    (v) => tagsOf(state, v.vpcId),
  );
  const page = paginate(filtered, input.MaxResults, input.NextToken, "DescribeVpcs");
  return { Vpcs: page.items.map((v) => toVpc(state, v, ctx)), NextToken: page.nextToken };
};

/** A VPC with subnets, an attached gateway, its own route tables or security groups cannot be deleted. */
export const deleteVpc: Op<"DeleteVpc"> = (input, ctx) => {
  const state = ec2State(ctx);
  const vpc = findVpc(state, input.VpcId);
  const inUse =
    Object.values(state.subnets).some((s) => s.vpcId === vpc.vpcId) ||
    Object.values(state.internetGateways).some((g) => g.attachedVpcId === vpc.vpcId) ||
    Object.values(state.routeTables).some((t) => t.vpcId === vpc.vpcId && t.routeTableId !== vpc.mainRouteTableId) ||
    Object.values(state.securityGroups).some((g) => g.vpcId === vpc.vpcId && g.groupId !== vpc.defaultSecurityGroupId);
  if (inUse) throw dependencyViolation(`The vpc '${vpc.vpcId}' has dependencies and cannot be deleted.`);
  for (const id of [vpc.mainRouteTableId, vpc.defaultSecurityGroupId, vpc.vpcId]) dropTags(state, id);
  delete state.routeTables[vpc.mainRouteTableId];
  delete state.securityGroups[vpc.defaultSecurityGroupId];
  delete state.vpcs[vpc.vpcId];
  if (state.defaultVpcId === vpc.vpcId) state.defaultVpcId = undefined;
};

export const createDefaultVpc: Op<"CreateDefaultVpc"> = (_input, ctx) => {
  const state = ec2State(ctx);
  if (state.defaultVpcId) throw ec2Error("DefaultVpcAlreadyExists", "A Default VPC already exists for this account in this region.");
  const vpc = createDefaultNetwork(state, ctx);
  return { Vpc: toVpc(state, vpc, ctx, { state: "pending", withEmptyTags: true }) };
};

export const modifyVpcAttribute: Op<"ModifyVpcAttribute"> = (input, ctx) => {
  const vpc = findVpc(ec2State(ctx), input.VpcId);
  const given = [input.EnableDnsSupport, input.EnableDnsHostnames, input.EnableNetworkAddressUsageMetrics].filter((a) => a !== undefined);
  // EC2 changes one attribute per call.
  if (given.length !== 1) throw ec2Error("InvalidParameterCombination", "Exactly one attribute must be specified.");
  if (input.EnableDnsSupport?.Value !== undefined) vpc.enableDnsSupport = input.EnableDnsSupport.Value;
  if (input.EnableDnsHostnames?.Value !== undefined) {
    if (input.EnableDnsHostnames.Value && !vpc.enableDnsSupport) {
      throw invalidParameterValue("To enable DNS hostnames, DNS support must be enabled for the VPC.");
    }
    vpc.enableDnsHostnames = input.EnableDnsHostnames.Value;
  }
  if (input.EnableNetworkAddressUsageMetrics?.Value !== undefined) vpc.enableNetworkAddressUsageMetrics = input.EnableNetworkAddressUsageMetrics.Value;
};

export const describeVpcAttribute: Op<"DescribeVpcAttribute"> = (input, ctx) => {
  const vpc = findVpc(ec2State(ctx), input.VpcId);
  switch (input.Attribute) {
    case "enableDnsSupport":
      return { VpcId: vpc.vpcId, EnableDnsSupport: { Value: vpc.enableDnsSupport } };
    case "enableDnsHostnames":
      return { VpcId: vpc.vpcId, EnableDnsHostnames: { Value: vpc.enableDnsHostnames } };
    case "enableNetworkAddressUsageMetrics":
      return { VpcId: vpc.vpcId, EnableNetworkAddressUsageMetrics: { Value: vpc.enableNetworkAddressUsageMetrics } };
    default:
      throw invalidParameterValue(`Value (${String(input.Attribute)}) for parameter attribute is invalid. Unknown attribute.`);
  }
};
