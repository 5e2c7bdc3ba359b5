import type { CreateRouteRequest, Route, RouteTable } from "../../src/generated/types/ec2.js";
import type { CallContext } from "../../src/types/service.js";
import { parseCidr } from "./cidr.js";
import { associationNotFound, dependencyViolation, ec2Error, invalidParameterValue, missingParameter } from "./errors.js";
import { applyFilters } from "./filters.js";
import { newId } from "./ids.js";
import { findInstance, findRouteTable, findRouteTables, findSubnet, findVpc } from "./lookups.js";
import { addRouteTable } from "./network-resources.js";
import type { Op } from "./op.js";
import { paginate } from "./paging.js";
import { ec2State } from "./region-state.js";
import type { Ec2State, StoredRoute, StoredRouteTable } from "./state.js";
import { addTags, dropTags, specifiedTags, tagList, tagsOf } from "./tags.js";

/** A route whose target is gone (a detached gateway, a terminated instance) is a blackhole. */
function routeState(state: Ec2State, table: StoredRouteTable, route: StoredRoute): "active" | "blackhole" {
  if (route.gatewayId && route.gatewayId !== "local") {
    return state.internetGateways[route.gatewayId]?.attachedVpcId === table.vpcId ? "active" : "blackhole";
  }
  if (route.instanceId) {
    const instance = state.instances[route.instanceId];
    return instance && instance.state !== "terminated" ? "active" : "blackhole";
  }
  return "active";
}

function toRoute(state: Ec2State, table: StoredRouteTable, route: StoredRoute, ctx: CallContext): Route {
  const instance = route.instanceId ? state.instances[route.instanceId] : undefined;
  return {
    DestinationCidrBlock: route.destinationCidrBlock,
    GatewayId: route.gatewayId,
    InstanceId: route.instanceId,
    InstanceOwnerId: route.instanceId ? ctx.accountId : undefined,
    NetworkInterfaceId: route.networkInterfaceId ?? instance?.networkInterfaceId,
    NatGatewayId: route.natGatewayId,
    VpcPeeringConnectionId: route.vpcPeeringConnectionId,
    Origin: route.origin,
    State: routeState(state, table, route),
  };
}

export function toRouteTable(state: Ec2State, table: StoredRouteTable, ctx: CallContext): RouteTable {
  return {
    RouteTableId: table.routeTableId,
    VpcId: table.vpcId,
    OwnerId: ctx.accountId,
    Associations: table.associations.map((a) => ({
      Main: a.main,
      RouteTableAssociationId: a.associationId,
      RouteTableId: table.routeTableId,
      SubnetId: a.subnetId,
      GatewayId: a.gatewayId,
      AssociationState: { State: "associated" },
    })),
    PropagatingVgws: [],
    Routes: table.routes.map((r) => toRoute(state, table, r, ctx)),
    Tags: tagList(state, table.routeTableId),
  };
}

export const createRouteTable: Op<"CreateRouteTable"> = (input, ctx) => {
  const state = ec2State(ctx);
  const vpc = findVpc(state, input.VpcId);
  const tags = specifiedTags(input.TagSpecifications, "route-table");
  const table = addRouteTable(state, ctx, vpc, false);
  addTags(state, table.routeTableId, tags);
  return { RouteTable: toRouteTable(state, table, ctx), ClientToken: input.ClientToken };
};

/** The destination of a route: an IPv4 block (IPv6 and prefix-list destinations are not emulated). */
function destination(input: { DestinationCidrBlock?: string; DestinationIpv6CidrBlock?: string; DestinationPrefixListId?: string }): string {
  if (input.DestinationIpv6CidrBlock !== undefined || input.DestinationPrefixListId !== undefined) {
    throw invalidParameterValue("localtrail emulates IPv4 destinations only (destinationCidrBlock).");
  }
  const cidr = input.DestinationCidrBlock;
  if (cidr === undefined) throw missingParameter("The request must contain the parameter destinationCidrBlock or destinationIpv6CidrBlock or destinationPrefixListId");
  if (!parseCidr(cidr)) throw invalidParameterValue(`Value (${cidr}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.`);
  return cidr;
}

/** The one target a route sends traffic to, checked to be in the route table's VPC. */
function target(state: Ec2State, table: StoredRouteTable, input: CreateRouteRequest): Omit<StoredRoute, "destinationCidrBlock" | "origin"> {
  const given = [input.GatewayId, input.InstanceId, input.NatGatewayId, input.NetworkInterfaceId, input.VpcPeeringConnectionId].filter((t) => t !== undefined);
  if (given.length !== 1) {
    throw missingParameter("The request must contain exactly one of gatewayId, natGatewayId, networkInterfaceId, vpcPeeringConnectionId or instanceId");
  }
  if (input.GatewayId !== undefined) {
    const gateway = state.internetGateways[input.GatewayId];
    if (!gateway) throw ec2Error("InvalidGatewayID.NotFound", `The gateway ID '${input.GatewayId}' does not exist`);
    if (gateway.attachedVpcId !== table.vpcId) {
      throw invalidParameterValue(`route table ${table.routeTableId} and network gateway ${input.GatewayId} belong to different networks`);
    }
    return { gatewayId: input.GatewayId };
  }
  if (input.InstanceId !== undefined) {
    const instance = findInstance(state, input.InstanceId);
    if (instance.vpcId !== table.vpcId) throw invalidParameterValue(`route table ${table.routeTableId} and instance ${instance.instanceId} belong to different networks`);
    return { instanceId: instance.instanceId };
  }
  return { natGatewayId: input.NatGatewayId, networkInterfaceId: input.NetworkInterfaceId, vpcPeeringConnectionId: input.VpcPeeringConnectionId };
}

export const createRoute: Op<"CreateRoute"> = (input, ctx) => {
  const state = ec2State(ctx);
  const table = findRouteTable(state, input.RouteTableId);
  const cidr = destination(input);
  if (table.routes.some((r) => r.destinationCidrBlock === cidr)) throw ec2Error("RouteAlreadyExists", `The route identified by ${cidr} already exists.`);
  table.routes.push({ destinationCidrBlock: cidr, origin: "CreateRoute", ...target(state, table, input) });
  return { Return: true };
};

export const replaceRoute: Op<"ReplaceRoute"> = (input, ctx) => {
  const state = ec2State(ctx);
  const table = findRouteTable(state, input.RouteTableId);
  const cidr = destination(input);
  const index = table.routes.findIndex((r) => r.destinationCidrBlock === cidr);
  if (index < 0) throw invalidParameterValue(`There is no route defined for '${cidr}' in the route table. Use CreateRoute instead.`);
  table.routes[index] = { destinationCidrBlock: cidr, origin: "CreateRoute", ...target(state, table, input) };
};

export const deleteRoute: Op<"DeleteRoute"> = (input, ctx) => {
  const state = ec2State(ctx);
  const table = findRouteTable(state, input.RouteTableId);
  const cidr = destination(input);
  const route = table.routes.find((r) => r.destinationCidrBlock === cidr);
  if (!route) throw ec2Error("InvalidRoute.NotFound", `no route with destination-cidr-block ${cidr} in route table ${table.routeTableId}`);
  if (route.gatewayId === "local") throw invalidParameterValue(`cannot remove local route ${cidr} in route table ${table.routeTableId}`);
  table.routes = table.routes.filter((r) => r !== route);
};

/** A subnet is associated with one route table at a time (the main one when with none). */
export const associateRouteTable: Op<"AssociateRouteTable"> = (input, ctx) => {
  const state = ec2State(ctx);
  const table = findRouteTable(state, input.RouteTableId);
  if ((input.SubnetId === undefined) === (input.GatewayId === undefined)) {
    throw missingParameter("The request must contain exactly one of the parameters subnetId or gatewayId");
  }
  if (input.SubnetId !== undefined) {
    const subnet = findSubnet(state, input.SubnetId);
    if (subnet.vpcId !== table.vpcId) throw invalidParameterValue(`Route table ${table.routeTableId} and subnet ${subnet.subnetId} belong to different networks`);
    const taken = Object.values(state.routeTables).some((t) => t.associations.some((a) => a.subnetId === subnet.subnetId));
    if (taken) throw ec2Error("Resource.AlreadyAssociated", `the specified association for route table ${table.routeTableId} conflicts with an existing association`);
  } else {
    const gateway = state.internetGateways[input.GatewayId!];
    if (!gateway) throw ec2Error("InvalidGatewayID.NotFound", `The gateway ID '${input.GatewayId}' does not exist`);
  }
  const associationId = newId(ctx, "rtbassoc");
  table.associations.push({ associationId, main: false, subnetId: input.SubnetId, gatewayId: input.GatewayId });
  return { AssociationId: associationId, AssociationState: { State: "associated" } };
};

export const disassociateRouteTable: Op<"DisassociateRouteTable"> = (input, ctx) => {
  const state = ec2State(ctx);
  const table = Object.values(state.routeTables).find((t) => t.associations.some((a) => a.associationId === input.AssociationId));
  if (!table) throw associationNotFound(input.AssociationId);
  const association = table.associations.find((a) => a.associationId === input.AssociationId)!;
  if (association.main) throw invalidParameterValue(`cannot disassociate the main route table association ${association.associationId}`);
  table.associations = table.associations.filter((a) => a !== association);
};

export const deleteRouteTable: Op<"DeleteRouteTable"> = (input, ctx) => {
  const state = ec2State(ctx);
  const table = findRouteTable(state, input.RouteTableId);
  if (table.associations.length > 0) throw dependencyViolation(`The routeTable '${table.routeTableId}' has dependencies and cannot be deleted.`);
  dropTags(state, table.routeTableId);
  delete state.routeTables[table.routeTableId];
};

export const describeRouteTables: Op<"DescribeRouteTables"> = (input, ctx) => {
  const state = ec2State(ctx);
  const tables = input.RouteTableIds?.length ? findRouteTables(state, input.RouteTableIds) : Object.values(state.routeTables);
  const filtered = applyFilters(
    tables,
    input.Filters,
    {
      "route-table-id": (t) => t.routeTableId,
      "vpc-id": (t) => t.vpcId,
      "owner-id": () => ctx.accountId,
      "association.route-table-association-id": (t) => t.associations.map((a) => a.associationId),
      "association.route-table-id": (t) => (t.associations.length > 0 ? t.routeTableId : undefined),
      "association.subnet-id": (t) => t.associations.map((a) => a.subnetId),
      "association.gateway-id": (t) => t.associations.map((a) => a.gatewayId),
      "association.main": (t) => t.associations.some((a) => a.main),
      "route.destination-cidr-block": (t) => t.routes.map((r) => r.destinationCidrBlock),
      "route.gateway-id": (t) => t.routes.map((r) => r.gatewayId),
      "route.instance-id": (t) => t.routes.map((r) => r.instanceId),
      "route.nat-gateway-id": (t) => t.routes.map((r) => r.natGatewayId),
      "route.origin": (t) => t.routes.map((r) => r.origin),
      "route.state": (t) => t.routes.map((r) => routeState(state, t, r)),
    },
    (t) => tagsOf(state, t.routeTableId),
  );
  const page = paginate(filtered, input.MaxResults, input.NextToken, "DescribeRouteTables");
  return { RouteTables: page.items.map((t) => toRouteTable(state, t, ctx)), NextToken: page.nextToken };
};
