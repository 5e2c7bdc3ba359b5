import type { InstanceTypeInfo } from "../../src/generated/types/ec2.js";
import { ec2Error } from "./errors.js";
import { applyFilters } from "./filters.js";
import { findInstances } from "./lookups.js";
import type { Op } from "./op.js";
import { paginate } from "./paging.js";
import { ec2State } from "./region-state.js";

/**
 * The common instance types with their published specifications (EC2 User Guide, "Amazon EC2 instance type
 * specifications"): what DescribeInstanceTypes answers for them, and the burstable families' default credit
 * option (T2 standard, T3/T3a/T4g unlimited).
 */
interface TypeSpec {
  name: string;
  vcpus: number;
  cores: number;
  memoryMiB: number;
  architecture: "x86_64" | "arm64";
  hypervisor: "nitro" | "xen";
  clockGhz: number;
  network: string;
  enis: number;
  ipsPerEni: number;
  freeTier?: boolean;
}

const SPECS: TypeSpec[] = [
  { name: "t2.nano", vcpus: 1, cores: 1, memoryMiB: 512, architecture: "x86_64", hypervisor: "xen", clockGhz: 2.4, network: "Low to Moderate", enis: 2, ipsPerEni: 2 },
  { name: "t2.micro", vcpus: 1, cores: 1, memoryMiB: 1024, architecture: "x86_64", hypervisor: "xen", clockGhz: 2.5, network: "Low to Moderate", enis: 2, ipsPerEni: 2, freeTier: true },
  { name: "t2.small", vcpus: 1, cores: 1, memoryMiB: 2048, architecture: "x86_64", hypervisor: "xen", clockGhz: 2.5, network: "Low to Moderate", enis: 3, ipsPerEni: 4 },
  { name: "t2.medium", vcpus: 2, cores: 2, memoryMiB: 4096, architecture: "x86_64", hypervisor: "xen", clockGhz: 2.3, network: "Low to Moderate", enis: 3, ipsPerEni: 6 },
  { name: "t3.nano", vcpus: 2, cores: 1, memoryMiB: 512, architecture: "x86_64", hypervisor: "nitro", clockGhz: 2.5, network: "Up to 5 Gigabit", enis: 2, ipsPerEni: 2 },
  { name: "t3.micro", vcpus: 2, cores: 1, memoryMiB: 1024, architecture: "x86_64", hypervisor: "nitro", clockGhz: 2.5, network: "Up to 5 Gigabit", enis: 2, ipsPerEni: 2, freeTier: true },
  { name: "t3.small", vcpus: 2, cores: 1, memoryMiB: 2048, architecture: "x86_64", hypervisor: "nitro", clockGhz: 2.5, network: "Up to 5 Gigabit", enis: 3, ipsPerEni: 4 },
  { name: "t3.medium", vcpus: 2, cores: 1, memoryMiB: 4096, architecture: "x86_64", hypervisor: "nitro", clockGhz: 2.5, network: "Up to 5 Gigabit", enis: 3, ipsPerEni: 6 },
  { name: "t3.large", vcpus: 2, cores: 1, memoryMiB: 8192, architecture: "x86_64", hypervisor: "nitro", clockGhz: 2.5, network: "Up to 5 Gigabit", enis: 3, ipsPerEni: 12 },
  { name: "t3a.micro", vcpus: 2, cores: 1, memoryMiB: 1024, architecture: "x86_64", hypervisor: "nitro", clockGhz: 2.2, network: "Up to 5 Gigabit", enis: 2, ipsPerEni: 2 },
  { name: "t4g.micro", vcpus: 2, cores: 2, memoryMiB: 1024, architecture: "arm64", hypervisor: "nitro", clockGhz: 2.5, network: "Up to 5 Gigabit", enis: 2, ipsPerEni: 2 },
  { name: "t4g.small", vcpus: 2, cores: 2, memoryMiB: 2048, architecture: "arm64", hypervisor: "nitro", clockGhz: 2.5, network: "Up to 5 Gigabit", enis: 3, ipsPerEni: 4 },
  { name: "m5.large", vcpus: 2, cores: 1, memoryMiB: 8192, architecture: "x86_64", hypervisor: "nitro", clockGhz: 3.1, network: "Up to 10 Gigabit", enis: 3, ipsPerEni: 10 },
  { name: "m6i.large", vcpus: 2, cores: 1, memoryMiB: 8192, architecture: "x86_64", hypervisor: "nitro", clockGhz: 3.5, network: "Up to 12.5 Gigabit", enis: 3, ipsPerEni: 10 },
  { name: "c5.large", vcpus: 2, cores: 1, memoryMiB: 4096, architecture: "x86_64", hypervisor: "nitro", clockGhz: 3.4, network: "Up to 10 Gigabit", enis: 3, ipsPerEni: 10 },
  { name: "r5.large", vcpus: 2, cores: 1, memoryMiB: 16384, architecture: "x86_64", hypervisor: "nitro", clockGhz: 3.1, network: "Up to 10 Gigabit", enis: 3, ipsPerEni: 10 },
];

const burstable = (type: string) => /^t(2|3|3a|4g)\./.test(type);
/** T2 instances launch with standard credits, later burstable families with unlimited. */
export const defaultCpuCredits = (type: string) => (type.startsWith("t2.") ? "standard" : "unlimited");

function info(spec: TypeSpec): InstanceTypeInfo {
  const nitro = spec.hypervisor === "nitro";
  return {
    InstanceType: spec.name as InstanceTypeInfo["InstanceType"],
    CurrentGeneration: true,
    FreeTierEligible: spec.freeTier === true,
    SupportedUsageClasses: ["on-demand", "spot"],
    SupportedRootDeviceTypes: ["ebs"],
    SupportedVirtualizationTypes: ["hvm"],
    BareMetal: false,
    Hypervisor: spec.hypervisor,
    ProcessorInfo: { SupportedArchitectures: [spec.architecture], SustainedClockSpeedInGhz: spec.clockGhz },
    VCpuInfo: { DefaultVCpus: spec.vcpus, DefaultCores: spec.cores, DefaultThreadsPerCore: spec.vcpus / spec.cores },
    MemoryInfo: { SizeInMiB: spec.memoryMiB },
    InstanceStorageSupported: false,
    EbsInfo: { EbsOptimizedSupport: nitro ? "default" : "unsupported", EncryptionSupport: "supported", NvmeSupport: nitro ? "required" : "unsupported" },
    NetworkInfo: {
      NetworkPerformance: spec.network,
      MaximumNetworkInterfaces: spec.enis,
      Ipv4AddressesPerInterface: spec.ipsPerEni,
      Ipv6AddressesPerInterface: spec.ipsPerEni,
      Ipv6Supported: true,
      EnaSupport: nitro ? "required" : "unsupported",
      EfaSupported: false,
      EncryptionInTransitSupported: false,
    },
    PlacementGroupInfo: { SupportedStrategies: ["partition", "spread"] },
    HibernationSupported: spec.architecture === "x86_64",
    BurstablePerformanceSupported: burstable(spec.name),
    DedicatedHostsSupported: !burstable(spec.name),
    AutoRecoverySupported: true,
    SupportedBootModes: spec.architecture === "arm64" ? ["uefi"] : ["legacy-bios", "uefi"],
  };
}

export const describeInstanceTypes: Op<"DescribeInstanceTypes"> = (input) => {
  const asked = input.InstanceTypes ?? [];
  const unknown = asked.filter((t) => !SPECS.some((s) => s.name === t));
  if (unknown.length) throw ec2Error("InvalidInstanceType", `The following supplied instance types do not exist: [${unknown.join(", ")}]`);
  const specs = asked.length ? SPECS.filter((s) => (asked as string[]).includes(s.name)) : SPECS;
  const filtered = applyFilters(specs, input.Filters, {
    "instance-type": (s) => s.name,
    "processor-info.supported-architecture": (s) => s.architecture,
    "vcpu-info.default-vcpus": (s) => s.vcpus,
    "memory-info.size-in-mib": (s) => s.memoryMiB,
    hypervisor: (s) => s.hypervisor,
    "current-generation": () => "true",
    "free-tier-eligible": (s) => String(s.freeTier === true),
    "burstable-performance-supported": (s) => String(burstable(s.name)),
  });
  const page = paginate(filtered, input.MaxResults, input.NextToken, "DescribeInstanceTypes", { min: 5, max: 100 });
  return { InstanceTypes: page.items.map(info), NextToken: page.nextToken };
};

/** DescribeInstanceCreditSpecifications: the burstable instances' CPU credit option (Terraform's credit_specification). */
export const describeInstanceCreditSpecifications: Op<"DescribeInstanceCreditSpecifications"> = (input, ctx) => {
  const state = ec2State(ctx);
  const instances = (input.InstanceIds?.length ? findInstances(state, input.InstanceIds) : Object.values(state.instances)).filter(
    (i) => burstable(i.instanceType) && i.state !== "terminated",
  );
  const filtered = applyFilters(instances, input.Filters, { "instance-id": (i) => i.instanceId });
  const page = paginate(filtered, input.MaxResults, input.NextToken, "DescribeInstanceCreditSpecifications");
  return { InstanceCreditSpecifications: page.items.map((i) => ({ InstanceId: i.instanceId, CpuCredits: defaultCpuCredits(i.instanceType) })), NextToken: page.nextToken };
};
