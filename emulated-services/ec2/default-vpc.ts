import type { CallContext } from "../../src/types/service.js";
import { addInternetGateway, addSubnet, addVpc } from "./network-resources.js";
import type { Ec2State, StoredVpc } from "./state.js";
import { zonesOf } from "./zones.js";

/**
 * The default VPC AWS gives every account in every region: 172.31.0.0/16, a /20 default subnet in each
 * availability zone, an internet gateway and a route to it in the main route table (Amazon VPC User Guide,
 * "Default VPCs").
 */
export function createDefaultNetwork(state: Ec2State, ctx: CallContext): StoredVpc {
  const vpc = addVpc(state, ctx, { cidrBlock: "172.31.0.0/16", isDefault: true });
  zonesOf(ctx.region).forEach((zone, i) => {
    addSubnet(state, ctx, { vpcId: vpc.vpcId, cidrBlock: `172.31.${i * 16}.0/20`, zone, defaultForAz: true });
  });
  const gateway = addInternetGateway(state, ctx);
  gateway.attachedVpcId = vpc.vpcId;
  state.routeTables[vpc.mainRouteTableId]!.routes.push({ destinationCidrBlock: "0.0.0.0/0", gatewayId: gateway.internetGatewayId, origin: "CreateRoute" });
  state.defaultVpcId = vpc.vpcId;
  return vpc;
}
