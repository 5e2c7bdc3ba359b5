import type { InstanceStatus, Reservation } from "../../src/generated/types/ec2.js";
import type { CallContext } from "../../src/types/service.js";
import { invalidParameterCombination } from "./errors.js";
import { applyFilters, type FilterFields } from "./filters.js";
import { instanceState } from "./instance-lifecycle.js";
import { privateDnsName, toInstance } from "./instance-view.js";
import { findInstances } from "./lookups.js";
import type { Op } from "./op.js";
import { paginate } from "./paging.js";
import { ec2State } from "./region-state.js";
import type { Ec2State, StoredInstance } from "./state.js";
import { tagsOf } from "./tags.js";
import { zoneByName } from "./zones.js";

function instanceFilters(state: Ec2State, ctx: CallContext): FilterFields<StoredInstance> {
  const groupNames = (i: StoredInstance) => i.securityGroupIds.map((id) => state.securityGroups[id]?.groupName);
  return {
    "instance-id": (i) => i.instanceId,
    "instance-state-name": (i) => i.state,
    "instance-state-code": (i) => instanceState(i.state).Code,
    "instance-type": (i) => i.instanceType,
    "image-id": (i) => i.imageId,
    "vpc-id": (i) => i.vpcId,
    "subnet-id": (i) => i.subnetId,
    "availability-zone": (i) => i.availabilityZone,
    "key-name": (i) => i.keyName,
    "private-ip-address": (i) => i.privateIpAddress,
    "ip-address": (i) => i.publicIpAddress,
    "private-dns-name": (i) => privateDnsName(ctx.region, i.privateIpAddress),
    "reservation-id": (i) => i.reservationId,
    "owner-id": () => ctx.accountId,
    architecture: (i) => i.architecture,
    "root-device-type": () => "ebs",
    "root-device-name": (i) => i.rootDeviceName,
    "virtualization-type": () => "hvm",
    hypervisor: () => "xen",
    platform: (i) => i.platform,
    "launch-time": (i) => i.launchTime,
    "ami-launch-index": (i) => i.amiLaunchIndex,
    "client-token": (i) => i.clientToken,
    "tenancy": (i) => i.tenancy,
    "monitoring-state": (i) => (i.monitoring ? "enabled" : "disabled"),
    "instance.group-id": (i) => i.securityGroupIds,
    "instance.group-name": groupNames,
    "group-id": (i) => i.securityGroupIds,
    "group-name": groupNames,
    "network-interface.network-interface-id": (i) => i.networkInterfaceId,
    "network-interface.subnet-id": (i) => i.subnetId,
    "network-interface.vpc-id": (i) => i.vpcId,
    "network-interface.group-id": (i) => i.securityGroupIds,
    "network-interface.addresses.private-ip-address": (i) => i.privateIpAddress,
    "block-device-mapping.volume-id": (i) => i.rootVolumeId,
    "block-device-mapping.device-name": (i) => i.rootDeviceName,
  };
}

/** A list of ids and MaxResults do not go together in EC2's Describe calls. */
function checkIdsWithPaging(setName: string, ids: string[] | undefined, maxResults: number | undefined): void {
  if (ids?.length && maxResults !== undefined) throw invalidParameterCombination(`The parameter ${setName} cannot be used with the parameter maxResults`);
}

/**
 * DescribeInstances: instances grouped in the reservations they were launched in, filtered and paged by
 * instance (terminated instances stay visible for a while, as on AWS).
 */
export const describeInstances: Op<"DescribeInstances"> = (input, ctx) => {
  const state = ec2State(ctx);
  checkIdsWithPaging("instancesSet", input.InstanceIds, input.MaxResults);
  const instances = input.InstanceIds?.length ? findInstances(state, input.InstanceIds) : Object.values(state.instances);
  const filtered = applyFilters(instances, input.Filters, instanceFilters(state, ctx), (i) => tagsOf(state, i.instanceId));
  const page = paginate(filtered, input.MaxResults, input.NextToken, "DescribeInstances");
  const reservations: Reservation[] = [];
  for (const instance of page.items) {
    let reservation = reservations.find((r) => r.ReservationId === instance.reservationId);
    if (!reservation) {
      reservation = { ReservationId: instance.reservationId, OwnerId: ctx.accountId, Groups: [], Instances: [] };
      reservations.push(reservation);
    }
    reservation.Instances!.push(toInstance(state, instance, ctx));
  }
  return { Reservations: reservations, NextToken: page.nextToken };
};

function toInstanceStatus(instance: StoredInstance, ctx: CallContext): InstanceStatus {
  const running = instance.state === "running";
  // Status checks report on running instances only.
  const summary = running
    ? { Status: "ok" as const, Details: [{ Name: "reachability" as const, Status: "passed" as const }] }
    : { Status: "not-applicable" as const };
  return {
    AvailabilityZone: instance.availabilityZone,
    AvailabilityZoneId: zoneByName(ctx.region, instance.availabilityZone)?.zoneId,
    InstanceId: instance.instanceId,
    InstanceState: instanceState(instance.state),
    InstanceStatus: summary,
    SystemStatus: summary,
    AttachedEbsStatus: summary,
    Events: [],
    Operator: { Managed: false },
  };
}

/** DescribeInstanceStatus: running instances only, unless IncludeAllInstances. */
export const describeInstanceStatus: Op<"DescribeInstanceStatus"> = (input, ctx) => {
  const state = ec2State(ctx);
  checkIdsWithPaging("instancesSet", input.InstanceIds, input.MaxResults);
  let instances = input.InstanceIds?.length ? findInstances(state, input.InstanceIds) : Object.values(state.instances);
  if (input.IncludeAllInstances !== true) instances = instances.filter((i) => i.state === "running");
  const status = (i: StoredInstance) => (i.state === "running" ? "ok" : "not-applicable");
  const filtered = applyFilters(instances, input.Filters, {
    "availability-zone": (i) => i.availabilityZone,
    "instance-state-name": (i) => i.state,
    "instance-state-code": (i) => instanceState(i.state).Code,
    "instance-status.status": status,
    "instance-status.reachability": (i) => (i.state === "running" ? "passed" : undefined),
    "system-status.status": status,
    "system-status.reachability": (i) => (i.state === "running" ? "passed" : undefined),
  });
  const page = paginate(filtered, input.MaxResults, input.NextToken, "DescribeInstanceStatus");
  return { InstanceStatuses: page.items.map((i) => toInstanceStatus(i, ctx)), NextToken: page.nextToken };
};
