import type { Subnet } from "../../src/generated/types/ec2.js";
import type { CallContext } from "../../src/types/service.js";
import { contains, overlaps, parseCidr, usableAddressCount } from "./cidr.js";
import { dependencyViolation, ec2Error, invalidParameterCombination, invalidParameterValue, missingParameter } from "./errors.js";
import { applyFilters } from "./filters.js";
import { findSubnet, findSubnets, findVpc } from "./lookups.js";
import { addSubnet } from "./network-resources.js";
import type { Op } from "./op.js";
import { paginate } from "./paging.js";
import { ec2State } from "./region-state.js";
import type { Ec2State, StoredSubnet } from "./state.js";
import { addTags, dropTags, specifiedTags, tagList, tagsOf } from "./tags.js";
import { zonesOf, type ZoneInfo } from "./zones.js";

export const subnetArn = (ctx: CallContext, subnetId: string) => `arn:aws:ec2:${ctx.region}:${ctx.accountId}:subnet/${subnetId}`;

export const availableAddresses = (subnet: StoredSubnet): number => usableAddressCount(parseCidr(subnet.cidrBlock)!) - subnet.usedAddresses.length;

export function toSubnet(state: Ec2State, subnet: StoredSubnet, ctx: CallContext, withEmptyTags = false): Subnet {
  const tags = tagList(state, subnet.subnetId);
  return {
    SubnetId: subnet.subnetId,
    SubnetArn: subnetArn(ctx, subnet.subnetId),
    State: "available",
    VpcId: subnet.vpcId,
    CidrBlock: subnet.cidrBlock,
    Ipv6CidrBlockAssociationSet: [],
    AvailableIpAddressCount: availableAddresses(subnet),
    AvailabilityZone: subnet.availabilityZone,
    AvailabilityZoneId: subnet.availabilityZoneId,
    DefaultForAz: subnet.defaultForAz,
    MapPublicIpOnLaunch: subnet.mapPublicIpOnLaunch,
    MapCustomerOwnedIpOnLaunch: false,
    AssignIpv6AddressOnCreation: false,
    OwnerId: ctx.accountId,
    EnableDns64: false,
    Ipv6Native: false,
    PrivateDnsNameOptionsOnLaunch: { HostnameType: "ip-name", EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false },
    BlockPublicAccessStates: { InternetGatewayBlockMode: "off" },
    Tags: tags.length > 0 || withEmptyTags ? tags : undefined,
  };
}

/** The zone a subnet goes in: the one named (by name or id), else the region's first. */
function chooseZone(ctx: CallContext, name: string | undefined, id: string | undefined): ZoneInfo {
  const zones = zonesOf(ctx.region);
  if (name !== undefined && id !== undefined) throw invalidParameterCombination("Only one of availabilityZone and availabilityZoneId may be specified.");
  const zone = name !== undefined ? zones.find((z) => z.zoneName === name) : id !== undefined ? zones.find((z) => z.zoneId === id) : zones[0];
  if (!zone) {
    const parameter = name !== undefined ? "availabilityZone" : "availabilityZoneId";
    throw invalidParameterValue(
      `Value (${name ?? id}) for parameter ${parameter} is invalid. Subnets can currently only be created in the following availability zones: ${zones.map((z) => z.zoneName).join(", ")}.`,
    );
  }
  return zone;
}

export const createSubnet: Op<"CreateSubnet"> = (input, ctx) => {
  const state = ec2State(ctx);
  const vpc = findVpc(state, input.VpcId);
  if (input.CidrBlock === undefined) throw missingParameter("The request must contain the parameter CidrBlock");
  const cidr = parseCidr(input.CidrBlock);
  if (!cidr) throw invalidParameterValue(`Value (${input.CidrBlock}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`);
  // A subnet is a /16 to /28 network inside its VPC's block, overlapping no other subnet.
  if (cidr.hostBitsSet || cidr.prefix < 16 || cidr.prefix > 28 || !contains(parseCidr(vpc.cidrBlock)!, cidr)) {
    throw ec2Error("InvalidSubnet.Range", `The CIDR '${input.CidrBlock}' is invalid.`);
  }
  const conflict = Object.values(state.subnets).some((s) => s.vpcId === vpc.vpcId && overlaps(parseCidr(s.cidrBlock)!, cidr));
  if (conflict) throw ec2Error("InvalidSubnet.Conflict", `The CIDR '${input.CidrBlock}' conflicts with another subnet`);
  const zone = chooseZone(ctx, input.AvailabilityZone, input.AvailabilityZoneId);
  const tags = specifiedTags(input.TagSpecifications, "subnet");
  const subnet = addSubnet(state, ctx, { vpcId: vpc.vpcId, cidrBlock: input.CidrBlock, zone, defaultForAz: false });
  addTags(state, subnet.subnetId, tags);
  return { Subnet: toSubnet(state, subnet, ctx, true) };
};

export const describeSubnets: Op<"DescribeSubnets"> = (input, ctx) => {
  const state = ec2State(ctx);
  const subnets = input.SubnetIds?.length ? findSubnets(state, input.SubnetIds) : Object.values(state.subnets);
  const filtered = applyFilters(
    subnets,
    input.Filters,
    {
      "subnet-id": (s) => s.subnetId,
      "vpc-id": (s) => s.vpcId,
      "availability-zone": (s) => s.availabilityZone,
      "availability-zone-id": (s) => s.availabilityZoneId,
      "cidr-block": (s) => s.cidrBlock,
      cidr: (s) => s.cidrBlock,
      cidrBlock: (s) => s.cidrBlock,
      "default-for-az": (s) => s.defaultForAz,
      defaultForAz: (s) => s.defaultForAz,
      "map-public-ip-on-launch": (s) => s.mapPublicIpOnLaunch,
      "available-ip-address-count": (s) => availableAddresses(s),
      "owner-id": () => ctx.accountId,
      state: () => "available",
      "subnet-arn": (s) => subnetArn(ctx, s.subnetId),
    },
    (s) => tagsOf(state, s.subnetId),
  );
  const page = paginate(filtered, input.MaxResults, input.NextToken, "DescribeSubnets");
  return { Subnets: page.items.map((s) => toSubnet(state, s, ctx)), NextToken: page.nextToken };
};

export const deleteSubnet: Op<"DeleteSubnet"> = (input, ctx) => {
  const state = ec2State(ctx);
  const subnet = findSubnet(state, input.SubnetId);
  const inUse = Object.values(state.instances).some((i) => i.subnetId === subnet.subnetId && i.state !== "terminated");
  if (inUse) throw dependencyViolation(`The subnet '${subnet.subnetId}' has dependencies and cannot be deleted.`);
  // Deleting a subnet ends its route table association.
  for (const table of Object.values(state.routeTables)) table.associations = table.associations.filter((a) => a.subnetId !== subnet.subnetId);
  dropTags(state, subnet.subnetId);
  delete state.subnets[subnet.subnetId];
};

export const modifySubnetAttribute: Op<"ModifySubnetAttribute"> = (input, ctx) => {
  const subnet = findSubnet(ec2State(ctx), input.SubnetId);
  if (input.MapPublicIpOnLaunch?.Value !== undefined) subnet.mapPublicIpOnLaunch = input.MapPublicIpOnLaunch.Value;
  if (input.AssignIpv6AddressOnCreation?.Value === true) {
    throw invalidParameterValue(`Subnet ${subnet.subnetId} does not have an IPv6 CIDR block to assign addresses from.`);
  }
};
