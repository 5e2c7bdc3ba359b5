import type { InstanceAttribute, ModifyInstanceAttributeRequest } from "../../src/generated/types/ec2.js";
import { ec2Error, groupNotFoundInVpc, invalidParameterCombination, invalidParameterValue } from "./errors.js";
import { checkInstanceType, instanceArchitecture } from "./instance-view.js";
import { findInstance } from "./lookups.js";
import type { Op } from "./op.js";
import { ec2State } from "./region-state.js";
import type { Ec2State, StoredInstance } from "./state.js";

/** One attribute change, whichever of the request's two forms named it (Attribute/Value or a member). */
type Change =
  | { name: "instanceType" | "instanceInitiatedShutdownBehavior" | "userData"; value: string }
  | { name: "disableApiTermination" | "disableApiStop" | "sourceDestCheck" | "ebsOptimized"; value: boolean }
  | { name: "groupSet"; value: string[] };

const bool = (text: string) => {
  if (text !== "true" && text !== "false") throw invalidParameterValue(`Value (${text}) for parameter value is invalid. Expected 'true' or 'false'.`);
  return text === "true";
};

function changeOf(input: ModifyInstanceAttributeRequest): Change {
  const changes: Change[] = [];
  if (input.InstanceType?.Value !== undefined) changes.push({ name: "instanceType", value: input.InstanceType.Value });
  const shutdown = input.InstanceInitiatedShutdownBehavior?.Value;
  if (shutdown !== undefined) changes.push({ name: "instanceInitiatedShutdownBehavior", value: shutdown });
  if (input.UserData?.Value !== undefined) changes.push({ name: "userData", value: Buffer.from(input.UserData.Value).toString("base64") });
  if (input.DisableApiTermination?.Value !== undefined) changes.push({ name: "disableApiTermination", value: input.DisableApiTermination.Value });
  if (input.DisableApiStop?.Value !== undefined) changes.push({ name: "disableApiStop", value: input.DisableApiStop.Value });
  if (input.SourceDestCheck?.Value !== undefined) changes.push({ name: "sourceDestCheck", value: input.SourceDestCheck.Value });
  if (input.EbsOptimized?.Value !== undefined) changes.push({ name: "ebsOptimized", value: input.EbsOptimized.Value });
  if (input.Groups?.length) changes.push({ name: "groupSet", value: input.Groups });
  if (input.Attribute !== undefined) {
    const value = input.Value ?? "";
    switch (input.Attribute) {
      case "instanceType":
      case "instanceInitiatedShutdownBehavior":
        changes.push({ name: input.Attribute, value });
        break;
      case "disableApiTermination":
      case "disableApiStop":
      case "sourceDestCheck":
      case "ebsOptimized":
        changes.push({ name: input.Attribute, value: bool(value) });
        break;
      default:
        throw invalidParameterValue(`Value (${input.Attribute}) for parameter attribute is invalid. Modifying this attribute is not emulated.`);
    }
  }
  // EC2 changes one attribute per call.
  if (changes.length !== 1) throw invalidParameterCombination("Exactly one attribute must be specified per request.");
  return changes[0]!;
}

// These can change only while the instance is stopped (Amazon EC2 User Guide, "Change the instance type").
const STOPPED_ONLY = new Set(["instanceType", "userData", "ebsOptimized"]);

function apply(state: Ec2State, instance: StoredInstance, change: Change): void {
  if (STOPPED_ONLY.has(change.name) && instance.state !== "stopped") {
    throw ec2Error("IncorrectInstanceState", `The instance '${instance.instanceId}' is not in the 'stopped' state.`);
  }
  switch (change.name) {
    case "instanceType":
      checkInstanceType(change.value);
      if (instanceArchitecture(change.value) !== instance.architecture) {
        throw invalidParameterValue(
          `The instance type '${change.value}' does not support the architecture of instance '${instance.instanceId}' (${instance.architecture}).`,
        );
      }
      instance.instanceType = change.value;
      return;
    case "instanceInitiatedShutdownBehavior":
      if (change.value !== "stop" && change.value !== "terminate") throw invalidParameterValue(`Value (${change.value}) for parameter value is invalid.`);
      instance.instanceInitiatedShutdownBehavior = change.value;
      return;
    case "userData":
      instance.userData = change.value;
      return;
    case "groupSet":
      for (const id of change.value) if (state.securityGroups[id]?.vpcId !== instance.vpcId) throw groupNotFoundInVpc(id, instance.vpcId, false);
      instance.securityGroupIds = [...new Set(change.value)];
      return;
    default:
      instance[change.name] = change.value;
  }
}

export const modifyInstanceAttribute: Op<"ModifyInstanceAttribute"> = (input, ctx) => {
  const state = ec2State(ctx);
  const instance = findInstance(state, input.InstanceId);
  apply(state, instance, changeOf(input));
};

export const describeInstanceAttribute: Op<"DescribeInstanceAttribute"> = (input, ctx) => {
  const state = ec2State(ctx);
  const i = findInstance(state, input.InstanceId);
  const out: InstanceAttribute = { InstanceId: i.instanceId };
  switch (input.Attribute) {
    case "instanceType":
      out.InstanceType = { Value: i.instanceType };
      break;
    case "kernel":
      out.KernelId = {};
      break;
    case "ramdisk":
      out.RamdiskId = {};
      break;
    case "userData":
      out.UserData = i.userData !== undefined ? { Value: i.userData } : {};
      break;
    case "disableApiTermination":
      out.DisableApiTermination = { Value: i.disableApiTermination };
      break;
    case "disableApiStop":
      out.DisableApiStop = { Value: i.disableApiStop };
      break;
    case "instanceInitiatedShutdownBehavior":
      out.InstanceInitiatedShutdownBehavior = { Value: i.instanceInitiatedShutdownBehavior };
      break;
    case "rootDeviceName":
      out.RootDeviceName = { Value: i.rootDeviceName };
      break;
    case "blockDeviceMapping":
      out.BlockDeviceMappings = [
        { DeviceName: i.rootDeviceName, Ebs: { AttachTime: new Date(i.launchTime), DeleteOnTermination: true, Status: "attached", VolumeId: i.rootVolumeId } },
      ];
      break;
    case "productCodes":
      out.ProductCodes = [];
      break;
    case "sourceDestCheck":
      out.SourceDestCheck = { Value: i.sourceDestCheck };
      break;
    case "groupSet":
      out.Groups = i.securityGroupIds.map((id) => ({ GroupId: id, GroupName: state.securityGroups[id]?.groupName }));
      break;
    case "ebsOptimized":
      out.EbsOptimized = { Value: i.ebsOptimized };
      break;
    case "sriovNetSupport":
      out.SriovNetSupport = { Value: "simple" };
      break;
    case "enaSupport":
      out.EnaSupport = { Value: true };
      break;
    case "enclaveOptions":
      out.EnclaveOptions = { Enabled: false };
      break;
    default:
      throw invalidParameterValue(`Value (${String(input.Attribute)}) for parameter attribute is invalid. Unknown attribute.`);
  }
  return out;
};
