import type { RunInstancesRequest } from "../../src/generated/types/ec2.js";
import type { CallContext } from "../../src/types/service.js";
import { cidrContainsIp, isUsableAddress, nextFreeAddress, parseCidr, parseIp } from "./cidr.js";
import { ec2Error, groupNotFoundInVpc, invalidParameterCombination, invalidParameterValue, keyPairNotFound, missingParameter, noDefaultVpc } from "./errors.js";
import { newId } from "./ids.js";
import { findImages } from "./images.js";
import { transition } from "./instance-lifecycle.js";
import { checkInstanceType, instanceArchitecture, toInstance } from "./instance-view.js";
import { keyByName } from "./key-pairs.js";
import { findSubnet } from "./lookups.js";
import type { Op } from "./op.js";
import { ec2State } from "./region-state.js";
import type { Ec2State, StoredInstance, StoredSubnet } from "./state.js";
import { addTags, specifiedTags } from "./tags.js";

// A new account may run 20 instances per region (DescribeAccountAttributes max-instances).
const MAX_INSTANCES = 20;
// User data is at most 16 KB before base64 (Amazon EC2 User Guide, "Run commands at launch").
const MAX_USER_DATA = 16 * 1024;

// The first-generation families run paravirtual images only; every image here is HVM. RunInstances'
// default type (m1.small) is one of them, so a launch without InstanceType fails as it does on AWS.
const PARAVIRTUAL_ONLY = /^(t1|m1|m2|c1)\./;

/** The subnet an instance launches into: the one named, else the default subnet of the zone asked for (or the first). */
function launchSubnet(state: Ec2State, input: RunInstancesRequest): StoredSubnet {
  const primary = input.NetworkInterfaces?.find((n) => (n.DeviceIndex ?? 0) === 0);
  const subnetId = input.SubnetId ?? primary?.SubnetId;
  const zone = input.Placement?.AvailabilityZone;
  if (subnetId !== undefined) {
    const subnet = findSubnet(state, subnetId);
    if (zone !== undefined && zone !== subnet.availabilityZone) {
      throw invalidParameterValue(`Value (${zone}) for parameter availabilityZone is invalid. Subnet '${subnet.subnetId}' is in the availability zone ${subnet.availabilityZone}`);
    }
    return subnet;
  }
  if (!state.defaultVpcId) throw noDefaultVpc();
  const defaults = Object.values(state.subnets).filter((s) => s.vpcId === state.defaultVpcId && s.defaultForAz);
  const subnet = zone === undefined ? defaults[0] : defaults.find((s) => s.availabilityZone === zone);
  if (!subnet) throw invalidParameterValue(`Invalid availability zone: [${zone}]`);
  return subnet;
}

/** Security groups by id (in the subnet's VPC) or, in the default VPC only, by name; else the VPC's default group. */
function launchGroups(state: Ec2State, input: RunInstancesRequest, subnet: StoredSubnet): string[] {
  const primary = input.NetworkInterfaces?.find((n) => (n.DeviceIndex ?? 0) === 0);
  const ids = input.SecurityGroupIds ?? primary?.Groups ?? [];
  const names = input.SecurityGroups ?? [];
  const vpc = state.vpcs[subnet.vpcId]!;
  if (names.length > 0 && (input.SubnetId !== undefined || !vpc.isDefault)) {
    throw invalidParameterCombination("The parameter groupName cannot be used with the parameter subnet");
  }
  const groups = [...ids];
  for (const id of ids) {
    if (state.securityGroups[id]?.vpcId !== vpc.vpcId) throw groupNotFoundInVpc(id, vpc.vpcId, false);
  }
  for (const name of names) {
    const group = Object.values(state.securityGroups).find((g) => g.vpcId === vpc.vpcId && g.groupName === name);
    if (!group) throw groupNotFoundInVpc(name, vpc.vpcId, vpc.isDefault);
    groups.push(group.groupId);
  }
  return groups.length > 0 ? [...new Set(groups)] : [vpc.defaultSecurityGroupId];
}

function checkCounts(state: Ec2State, input: RunInstancesRequest): number {
  if (input.MinCount < 1) throw invalidParameterValue(`Value (${input.MinCount}) for parameter minCount is invalid. Expected a positive integer.`);
  if (input.MaxCount < input.MinCount) {
    throw invalidParameterValue(`Value (${input.MaxCount}) for parameter maxCount is invalid. Expected a value greater than or equal to minCount (${input.MinCount}).`);
  }
  const running = Object.values(state.instances).filter((i) => i.state !== "terminated" && i.state !== "shutting-down").length;
  const room = MAX_INSTANCES - running;
  if (input.MinCount > room) {
    throw ec2Error(
      "InstanceLimitExceeded",
      `You have requested more instances (${input.MinCount}) than your current instance limit of ${MAX_INSTANCES} allows for the specified instance type. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.`,
    );
  }
  return Math.min(input.MaxCount, room);
}

function checkUserData(userData: string | undefined): void {
  if (userData === undefined) return;
  if (!/^[A-Za-z0-9+/\r\n]*={0,2}\s*$/.test(userData)) throw invalidParameterValue("Invalid BASE64 encoding of user data.");
  if (Buffer.from(userData, "base64").length > MAX_USER_DATA) throw invalidParameterValue("User data is limited to 16384 bytes");
}

/** The private address asked for: inside the subnet, usable, free; only for a launch of one instance. */
function requestedAddress(subnet: StoredSubnet, address: string | undefined, count: number): string | undefined {
  if (address === undefined) return undefined;
  const cidr = parseCidr(subnet.cidrBlock)!;
  const ip = parseIp(address);
  if (ip === undefined || !cidrContainsIp(cidr, ip) || !isUsableAddress(cidr, ip)) {
    throw invalidParameterValue(`Address ${address} does not fall within the subnet's address range`);
  }
  if (subnet.usedAddresses.includes(address)) throw ec2Error("InvalidIPAddress.InUse", `Address ${address} is in use.`);
  if (count > 1) throw invalidParameterCombination("Cannot specify an IP address when launching more than one instance.");
  return address;
}

export const runInstances: Op<"RunInstances"> = (input, ctx) => {
  const state = ec2State(ctx);
  if (input.ImageId === undefined) throw missingParameter("The request must contain the parameter ImageId");
  const count = checkCounts(state, input);
  const [image] = findImages(ctx, [input.ImageId]);
  const instanceType = input.InstanceType ?? "m1.small";
  checkInstanceType(instanceType);
  if (PARAVIRTUAL_ONLY.test(instanceType) && image!.platform !== "windows") {
    throw invalidParameterCombination("Non-Windows instances with a virtualization type of 'hvm' are currently not supported for this instance type.");
  }
  if (input.InstanceInitiatedShutdownBehavior !== undefined && !["stop", "terminate"].includes(input.InstanceInitiatedShutdownBehavior)) {
    throw invalidParameterValue(`Value (${input.InstanceInitiatedShutdownBehavior}) for parameter instanceInitiatedShutdownBehavior is invalid.`);
  }
  const typeArchitecture = instanceArchitecture(instanceType);
  if (typeArchitecture !== image!.architecture) {
    throw invalidParameterValue(
      `The architecture '${typeArchitecture}' of the specified instance type does not match the architecture '${image!.architecture}' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.`,
    );
  }
  const subnet = launchSubnet(state, input);
  const groupIds = launchGroups(state, input, subnet);
  if (input.KeyName !== undefined && !keyByName(state, input.KeyName)) throw keyPairNotFound(input.KeyName);
  checkUserData(input.UserData);
  const address = requestedAddress(subnet, input.PrivateIpAddress ?? input.NetworkInterfaces?.[0]?.PrivateIpAddress, count);
  const taggable = ["instance", "volume", "network-interface", "spot-instances-request"];
  const tags = {
    instance: specifiedTags(input.TagSpecifications, "instance", taggable),
    volume: specifiedTags(input.TagSpecifications, "volume", taggable),
    eni: specifiedTags(input.TagSpecifications, "network-interface", taggable),
  };
  const primary = input.NetworkInterfaces?.find((n) => (n.DeviceIndex ?? 0) === 0);
  const reservationId = newId(ctx, "r");
  const instances: StoredInstance[] = [];
  for (let i = 0; i < count; i++) {
    const privateIp = i === 0 && address ? address : nextFreeAddress(parseCidr(subnet.cidrBlock)!, new Set(subnet.usedAddresses));
    if (!privateIp) throw ec2Error("InsufficientFreeAddressesInSubnet", `There are not enough free addresses in subnet '${subnet.subnetId}' to satisfy the requested number of instances.`);
    subnet.usedAddresses.push(privateIp);
    const instance: StoredInstance = {
      instanceId: newId(ctx, "i"),
      reservationId,
      imageId: image!.imageId,
      architecture: image!.architecture,
      rootDeviceName: image!.rootDeviceName,
      platform: image!.platform,
      currentBootMode: image!.bootMode === "uefi" ? "uefi" : "legacy-bios",
      imdsV2: image!.imdsSupport === "v2.0",
      instanceType,
      state: "pending",
      stateChangedBy: ctx.requestId,
      stateChangedAt: ctx.now.toISOString(),
      stateTransitionReason: "",
      launchTime: new Date(Math.floor(ctx.now.getTime() / 1000) * 1000).toISOString(),
      amiLaunchIndex: i,
      keyName: input.KeyName,
      subnetId: subnet.subnetId,
      vpcId: subnet.vpcId,
      availabilityZone: subnet.availabilityZone,
      privateIpAddress: privateIp,
      associatePublicIp: primary?.AssociatePublicIpAddress ?? subnet.mapPublicIpOnLaunch,
      securityGroupIds: groupIds,
      networkInterfaceId: newId(ctx, "eni"),
      attachmentId: newId(ctx, "eni-attach"),
      macAddress: macAddress(ctx),
      rootVolumeId: newId(ctx, "vol"),
      clientToken: input.ClientToken,
      userData: input.UserData,
      disableApiTermination: input.DisableApiTermination ?? false,
      disableApiStop: input.DisableApiStop ?? false,
      instanceInitiatedShutdownBehavior: input.InstanceInitiatedShutdownBehavior ?? "stop",
      sourceDestCheck: true,
      ebsOptimized: input.EbsOptimized ?? false,
      monitoring: input.Monitoring?.Enabled ?? false,
      tenancy: input.Placement?.Tenancy ?? "default",
    };
    transition(instance, "pending", ctx);
    state.instances[instance.instanceId] = instance;
    addTags(state, instance.instanceId, tags.instance);
    addTags(state, instance.rootVolumeId, tags.volume);
    addTags(state, instance.networkInterfaceId, tags.eni);
    instances.push(instance);
  }
  return {
    ReservationId: reservationId,
    OwnerId: ctx.accountId,
    Groups: [],
    Instances: instances.map((i) => toInstance(state, i, ctx)),
  };
};

/** A locally administered unicast MAC address, as EC2 gives network interfaces (02:xx:...). */
function macAddress(ctx: CallContext): string {
  return `02:${ctx.env.ids.hex(10).match(/../g)!.join(":")}`;
}
