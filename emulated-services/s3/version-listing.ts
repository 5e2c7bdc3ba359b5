import type { DeleteMarkerEntry, ObjectVersion } from "../../src/generated/types/s3.js";
import type { Op } from "./op.js";
import { ownedBucket } from "./bucket-access.js";
import { invalidArgument } from "./errors.js";
import { listKeys, urlEncoder } from "./list-objects.js";
import { ownerOf } from "./owner.js";
import { objectTable, versionTable, type StoredObject, type StoredVersion } from "./state.js";
import { keyOf, versionIdOf, versionsOf } from "./versions.js";

interface Entry {
  key: string;
  version: StoredVersion;
  latest: boolean;
}

interface Page {
  entries: Entry[];
  commonPrefixes: string[];
  truncated: boolean;
  next?: { key: string; versionId?: string };
}

/**
 * ListObjectVersions: every version and delete marker in key order, each key's newest first, paged by
 * key-marker and version-id-marker; MaxKeys counts versions, markers and common prefixes alike. A bucket
 * that never had versioning lists its objects as `null` versions.
 */
export const listObjectVersions: Op<"ListObjectVersions"> = (input, ctx) => {
  const bucket = ownedBucket(ctx, input.Bucket);
  const maxKeys = input.MaxKeys === undefined ? 1000 : Math.min(input.MaxKeys, 1000);
  if (maxKeys < 0) throw invalidArgument("Provided max-keys not an integer or within integer range", "max-keys", String(input.MaxKeys));
  if (input.VersionIdMarker && !input.KeyMarker) throw invalidArgument("A version-id marker cannot be specified without a key marker.", "version-id-marker", input.VersionIdMarker);
  const prefix = input.Prefix ?? "";
  const delimiter = input.Delimiter || undefined;
  const page = bucket.versioning
    ? scanVersions(ctx.state, bucket, { prefix, delimiter, keyMarker: input.KeyMarker || undefined, versionIdMarker: input.VersionIdMarker || undefined, maxKeys })
    : unversionedPage(objectTable(ctx.state, bucket), { prefix, delimiter, keyMarker: input.KeyMarker || undefined, maxKeys });
  const encode = urlEncoder(input.EncodingType);
  const versions: ObjectVersion[] = [];
  const markers: DeleteMarkerEntry[] = [];
  for (const { key, version, latest } of page.entries) {
    if (version.kind === "marker") {
      markers.push({ Owner: ownerOf(version.ownerAccountId), Key: encode(key), VersionId: version.versionId, IsLatest: latest, LastModified: new Date(version.lastModified) });
      continue;
    }
    const o = version.object;
    versions.push({
      ETag: o.etag,
      ChecksumAlgorithm: o.checksum ? [o.checksum.algorithm] : undefined,
      ChecksumType: o.checksum?.type,
      Size: o.size,
      StorageClass: (o.storageClass ?? "STANDARD") as ObjectVersion["StorageClass"],
      Key: encode(key),
      VersionId: o.versionId ?? "null",
      IsLatest: latest,
      LastModified: new Date(o.lastModified),
      Owner: ownerOf(o.ownerAccountId),
    });
  }
  return {
    Name: bucket.name,
    Prefix: encode(prefix),
    KeyMarker: encode(input.KeyMarker ?? ""),
    VersionIdMarker: input.VersionIdMarker ?? "",
    NextKeyMarker: page.truncated ? encode(page.next?.key) : undefined,
    NextVersionIdMarker: page.truncated ? page.next?.versionId : undefined,
    MaxKeys: maxKeys,
    Delimiter: encode(delimiter),
    IsTruncated: page.truncated,
    Versions: versions,
    DeleteMarkers: markers,
    CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: encode(p) })),
    EncodingType: input.EncodingType,
  };
};

function unversionedPage(objects: Parameters<typeof listKeys>[0], q: { prefix: string; delimiter?: string; keyMarker?: string; maxKeys: number }): Page {
  const listing = listKeys(objects, { prefix: q.prefix, delimiter: q.delimiter, after: q.keyMarker, maxKeys: q.maxKeys });
  const entries = listing.contents.map(([key, object]: [string, StoredObject]) => ({ key, version: { kind: "object" as const, object }, latest: true }));
  const last = listing.last;
  return { entries, commonPrefixes: listing.commonPrefixes, truncated: listing.truncated, next: last === undefined ? undefined : { key: last, versionId: listing.commonPrefixes.includes(last) ? undefined : "null" } };
}

function scanVersions(
  state: Parameters<typeof versionTable>[0],
  bucket: Parameters<typeof versionTable>[1],
  q: { prefix: string; delimiter?: string; keyMarker?: string; versionIdMarker?: string; maxKeys: number },
): Page {
  const versions = versionTable(state, bucket);
  const page: Page = { entries: [], commonPrefixes: [], truncated: false };
  if (q.maxKeys === 0) return page;
  let skipThrough: string | undefined;
  let from = q.prefix;
  if (q.keyMarker !== undefined && q.keyMarker >= q.prefix) {
    // After the marker's key entirely, or after its one version named by version-id-marker.
    from = `${q.keyMarker}\u0001`;
    if (q.versionIdMarker !== undefined) {
      for (const [tableKey, v] of versionsOf(versions, q.keyMarker)) {
        if (versionIdOf(v) === q.versionIdMarker) {
          from = `${q.keyMarker}\u0000`;
          skipThrough = tableKey;
        }
      }
    }
  }
  let count = 0;
  const full = () => {
    if (count < q.maxKeys) return false;
    page.truncated = true;
    return true;
  };
  scan: for (;;) {
    for (const tableKey of versions.keysFrom(from)) {
      if (skipThrough !== undefined && tableKey <= skipThrough) continue;
      const key = keyOf(tableKey);
      if (!key.startsWith(q.prefix)) break scan;
      const at = q.delimiter ? key.indexOf(q.delimiter, q.prefix.length) : -1;
      if (at !== -1) {
        const common = key.slice(0, at + q.delimiter!.length);
        if (q.keyMarker === undefined || !q.keyMarker.startsWith(common)) {
          if (full()) break scan;
          page.commonPrefixes.push(common);
          page.next = { key: common };
          count++;
        }
        from = `${common}\u{10FFFF}`;
        continue scan;
      }
      if (full()) break scan;
      const version = versions.get(tableKey)!;
      const first = versionsOf(versions, key).next().value;
      page.entries.push({ key, version, latest: first?.[0] === tableKey });
      page.next = { key, versionId: versionIdOf(version) };
      count++;
    }
    break;
  }
  return page;
}
