import type { NetworkInterface, Volume } from "../../src/generated/types/ec2.js";
import type { CallContext } from "../../src/types/service.js";
import { ec2Error, malformedId } from "./errors.js";
import { applyFilters } from "./filters.js";
import { isWellFormedId, type IdPrefix } from "./ids.js";
import { publicImages } from "./image-catalogue.js";
import { groupsOf, privateDnsName } from "./instance-view.js";
import type { Op } from "./op.js";
import { paginate } from "./paging.js";
import { ec2State } from "./region-state.js";
import type { Ec2State, StoredInstance } from "./state.js";
import { tagList, tagsOf } from "./tags.js";

/**
 * The EBS root volume and the primary network interface every instance launches with, as DescribeVolumes
 * and DescribeNetworkInterfaces show them (Terraform reads both on every refresh of an aws_instance). They
 * live as long as the instance: both are deleted on termination (DeleteOnTermination).
 */
const live = (state: Ec2State) => Object.values(state.instances).filter((i) => i.state !== "terminated");

function byIds<T>(items: T[], ids: string[] | undefined, idOf: (item: T) => string, prefix: IdPrefix, malformed: string, notFound: (missing: string[]) => Error): T[] {
  if (!ids?.length) return items;
  const bad = ids.find((id) => !isWellFormedId(prefix, id));
  if (bad !== undefined) throw malformedId(malformed, bad);
  const missing = ids.filter((id) => !items.some((item) => idOf(item) === id));
  if (missing.length) throw notFound(missing);
  return items.filter((item) => ids.includes(idOf(item)));
}

function rootVolume(instance: StoredInstance, ctx: CallContext): Volume {
  const image = publicImages(ctx.region).find((i) => i.imageId === instance.imageId);
  const type = image?.volumeType ?? "gp3";
  return {
    Attachments: [
      { AttachTime: new Date(instance.launchTime), Device: instance.rootDeviceName, InstanceId: instance.instanceId, State: "attached", VolumeId: instance.rootVolumeId, DeleteOnTermination: true },
    ],
    AvailabilityZone: instance.availabilityZone,
    CreateTime: new Date(instance.launchTime),
    Encrypted: false,
    Size: image?.volumeSize ?? 8,
    SnapshotId: image?.snapshotId ?? "",
    State: "in-use",
    VolumeId: instance.rootVolumeId,
    Iops: type === "gp3" ? 3000 : Math.max(100, 3 * (image?.volumeSize ?? 8)),
    VolumeType: type,
    MultiAttachEnabled: false,
    Throughput: type === "gp3" ? 125 : undefined,
  };
}

export const describeVolumes: Op<"DescribeVolumes"> = (input, ctx) => {
  const state = ec2State(ctx);
  const instances = byIds(live(state), input.VolumeIds, (i) => i.rootVolumeId, "vol", "InvalidVolumeID.Malformed", (missing) =>
    ec2Error("InvalidVolume.NotFound", `The volume '${missing[0]}' does not exist.`),
  );
  const filtered = applyFilters(
    instances,
    input.Filters,
    {
      "volume-id": (i) => i.rootVolumeId,
      "attachment.instance-id": (i) => i.instanceId,
      "attachment.device": (i) => i.rootDeviceName,
      "attachment.status": () => "attached",
      "attachment.delete-on-termination": () => "true",
      "availability-zone": (i) => i.availabilityZone,
      status: () => "in-use",
      encrypted: () => "false",
      "volume-type": (i) => rootVolume(i, ctx).VolumeType,
      size: (i) => rootVolume(i, ctx).Size,
      "snapshot-id": (i) => rootVolume(i, ctx).SnapshotId,
    },
    (i) => tagsOf(state, i.rootVolumeId),
  );
  const page = paginate(filtered, input.MaxResults, input.NextToken, "DescribeVolumes");
  return { Volumes: page.items.map((i) => ({ ...rootVolume(i, ctx), Tags: tagList(state, i.rootVolumeId) })), NextToken: page.nextToken };
};

function primaryInterface(state: Ec2State, instance: StoredInstance, ctx: CallContext): NetworkInterface {
  const privateDns = privateDnsName(ctx.region, instance.privateIpAddress);
  const association = instance.publicIpAddress ? { IpOwnerId: "amazon", PublicIp: instance.publicIpAddress } : undefined;
  return {
    Association: association,
    Attachment: {
      AttachTime: new Date(instance.launchTime),
      AttachmentId: instance.attachmentId,
      DeleteOnTermination: true,
      DeviceIndex: 0,
      NetworkCardIndex: 0,
      InstanceId: instance.instanceId,
      InstanceOwnerId: ctx.accountId,
      Status: instance.state === "pending" ? "attaching" : "attached",
    },
    AvailabilityZone: instance.availabilityZone,
    Description: "",
    Groups: groupsOf(state, instance),
    InterfaceType: "interface",
    Ipv6Addresses: [],
    MacAddress: instance.macAddress,
    NetworkInterfaceId: instance.networkInterfaceId,
    OwnerId: ctx.accountId,
    PrivateDnsName: privateDns,
    PrivateIpAddress: instance.privateIpAddress,
    PrivateIpAddresses: [{ Association: association, Primary: true, PrivateDnsName: privateDns, PrivateIpAddress: instance.privateIpAddress }],
    RequesterManaged: false,
    SourceDestCheck: instance.sourceDestCheck,
    Status: "in-use",
    SubnetId: instance.subnetId,
    TagSet: tagList(state, instance.networkInterfaceId),
    VpcId: instance.vpcId,
  };
}

/** DescribeNetworkInterfaces: the instances' primary interfaces (Terraform looks for Lambda's leftovers by subnet and group). */
export const describeNetworkInterfaces: Op<"DescribeNetworkInterfaces"> = (input, ctx) => {
  const state = ec2State(ctx);
  const instances = byIds(live(state), input.NetworkInterfaceIds, (i) => i.networkInterfaceId, "eni", "InvalidNetworkInterfaceID.Malformed", (missing) =>
    ec2Error("InvalidNetworkInterfaceID.NotFound", `The networkInterface ID '${missing[0]}' does not exist`),
  );
  const filtered = applyFilters(
    instances,
    input.Filters,
    {
      "network-interface-id": (i) => i.networkInterfaceId,
      "attachment.instance-id": (i) => i.instanceId,
      "attachment.attachment-id": (i) => i.attachmentId,
      "attachment.status": () => "attached",
      "attachment.device-index": () => 0,
      "subnet-id": (i) => i.subnetId,
      "vpc-id": (i) => i.vpcId,
      "group-id": (i) => i.securityGroupIds,
      "group-name": (i) => i.securityGroupIds.map((id) => state.securityGroups[id]?.groupName),
      "availability-zone": (i) => i.availabilityZone,
      "private-ip-address": (i) => i.privateIpAddress,
      "addresses.private-ip-address": (i) => i.privateIpAddress,
      "mac-address": (i) => i.macAddress,
      "owner-id": () => ctx.accountId,
      "requester-managed": () => "false",
      status: () => "in-use",
      "interface-type": () => "interface",
      description: () => "",
    },
    (i) => tagsOf(state, i.networkInterfaceId),
  );
  const page = paginate(filtered, input.MaxResults, input.NextToken, "DescribeNetworkInterfaces");
  return { NetworkInterfaces: page.items.map((i) => primaryInterface(state, i, ctx)), NextToken: page.nextToken };
};

/**
 * DescribeAddresses: localtrail allocates no Elastic IPs, so the list is empty; naming one answers EC2's
 * not-found error.
 */
export const describeAddresses: Op<"DescribeAddresses"> = (input) => {
  const allocation = input.AllocationIds?.[0];
  if (allocation !== undefined) throw ec2Error("InvalidAllocationID.NotFound", `The allocation ID '${allocation}' does not exist`);
  const ip = input.PublicIps?.[0];
  if (ip !== undefined) throw ec2Error("InvalidAddress.NotFound", `Address '${ip}' not found.`);
  return { Addresses: [] };
};
