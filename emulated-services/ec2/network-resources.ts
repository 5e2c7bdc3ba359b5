import type { CallContext } from "../../src/types/service.js";
import { newId } from "./ids.js";
import type { Ec2State, StoredInternetGateway, StoredRouteTable, StoredSecurityGroup, StoredSubnet, StoredVpc } from "./state.js";
import type { ZoneInfo } from "./zones.js";

/**
 * The records a VPC and its parts are made of, shared by the handlers and by the default VPC. Each adds
 * what AWS creates alongside: a VPC comes with its main route table, default security group and network ACL.
 */

export function addVpc(state: Ec2State, ctx: CallContext, options: { cidrBlock: string; instanceTenancy?: string; isDefault: boolean }): StoredVpc {
  const vpcId = newId(ctx, "vpc");
  const vpc: StoredVpc = {
    vpcId,
    cidrBlock: options.cidrBlock,
    cidrAssociationId: newId(ctx, "vpc-cidr-assoc"),
    instanceTenancy: options.instanceTenancy ?? "default",
    isDefault: options.isDefault,
    dhcpOptionsId: state.dhcpOptionsId,
    enableDnsSupport: true,
    // DNS hostnames are on in the default VPC and off in the VPCs a user creates.
    enableDnsHostnames: options.isDefault,
    enableNetworkAddressUsageMetrics: false,
    mainRouteTableId: "",
    defaultSecurityGroupId: "",
    defaultNetworkAclId: newId(ctx, "acl"),
  };
  state.vpcs[vpcId] = vpc;
  vpc.mainRouteTableId = addRouteTable(state, ctx, vpc, true).routeTableId;
  vpc.defaultSecurityGroupId = addSecurityGroup(state, ctx, { groupName: "default", description: "default VPC security group", vpcId, isDefault: true }).groupId;
  return vpc;
}

export function addSubnet(
  state: Ec2State,
  ctx: CallContext,
  options: { vpcId: string; cidrBlock: string; zone: ZoneInfo; defaultForAz: boolean },
): StoredSubnet {
  const subnet: StoredSubnet = {
    subnetId: newId(ctx, "subnet"),
    vpcId: options.vpcId,
    cidrBlock: options.cidrBlock,
    availabilityZone: options.zone.zoneName,
    availabilityZoneId: options.zone.zoneId,
    defaultForAz: options.defaultForAz,
    // Default subnets give instances public addresses; the subnets a user creates do not.
    mapPublicIpOnLaunch: options.defaultForAz,
    usedAddresses: [],
  };
  state.subnets[subnet.subnetId] = subnet;
  return subnet;
}

/** A route table with the VPC's local route; the main one carries the VPC's main association. */
export function addRouteTable(state: Ec2State, ctx: CallContext, vpc: StoredVpc, main: boolean): StoredRouteTable {
  const table: StoredRouteTable = {
    routeTableId: newId(ctx, "rtb"),
    vpcId: vpc.vpcId,
    routes: [{ destinationCidrBlock: vpc.cidrBlock, gatewayId: "local", origin: "CreateRouteTable" }],
    associations: main ? [{ associationId: newId(ctx, "rtbassoc"), main: true }] : [],
  };
  state.routeTables[table.routeTableId] = table;
  return table;
}

export function addInternetGateway(state: Ec2State, ctx: CallContext): StoredInternetGateway {
  const gateway: StoredInternetGateway = { internetGatewayId: newId(ctx, "igw") };
  state.internetGateways[gateway.internetGatewayId] = gateway;
  return gateway;
}

/**
 * A security group allows all outbound traffic; the default group of a VPC also allows all inbound
 * traffic from its own members (Amazon VPC User Guide, "Default security groups for your VPCs").
 */
export function addSecurityGroup(
  state: Ec2State,
  ctx: CallContext,
  options: { groupName: string; description: string; vpcId: string; isDefault: boolean },
): StoredSecurityGroup {
  const groupId = newId(ctx, "sg");
  const group: StoredSecurityGroup = {
    groupId,
    groupName: options.groupName,
    description: options.description,
    vpcId: options.vpcId,
    rules: [],
  };
  if (options.isDefault) {
    group.rules.push({ ruleId: newId(ctx, "sgr"), isEgress: false, ipProtocol: "-1", referencedGroupId: groupId, referencedUserId: ctx.accountId });
  }
  group.rules.push({ ruleId: newId(ctx, "sgr"), isEgress: true, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" });
  state.securityGroups[groupId] = group;
  return group;
}
