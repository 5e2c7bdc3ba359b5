import type { InstanceState } from "../../src/generated/types/ec2.js";
import type { CallContext } from "../../src/types/service.js";
import type { Ec2State, InstanceStateName, StoredInstance } from "./state.js";

/** The state codes of the instance lifecycle (EC2 API reference, InstanceState). */
const STATE_CODES: Record<InstanceStateName, number> = {
  pending: 0,
  running: 16,
  "shutting-down": 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export const instanceState = (name: InstanceStateName): InstanceState => ({ Code: STATE_CODES[name], Name: name });

/** Where each transitional state settles. */
const SETTLES_TO: Partial<Record<InstanceStateName, InstanceStateName>> = {
  pending: "running",
  stopping: "stopped",
  "shutting-down": "terminated",
};

// A terminated instance stays visible for about an hour (Amazon EC2 User Guide, "Terminate instances").
const TERMINATED_VISIBLE_MS = 60 * 60 * 1000;

/** Moves an instance to a new state, remembering which call did it. */
export function transition(instance: StoredInstance, to: InstanceStateName, ctx: CallContext): void {
  instance.state = to;
  instance.stateChangedBy = ctx.requestId;
  instance.stateChangedAt = ctx.now.toISOString();
  if (to === "pending") instance.stateReason = { code: "pending", message: "pending" };
  if (to === "stopping" || to === "shutting-down") {
    instance.stateReason = { code: "Client.UserInitiatedShutdown", message: "Client.UserInitiatedShutdown: User initiated shutdown" };
    instance.stateTransitionReason = `User initiated (${gmt(ctx.now)})`;
  }
}

/**
 * Transitional states settle once the call that began them has answered: a RunInstances response says
 * pending, the next call sees running. No timers: the change happens when the state is next read.
 */
export function settleInstances(state: Ec2State, ctx: CallContext): void {
  for (const instance of Object.values(state.instances)) {
    if (instance.stateChangedBy === ctx.requestId) continue;
    const next = SETTLES_TO[instance.state];
    if (next) {
      instance.state = next;
      instance.stateChangedBy = ctx.requestId;
      if (next === "running") {
        instance.stateReason = undefined;
        instance.stateTransitionReason = "";
        if (instance.associatePublicIp) instance.publicIpAddress = publicAddress(ctx);
      } else {
        // A stopped instance gives its public address back; a terminated one its private address too.
        instance.publicIpAddress = undefined;
      }
      if (next === "terminated") {
        instance.stateChangedAt = ctx.now.toISOString();
        const subnet = state.subnets[instance.subnetId];
        if (subnet) subnet.usedAddresses = subnet.usedAddresses.filter((a) => a !== instance.privateIpAddress);
      }
    } else if (instance.state === "terminated" && ctx.now.getTime() - Date.parse(instance.stateChangedAt) > TERMINATED_VISIBLE_MS) {
      delete state.instances[instance.instanceId];
      delete state.tags[instance.instanceId];
    }
  }
}

/** A public address from one of AWS's EC2 ranges (3.0.0.0/9 is one). */
function publicAddress(ctx: CallContext): string {
  const bytes = Buffer.from(ctx.env.ids.hex(6), "hex");
  return `3.${bytes[0]! % 128}.${bytes[1]}.${(bytes[2]! % 254) + 1}`;
}

/** `2026-11-24 13:19:06 GMT`, the time format of StateTransitionReason. */
const gmt = (d: Date): string => `${d.toISOString().slice(0, 19).replace("T", " ")} GMT`;
