import type { AwsError } from "../../src/types/aws-error.js";
import {
  groupNotFound,
  instanceNotFound,
  internetGatewayNotFound,
  malformedId,
  routeTableNotFound,
  subnetNotFound,
  vpcNotFound,
} from "./errors.js";
import { isWellFormedId, type IdPrefix } from "./ids.js";
import type { Ec2State, StoredInstance, StoredInternetGateway, StoredRouteTable, StoredSecurityGroup, StoredSubnet, StoredVpc } from "./state.js";

/**
 * Finding resources by id, with EC2's two failures: an id of the wrong form is `<Kind>.Malformed`
 * (`Invalid id: "ma1"`), a well-formed one that does not exist `<Kind>.NotFound`, naming every missing id.
 */
function finder<T>(
  collection: (state: Ec2State) => Record<string, T>,
  prefix: IdPrefix,
  malformedCode: string,
  notFound: (ids: string[]) => AwsError,
  expecting?: string,
) {
  const all = (state: Ec2State, ids: string[]): T[] => {
    const bad = ids.find((id) => !isWellFormedId(prefix, id));
    if (bad !== undefined) throw malformedId(malformedCode, bad, expecting);
    const items = collection(state);
    const missing = ids.filter((id) => !Object.hasOwn(items, id));
    if (missing.length > 0) throw notFound([...new Set(missing)]);
    return [...new Set(ids)].map((id) => items[id]!);
  };
  return { all, one: (state: Ec2State, id: string): T => all(state, [id])[0]! };
}

const vpcs = finder<StoredVpc>((s) => s.vpcs, "vpc", "InvalidVpcID.Malformed", vpcNotFound);
const subnets = finder<StoredSubnet>((s) => s.subnets, "subnet", "InvalidSubnetID.Malformed", subnetNotFound);
const gateways = finder<StoredInternetGateway>((s) => s.internetGateways, "igw", "InvalidInternetGatewayID.Malformed", internetGatewayNotFound);
const routeTables = finder<StoredRouteTable>((s) => s.routeTables, "rtb", "InvalidRouteTableID.Malformed", routeTableNotFound);
const instances = finder<StoredInstance>((s) => s.instances, "i", "InvalidInstanceID.Malformed", instanceNotFound);
const groups = finder<StoredSecurityGroup>((s) => s.securityGroups, "sg", "InvalidGroupId.Malformed", (ids) => groupNotFound(ids[0]!), "sg");

export const findVpc = vpcs.one;
export const findVpcs = vpcs.all;
export const findSubnet = subnets.one;
export const findSubnets = subnets.all;
export const findInternetGateway = gateways.one;
export const findInternetGateways = gateways.all;
export const findRouteTable = routeTables.one;
export const findRouteTables = routeTables.all;
export const findInstance = instances.one;
export const findInstances = instances.all;
export const findSecurityGroup = groups.one;
export const findSecurityGroups = groups.all;
