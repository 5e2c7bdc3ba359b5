import { createHash } from "node:crypto";
import type { Image } from "../../src/generated/types/ec2.js";

/**
 * A few public AMIs, as DescribeImages shows the real ones: Amazon Linux 2023 (x86_64 and arm64), Debian 12,
 * Ubuntu 24.04 and Windows Server 2022. AMI ids differ per region on AWS; here each region's id is
 * derived from the region and the image name, so it is stable across restarts.
 */

interface CatalogueImage {
  name: string;
  description: string;
  ownerId: string;
  ownerAlias?: string;
  architecture: "x86_64" | "arm64";
  rootDeviceName: string;
  volumeType: "gp2" | "gp3";
  volumeSize: number;
  creationDate: string;
  deprecationTime: string;
  platform?: "windows";
  bootMode?: "uefi" | "uefi-preferred" | "legacy-bios";
  imdsSupport?: "v2.0";
  locationOwner: string;
}

// The image owner accounts of Amazon, Canonical and Debian.
const AMAZON = "137112412989";
const AMAZON_WINDOWS = "801119661308";
const CANONICAL = "099720109477";
const DEBIAN = "136693071363";

const CATALOGUE: CatalogueImage[] = [
  {
    name: "al2023-ami-2023.9.20261110.0-kernel-6.1-x86_64",
    description: "Amazon Linux 2023 AMI 2023.9.20261110.0 x86_64 HVM kernel-6.1",
    ownerId: AMAZON,
    ownerAlias: "amazon",
    architecture: "x86_64",
    rootDeviceName: "/dev/xvda",
    volumeType: "gp3",
    volumeSize: 8,
    creationDate: "2026-11-10T21:34:52.000Z",
    deprecationTime: "2027-02-08T21:35:00.000Z",
    bootMode: "uefi-preferred",
    imdsSupport: "v2.0",
    locationOwner: "amazon",
  },
  {
    name: "al2023-ami-2023.9.20261110.0-kernel-6.1-arm64",
    description: "Amazon Linux 2023 AMI 2023.9.20261110.0 arm64 HVM kernel-6.1",
    ownerId: AMAZON,
    ownerAlias: "amazon",
    architecture: "arm64",
    rootDeviceName: "/dev/xvda",
    volumeType: "gp3",
    volumeSize: 8,
    creationDate: "2026-11-10T21:34:55.000Z",
    deprecationTime: "2027-02-08T21:35:00.000Z",
    bootMode: "uefi",
    imdsSupport: "v2.0",
    locationOwner: "amazon",
  },
  {
    name: "debian-12-amd64-20261110-2290",
    description: "Debian 12 (20261110-2290)",
    ownerId: DEBIAN,
    architecture: "x86_64",
    rootDeviceName: "/dev/xvda",
    volumeType: "gp2",
    volumeSize: 8,
    creationDate: "2026-11-10T08:12:31.000Z",
    deprecationTime: "2028-11-10T08:12:31.000Z",
    bootMode: "uefi-preferred",
    locationOwner: DEBIAN,
  },
  {
    name: "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20261105",
    description: "Canonical, Ubuntu, 24.04, amd64 noble image",
    ownerId: CANONICAL,
    architecture: "x86_64",
    rootDeviceName: "/dev/sda1",
    volumeType: "gp3",
    volumeSize: 8,
    creationDate: "2026-11-05T11:28:47.000Z",
    deprecationTime: "2028-11-05T11:28:47.000Z",
    bootMode: "uefi-preferred",
    imdsSupport: "v2.0",
    locationOwner: CANONICAL,
  },
  {
    name: "Windows_Server-2022-English-Full-Base-2026.11.12",
    description: "Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon",
    ownerId: AMAZON_WINDOWS,
    ownerAlias: "amazon",
    architecture: "x86_64",
    rootDeviceName: "/dev/sda1",
    volumeType: "gp2",
    volumeSize: 30,
    creationDate: "2026-11-12T17:53:38.000Z",
    deprecationTime: "2027-02-10T17:53:38.000Z",
    platform: "windows",
    locationOwner: "amazon",
  },
];

/** `ami-0` and 16 hex digits from a hash of what the id names. */
const derivedId = (prefix: string, ...parts: string[]) => `${prefix}-0${createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 16)}`;

export interface PublicImage extends CatalogueImage {
  imageId: string;
  snapshotId: string;
}

export const publicImages = (region: string): PublicImage[] =>
  CATALOGUE.map((image) => ({ ...image, imageId: derivedId("ami", region, image.name), snapshotId: derivedId("snap", region, image.name) }));

export function toImage(image: PublicImage): Image {
  const windows = image.platform === "windows";
  return {
    ImageId: image.imageId,
    ImageLocation: `${image.locationOwner}/${image.name}`,
    State: "available",
    OwnerId: image.ownerId,
    CreationDate: image.creationDate,
    Public: true,
    Architecture: image.architecture,
    ImageType: "machine",
    // EC2 answers `windows`, lower-case, though the model's enum says `Windows`.
    Platform: image.platform as Image["Platform"],
    PlatformDetails: windows ? "Windows" : "Linux/UNIX",
    UsageOperation: windows ? "RunInstances:0002" : "RunInstances",
    ProductCodes: [],
    EnaSupport: true,
    SriovNetSupport: "simple",
    ImageOwnerAlias: image.ownerAlias,
    Name: image.name,
    Description: image.description,
    RootDeviceName: image.rootDeviceName,
    RootDeviceType: "ebs",
    VirtualizationType: "hvm",
    Hypervisor: "xen",
    BootMode: image.bootMode,
    ImdsSupport: image.imdsSupport,
    DeprecationTime: image.deprecationTime,
    BlockDeviceMappings: [
      {
        DeviceName: image.rootDeviceName,
        Ebs: {
          DeleteOnTermination: true,
          SnapshotId: image.snapshotId,
          VolumeSize: image.volumeSize,
          VolumeType: image.volumeType,
          Encrypted: false,
          Iops: image.volumeType === "gp3" ? 3000 : undefined,
          Throughput: image.volumeType === "gp3" ? 125 : undefined,
        },
      },
    ],
  };
}
