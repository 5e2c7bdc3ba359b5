import type { CallContext } from "../../src/types/service.js";
import { createDefaultNetwork } from "./default-vpc.js";
import { newId } from "./ids.js";
import { settleInstances } from "./instance-lifecycle.js";
import type { Ec2State } from "./state.js";

/**
 * The calling account's EC2 state in the called region. A region first used gets its default VPC, as every
 * AWS account has one per region; instances in a transitional state settle (pending -> running).
 */
export function ec2State(ctx: CallContext): Ec2State {
  const state = ctx.state.get<Ec2State>("ec2", ctx.accountId, ctx.region, () => emptyState(ctx));
  if (!state.defaultNetworkCreated) {
    state.defaultNetworkCreated = true;
    createDefaultNetwork(state, ctx);
  }
  settleInstances(state, ctx);
  return state;
}

function emptyState(ctx: CallContext): Ec2State {
  return {
    defaultNetworkCreated: false,
    dhcpOptionsId: newId(ctx, "dopt"),
    vpcs: {},
    subnets: {},
    internetGateways: {},
    routeTables: {},
    securityGroups: {},
    keyPairs: {},
    instances: {},
    tags: {},
  };
}
