import type { CallContext } from "../../src/types/service.js";
import { imageNotFound, invalidParameterCombination, malformedId } from "./errors.js";
import { applyFilters } from "./filters.js";
import { publicImages, toImage, type PublicImage } from "./image-catalogue.js";
import type { Op } from "./op.js";
import { paginate } from "./paging.js";
import { ec2State } from "./region-state.js";
import { tagsOf } from "./tags.js";

const AMI_ID = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;

/** The public image an id names in the called region; InvalidAMIID.Malformed / NotFound otherwise. */
export function findImages(ctx: CallContext, ids: string[]): PublicImage[] {
  const bad = ids.find((id) => !AMI_ID.test(id));
  if (bad !== undefined) throw malformedId("InvalidAMIID.Malformed", bad, "ami");
  const images = publicImages(ctx.region);
  const missing = ids.filter((id) => !images.some((i) => i.imageId === id));
  if (missing.length > 0) throw imageNotFound(missing);
  return images.filter((i) => ids.includes(i.imageId));
}

/** Owners: `amazon` and the other aliases, `self`, or account ids. */
function ownedBy(image: PublicImage, owners: string[], ctx: CallContext): boolean {
  return owners.some((o) => o === image.ownerId || o === image.ownerAlias || (o === "self" && image.ownerId === ctx.accountId));
}

export const describeImages: Op<"DescribeImages"> = (input, ctx) => {
  const state = ec2State(ctx);
  if (input.ImageIds?.length && input.MaxResults !== undefined) {
    throw invalidParameterCombination("The parameter imagesSet cannot be used with the parameter maxResults");
  }
  let images = input.ImageIds?.length ? findImages(ctx, input.ImageIds) : publicImages(ctx.region);
  if (input.Owners?.length) images = images.filter((i) => ownedBy(i, input.Owners!, ctx));
  // Every image here is public, so any executable-by list finds them all except `self` alone.
  if (input.ExecutableUsers?.length && input.ExecutableUsers.every((u) => u === "self")) images = [];
  const filtered = applyFilters(
    images,
    input.Filters,
    {
      architecture: (i) => i.architecture,
      "block-device-mapping.device-name": (i) => i.rootDeviceName,
      "block-device-mapping.snapshot-id": (i) => i.snapshotId,
      "block-device-mapping.volume-size": (i) => i.volumeSize,
      "block-device-mapping.volume-type": (i) => i.volumeType,
      "block-device-mapping.delete-on-termination": () => true,
      "block-device-mapping.encrypted": () => false,
      "creation-date": (i) => i.creationDate,
      description: (i) => i.description,
      "ena-support": () => true,
      hypervisor: () => "xen",
      "image-id": (i) => i.imageId,
      "image-type": () => "machine",
      "is-public": () => true,
      name: (i) => i.name,
      "owner-alias": (i) => i.ownerAlias,
      "owner-id": (i) => i.ownerId,
      platform: (i) => i.platform,
      "platform-details": (i) => (i.platform === "windows" ? "Windows" : "Linux/UNIX"),
      "root-device-name": (i) => i.rootDeviceName,
      "root-device-type": () => "ebs",
      state: () => "available",
      "virtualization-type": () => "hvm",
      "boot-mode": (i) => i.bootMode,
      "sriov-net-support": () => "simple",
    },
    (i) => tagsOf(state, i.imageId),
  );
  const page = paginate(filtered, input.MaxResults, input.NextToken, "DescribeImages", { min: 1, max: 1000 });
  return { Images: page.items.map(toImage), NextToken: page.nextToken };
};
