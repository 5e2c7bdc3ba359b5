import type { GroupIdentifier, Instance, InstanceNetworkInterface } from "../../src/generated/types/ec2.js";
import { loadModel } from "../../src/protocols/models.js";
import type { CallContext } from "../../src/types/service.js";
import { invalidParameterValue } from "./errors.js";
import { instanceState } from "./instance-lifecycle.js";
import type { Ec2State, StoredInstance } from "./state.js";
import { tagList } from "./tags.js";
import { privateDnsSuffix, publicDnsName } from "./zones.js";

/** The vCPUs of a size, by the common pattern (large = 2, xlarge = 4, 2xlarge = 8...). */
function vcpus(instanceType: string): number {
  const [family = "", size = ""] = instanceType.split(".");
  if (family === "t2" || family === "t1") return size === "medium" || size === "large" ? 2 : size.endsWith("xlarge") ? 4 * (Number(size.replace("xlarge", "")) || 1) : 1;
  if (size === "metal") return 96;
  const match = /^(\d*)xlarge$/.exec(size);
  if (match) return 4 * (Number(match[1]) || 1);
  return 2;
}

/** An instance type the model knows; anything else is `Invalid value 'x' for InstanceType.` as EC2 answers. */
export function checkInstanceType(instanceType: string): void {
  const shape = loadModel("ec2").shapes.InstanceType;
  const known = shape?.type === "string" ? shape.enum : undefined;
  if (known && !known.includes(instanceType)) throw invalidParameterValue(`Invalid value '${instanceType}' for InstanceType.`);
}

/** Graviton families (a1, t4g, m6g, c7gn...) are arm64; the rest x86_64. */
export const instanceArchitecture = (instanceType: string): "arm64" | "x86_64" =>
  /^(a1|[a-z]+\d+g[a-z]*|im4gn|is4gen)\./.test(instanceType) ? "arm64" : "x86_64";

function cpuOptions(instanceType: string) {
  // Older burstable (t2) and Graviton types run one thread per core; the others two.
  const threadsPerCore = /^(t1|t2)\./.test(instanceType) || instanceArchitecture(instanceType) === "arm64" ? 1 : 2;
  return { CoreCount: Math.max(1, vcpus(instanceType) / threadsPerCore), ThreadsPerCore: threadsPerCore };
}

export const privateDnsName = (region: string, ip: string) => `ip-${ip.replace(/\./g, "-")}.${privateDnsSuffix(region)}`;

/** An instance's security groups as EC2 names them in an answer (instances and their network interfaces). */
export function groupsOf(state: Ec2State, instance: StoredInstance): GroupIdentifier[] {
  return instance.securityGroupIds.map((id) => ({ GroupId: id, GroupName: state.securityGroups[id]?.groupName }));
}

function networkInterface(state: Ec2State, instance: StoredInstance, ctx: CallContext): InstanceNetworkInterface {
  const privateDns = privateDnsName(ctx.region, instance.privateIpAddress);
  const association = instance.publicIpAddress
    ? { IpOwnerId: "amazon", PublicIp: instance.publicIpAddress, PublicDnsName: publicDns(state, instance, ctx) }
    : undefined;
  return {
    Attachment: {
      AttachTime: new Date(instance.launchTime),
      AttachmentId: instance.attachmentId,
      DeleteOnTermination: true,
      DeviceIndex: 0,
      // The primary interface is still attaching while the instance is pending.
      Status: instance.state === "pending" ? "attaching" : "attached",
      NetworkCardIndex: 0,
    },
    Description: "",
    Groups: groupsOf(state, instance),
    Ipv6Addresses: [],
    MacAddress: instance.macAddress,
    NetworkInterfaceId: instance.networkInterfaceId,
    OwnerId: ctx.accountId,
    PrivateDnsName: privateDns,
    PrivateIpAddress: instance.privateIpAddress,
    PrivateIpAddresses: [{ Association: association, Primary: true, PrivateDnsName: privateDns, PrivateIpAddress: instance.privateIpAddress }],
    SourceDestCheck: instance.sourceDestCheck,
    Status: "in-use",
    SubnetId: instance.subnetId,
    VpcId: instance.vpcId,
    InterfaceType: "interface",
    Association: association,
  };
}

/** Public DNS names exist only where the VPC has DNS hostnames on (the default VPC does). */
function publicDns(state: Ec2State, instance: StoredInstance, ctx: CallContext): string {
  return instance.publicIpAddress && state.vpcs[instance.vpcId]?.enableDnsHostnames ? publicDnsName(ctx.region, instance.publicIpAddress) : "";
}

/**
 * An instance as DescribeInstances and RunInstances show it. A pending instance has no volume attached yet;
 * a terminated one keeps neither its network interface nor its addresses.
 */
export function toInstance(state: Ec2State, instance: StoredInstance, ctx: CallContext): Instance {
  const terminated = instance.state === "terminated" || instance.state === "shutting-down";
  const gone = instance.state === "terminated";
  const launchTime = new Date(instance.launchTime);
  // An untagged instance has no tag set at all (the CLI shows no Tags key).
  const tags = tagList(state, instance.instanceId);
  return {
    InstanceId: instance.instanceId,
    ImageId: instance.imageId,
    State: instanceState(instance.state),
    PrivateDnsName: gone ? "" : privateDnsName(ctx.region, instance.privateIpAddress),
    PublicDnsName: gone ? "" : publicDns(state, instance, ctx),
    StateTransitionReason: instance.stateTransitionReason,
    KeyName: instance.keyName,
    AmiLaunchIndex: instance.amiLaunchIndex,
    ProductCodes: [],
    InstanceType: instance.instanceType as Instance["InstanceType"],
    LaunchTime: launchTime,
    Placement: { AvailabilityZone: instance.availabilityZone, GroupName: "", Tenancy: instance.tenancy as "default" },
    Platform: instance.platform as Instance["Platform"],
    Monitoring: { State: instance.monitoring ? "enabled" : "disabled" },
    SubnetId: gone ? undefined : instance.subnetId,
    VpcId: gone ? undefined : instance.vpcId,
    PrivateIpAddress: gone ? undefined : instance.privateIpAddress,
    PublicIpAddress: instance.publicIpAddress,
    StateReason: instance.stateReason ? { Code: instance.stateReason.code, Message: instance.stateReason.message } : undefined,
    Architecture: instance.architecture as Instance["Architecture"],
    RootDeviceType: "ebs",
    RootDeviceName: instance.rootDeviceName,
    BlockDeviceMappings:
      instance.state === "pending" || gone
        ? []
        : [
            {
              DeviceName: instance.rootDeviceName,
              Ebs: { AttachTime: launchTime, DeleteOnTermination: true, Status: terminated ? "detaching" : "attached", VolumeId: instance.rootVolumeId },
            },
          ],
    VirtualizationType: "hvm",
    ClientToken: instance.clientToken ?? "",
    Tags: tags.length > 0 ? tags : undefined,
    SecurityGroups: gone ? [] : groupsOf(state, instance),
    SourceDestCheck: instance.sourceDestCheck,
    Hypervisor: "xen",
    NetworkInterfaces: gone ? [] : [networkInterface(state, instance, ctx)],
    EbsOptimized: instance.ebsOptimized,
    EnaSupport: true,
    CpuOptions: cpuOptions(instance.instanceType),
    CapacityReservationSpecification: { CapacityReservationPreference: "open" },
    HibernationOptions: { Configured: false },
    MetadataOptions: {
      State: instance.state === "pending" ? "pending" : "applied",
      HttpTokens: instance.imdsV2 ? "required" : "optional",
      HttpPutResponseHopLimit: instance.imdsV2 ? 2 : 1,
      HttpEndpoint: "enabled",
      HttpProtocolIpv6: "disabled",
      InstanceMetadataTags: "disabled",
    },
    EnclaveOptions: { Enabled: false },
    PlatformDetails: instance.platform === "windows" ? "Windows" : "Linux/UNIX",
    UsageOperation: instance.platform === "windows" ? "RunInstances:0002" : "RunInstances",
    UsageOperationUpdateTime: launchTime,
    PrivateDnsNameOptions: { HostnameType: "ip-name", EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false },
    MaintenanceOptions: { AutoRecovery: "default", RebootMigration: "default" },
    CurrentInstanceBootMode: instance.currentBootMode,
    Operator: { Managed: false },
  };
}
