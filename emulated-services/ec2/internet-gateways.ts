import type { InternetGateway, InternetGatewayAttachment } from "../../src/generated/types/ec2.js";
import type { CallContext } from "../../src/types/service.js";
import { dependencyViolation, ec2Error } from "./errors.js";
import { applyFilters } from "./filters.js";
import { findInternetGateway, findInternetGateways, findVpc } from "./lookups.js";
import { addInternetGateway } from "./network-resources.js";
import type { Op } from "./op.js";
import { paginate } from "./paging.js";
import { ec2State } from "./region-state.js";
import type { Ec2State, StoredInternetGateway } from "./state.js";
import { addTags, dropTags, specifiedTags, tagList, tagsOf } from "./tags.js";

function toInternetGateway(state: Ec2State, gateway: StoredInternetGateway, ctx: CallContext): InternetGateway {
  return {
    InternetGatewayId: gateway.internetGatewayId,
    OwnerId: ctx.accountId,
    // An attached gateway's attachment is `available`, as EC2 answers, though the model's enum says `attached`.
    Attachments: gateway.attachedVpcId ? [{ State: "available" as InternetGatewayAttachment["State"], VpcId: gateway.attachedVpcId }] : [],
    Tags: tagList(state, gateway.internetGatewayId),
  };
}

export const createInternetGateway: Op<"CreateInternetGateway"> = (input, ctx) => {
  const state = ec2State(ctx);
  const tags = specifiedTags(input.TagSpecifications, "internet-gateway");
  const gateway = addInternetGateway(state, ctx);
  addTags(state, gateway.internetGatewayId, tags);
  return { InternetGateway: toInternetGateway(state, gateway, ctx) };
};

/** A gateway attaches to one VPC, and a VPC takes one internet gateway. */
export const attachInternetGateway: Op<"AttachInternetGateway"> = (input, ctx) => {
  const state = ec2State(ctx);
  const gateway = findInternetGateway(state, input.InternetGatewayId);
  const vpc = findVpc(state, input.VpcId);
  if (gateway.attachedVpcId) {
    throw ec2Error("Resource.AlreadyAssociated", `resource ${gateway.internetGatewayId} is already attached to network ${gateway.attachedVpcId}`);
  }
  const other = Object.values(state.internetGateways).find((g) => g.attachedVpcId === vpc.vpcId);
  if (other) throw ec2Error("Resource.AlreadyAssociated", `Network ${vpc.vpcId} already has an internet gateway attached`);
  gateway.attachedVpcId = vpc.vpcId;
};

export const detachInternetGateway: Op<"DetachInternetGateway"> = (input, ctx) => {
  const state = ec2State(ctx);
  const gateway = findInternetGateway(state, input.InternetGatewayId);
  const vpc = findVpc(state, input.VpcId);
  if (gateway.attachedVpcId !== vpc.vpcId) {
    throw ec2Error("Gateway.NotAttached", `resource ${gateway.internetGatewayId} is not attached to network ${vpc.vpcId}`);
  }
  // Public addresses in the VPC depend on the gateway (Amazon VPC User Guide, "Detach an internet gateway").
  const mapped = Object.values(state.instances).some((i) => i.vpcId === vpc.vpcId && i.publicIpAddress !== undefined);
  if (mapped) throw dependencyViolation(`Network ${vpc.vpcId} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.`);
  gateway.attachedVpcId = undefined;
};

export const deleteInternetGateway: Op<"DeleteInternetGateway"> = (input, ctx) => {
  const state = ec2State(ctx);
  const gateway = findInternetGateway(state, input.InternetGatewayId);
  if (gateway.attachedVpcId) throw dependencyViolation(`The internetGateway '${gateway.internetGatewayId}' has dependencies and cannot be deleted.`);
  dropTags(state, gateway.internetGatewayId);
  delete state.internetGateways[gateway.internetGatewayId];
};

export const describeInternetGateways: Op<"DescribeInternetGateways"> = (input, ctx) => {
  const state = ec2State(ctx);
  const gateways = input.InternetGatewayIds?.length ? findInternetGateways(state, input.InternetGatewayIds) : Object.values(state.internetGateways);
  const filtered = applyFilters(
    gateways,
    input.Filters,
    {
      "internet-gateway-id": (g) => g.internetGatewayId,
      "attachment.vpc-id": (g) => g.attachedVpcId,
      "attachment.state": (g) => (g.attachedVpcId ? "available" : undefined),
      "owner-id": () => ctx.accountId,
    },
    (g) => tagsOf(state, g.internetGatewayId),
  );
  const page = paginate(filtered, input.MaxResults, input.NextToken, "DescribeInternetGateways");
  return { InternetGateways: page.items.map((g) => toInternetGateway(state, g, ctx)), NextToken: page.nextToken };
};
