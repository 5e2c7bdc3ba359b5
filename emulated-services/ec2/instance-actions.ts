import type { InstanceStateChange } from "../../src/generated/types/ec2.js";
import type { CallContext } from "../../src/types/service.js";
import { ec2Error, incorrectInstanceState } from "./errors.js";
import { instanceState, transition } from "./instance-lifecycle.js";
import { findInstances } from "./lookups.js";
import type { Op } from "./op.js";
import { ec2State } from "./region-state.js";
import type { InstanceStateName, StoredInstance } from "./state.js";

/**
 * Start, Stop, Terminate: each instance moves to its transitional state (pending, stopping, shutting-down)
 * and settles on the next call. An instance already where the call would take it reports its current
 * state twice; one that cannot make the move fails the whole call with IncorrectInstanceState.
 */
function change(instances: StoredInstance[], ctx: CallContext, next: (i: StoredInstance) => InstanceStateName): InstanceStateChange[] {
  const targets = instances.map((i) => next(i));
  return instances.map((instance, n) => {
    const previous = instanceState(instance.state);
    if (targets[n] !== instance.state) transition(instance, targets[n]!, ctx);
    return { InstanceId: instance.instanceId, CurrentState: instanceState(instance.state), PreviousState: previous };
  });
}

export const startInstances: Op<"StartInstances"> = (input, ctx) => {
  const instances = findInstances(ec2State(ctx), input.InstanceIds);
  const changes = change(instances, ctx, (i) => {
    if (i.state === "stopped") return "pending";
    if (i.state === "pending" || i.state === "running") return i.state;
    throw incorrectInstanceState(i.instanceId, "started");
  });
  return { StartingInstances: changes };
};

export const stopInstances: Op<"StopInstances"> = (input, ctx) => {
  const instances = findInstances(ec2State(ctx), input.InstanceIds);
  const changes = change(instances, ctx, (i) => {
    if (i.state === "stopped" || i.state === "stopping") return i.state;
    if (i.state === "pending") throw ec2Error("IncorrectInstanceState", `Instance '${i.instanceId}' cannot be stopped as it has never reached the 'running' state.`);
    if (i.state !== "running") throw incorrectInstanceState(i.instanceId, "stopped");
    if (i.disableApiStop) {
      throw ec2Error("OperationNotPermitted", `The instance '${i.instanceId}' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.`);
    }
    return "stopping";
  });
  return { StoppingInstances: changes };
};

export const terminateInstances: Op<"TerminateInstances"> = (input, ctx) => {
  const instances = findInstances(ec2State(ctx), input.InstanceIds);
  const changes = change(instances, ctx, (i) => {
    if (i.state === "terminated" || i.state === "shutting-down") return i.state;
    if (i.disableApiTermination) {
      throw ec2Error(
        "OperationNotPermitted",
        `The instance '${i.instanceId}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`,
      );
    }
    return "shutting-down";
  });
  return { TerminatingInstances: changes };
};

/** A reboot keeps the instance running: nothing changes that a caller can see. */
export const rebootInstances: Op<"RebootInstances"> = (input, ctx) => {
  for (const instance of findInstances(ec2State(ctx), input.InstanceIds)) {
    if (instance.state === "terminated" || instance.state === "shutting-down") throw incorrectInstanceState(instance.instanceId, "rebooted");
  }
};
