import type { CallContext, Ids } from "../../src/types/service.js";
import type { StateTable, StateView } from "../../src/state/store.js";
import type { BlobStore } from "../../src/state/blob-store.js";
import { AwsError } from "../../src/types/aws-error.js";
import { invalidArgument, noSuchKey } from "./errors.js";
import { objectTable, versionTable, type StoredBucket, type StoredObject, type StoredVersion } from "./state.js";
import { deleteLater, replaceObject, removeObjects } from "./storage.js";

/**
 * S3 object versioning (S3 user guide, "Retaining multiple versions of objects"). A bucket that never had
 * versioning keeps one object per key (version id `null`, never sent). Once enabled, every write adds a
 * version with a new id and every delete without a version id adds a delete marker; when suspended, writes
 * and deletes replace the key's `null` version instead. The objects table always holds each key's current
 * version, so reads and listings cost what they cost before; the versions table holds them all.
 */

const SEQ_DIGITS = 16;
const SEQ_TOP = 10 ** 15;
const SEPARATOR = "\u0000";

const versionKey = (key: string, seq: number) => `${key}${SEPARATOR}${String(SEQ_TOP - seq).padStart(SEQ_DIGITS, "0")}`;
const seqOf = (tableKey: string) => SEQ_TOP - Number(tableKey.slice(tableKey.lastIndexOf(SEPARATOR) + 1));
export const keyOf = (tableKey: string) => tableKey.slice(0, tableKey.lastIndexOf(SEPARATOR));

export const versionIdOf = (v: StoredVersion) => (v.kind === "object" ? v.object.versionId! : v.versionId);

/** A key's versions, newest first, with their table keys. */
export function* versionsOf(versions: StateTable<StoredVersion>, key: string): Generator<[string, StoredVersion]> {
  const start = `${key}${SEPARATOR}`;
  for (const tableKey of versions.keysFrom(start)) {
    if (!tableKey.startsWith(start) || tableKey.indexOf(SEPARATOR, start.length) !== -1) return;
    yield [tableKey, versions.get(tableKey)!];
  }
}

function latest(versions: StateTable<StoredVersion>, key: string): [string, StoredVersion] | undefined {
  for (const entry of versionsOf(versions, key)) return entry;
  return undefined;
}

/** What a write needs: a call's context, or a service writing on its own (CloudTrail delivering a log file). */
export interface ObjectWriter {
  state: StateView;
  env: { blobs: BlobStore; ids: Ids };
}

/** S3 version ids: 32 URL-safe characters. */
const newVersionId = (ctx: ObjectWriter) => ctx.env.ids.alnum(32);

/** Enabling versioning the first time: every object becomes its key's `null` version. */
export function startVersioning(ctx: CallContext, bucket: StoredBucket): void {
  const objects = objectTable(ctx.state, bucket);
  const versions = versionTable(ctx.state, bucket);
  for (const key of [...objects.keysFrom()]) {
    const object = { ...objects.get(key)!, versionId: "null" };
    objects.set(key, object);
    versions.set(versionKey(key, 1), { kind: "object", object });
  }
}

/** Drops the key's `null` version (a suspended bucket's write or delete replaces it); answers its blob to delete. */
function dropNullVersion(versions: StateTable<StoredVersion>, key: string): string | undefined {
  for (const [tableKey, v] of versionsOf(versions, key)) {
    if (versionIdOf(v) !== "null") continue;
    versions.delete(tableKey);
    return v.kind === "object" ? v.object.blobId : undefined;
  }
  return undefined;
}

/** Adds a version (or marker) on top of the key's versions: `null` when suspended, a new id when enabled. */
function addVersion(ctx: ObjectWriter, bucket: StoredBucket, key: string, make: (versionId: string) => StoredVersion): { versionId: string; freed?: string } {
  const versions = versionTable(ctx.state, bucket);
  const versionId = bucket.versioning === "Enabled" ? newVersionId(ctx) : "null";
  const freed = versionId === "null" ? dropNullVersion(versions, key) : undefined;
  const top = latest(versions, key);
  versions.set(versionKey(key, top ? seqOf(top[0]) + 1 : 1), make(versionId));
  return { versionId, freed };
}

/** Makes `object` the key's current version; answers its version id (undefined in a never-versioned bucket). */
export async function writeObject(ctx: ObjectWriter, bucket: StoredBucket, key: string, object: StoredObject): Promise<string | undefined> {
  const objects = objectTable(ctx.state, bucket);
  if (!bucket.versioning) {
    await replaceObject(objects, ctx.env.blobs, key, object);
    return undefined;
  }
  let stored: StoredObject = object;
  const { versionId, freed } = addVersion(ctx, bucket, key, (id) => ({ kind: "object", object: (stored = { ...object, versionId: id }) }));
  objects.set(key, stored);
  await Promise.all([objects.settled(), versionTable(ctx.state, bucket).settled()]);
  if (freed) deleteLater(ctx.env.blobs, freed);
  return versionId;
}

export interface Deletion {
  DeleteMarker?: boolean;
  VersionId?: string;
}

/** DeleteObject without a version id: the object goes, or (versioned) a delete marker hides it. */
export async function deleteCurrent(ctx: CallContext, bucket: StoredBucket, key: string): Promise<Deletion> {
  const objects = objectTable(ctx.state, bucket);
  if (!bucket.versioning) {
    await removeObjects(objects, ctx.env.blobs, [key]);
    return {};
  }
  const { versionId, freed } = addVersion(ctx, bucket, key, (id) => ({ kind: "marker", versionId: id, lastModified: ctx.now.toISOString(), ownerAccountId: ctx.accountId }));
  objects.delete(key);
  await Promise.all([objects.settled(), versionTable(ctx.state, bucket).settled()]);
  if (freed) deleteLater(ctx.env.blobs, freed);
  return { DeleteMarker: true, VersionId: versionId };
}

/** DeleteObject with a version id: that version (or marker) goes for good; the next one becomes current. */
export async function deleteVersion(ctx: CallContext, bucket: StoredBucket, key: string, versionId: string): Promise<Deletion> {
  const objects = objectTable(ctx.state, bucket);
  if (!bucket.versioning) {
    checkVersionIdSyntax(versionId);
    if (versionId === "null") await removeObjects(objects, ctx.env.blobs, [key]);
    return { VersionId: versionId };
  }
  const versions = versionTable(ctx.state, bucket);
  const all = [...versionsOf(versions, key)];
  const at = all.findIndex(([, v]) => versionIdOf(v) === versionId);
  // Deleting a version that does not exist succeeds, as a delete of a missing key does.
  if (at === -1) {
    checkVersionIdSyntax(versionId);
    return { VersionId: versionId };
  }
  const [tableKey, gone] = all[at]!;
  versions.delete(tableKey);
  if (at === 0) {
    const next = all[1]?.[1];
    if (next?.kind === "object") objects.set(key, next.object);
    else objects.delete(key);
  }
  await Promise.all([objects.settled(), versions.settled()]);
  if (gone.kind === "object") deleteLater(ctx.env.blobs, gone.object.blobId);
  return { VersionId: versionId, DeleteMarker: gone.kind === "marker" ? true : undefined };
}

/** S3 answers a version id it could never have made with InvalidArgument. */
function checkVersionIdSyntax(versionId: string): void {
  if (versionId !== "null" && !/^[A-Za-z0-9._+-]{1,1024}$/.test(versionId)) throw invalidArgument("Invalid version id specified", "versionId", versionId);
}

const deleteMarkerHeaders = (versionId: string, lastModified: string) => ({
  "x-amz-delete-marker": "true",
  "x-amz-version-id": versionId,
  "last-modified": new Date(lastModified).toUTCString(),
});

/**
 * The object a read names: the current one, or the version asked for. A key whose current version is a
 * delete marker answers 404 NoSuchKey with `x-amz-delete-marker: true`; a delete marker asked for by its
 * version id answers 405 MethodNotAllowed (S3 API Reference, GetObject and HeadObject).
 */
export function readableObject(ctx: CallContext, bucket: StoredBucket, key: string, versionId: string | undefined): StoredObject {
  const objects = objectTable(ctx.state, bucket);
  if (versionId === undefined) {
    const object = objects.get(key);
    if (object) return object;
    const top = bucket.versioning ? latest(versionTable(ctx.state, bucket), key)?.[1] : undefined;
    if (top?.kind === "marker") {
      throw new AwsError("NoSuchKey", "The specified key does not exist.", { fields: { Key: key }, headers: deleteMarkerHeaders(top.versionId, top.lastModified) });
    }
    throw noSuchKey(key);
  }
  const version = findVersion(ctx, bucket, key, versionId);
  if (version.kind === "marker") {
    throw new AwsError("MethodNotAllowed", "The specified method is not allowed against this resource.", {
      status: 405,
      fields: { Method: ctx.request.method === "HEAD" ? "HEAD" : "GET", ResourceType: "DeleteMarker" },
      headers: { ...deleteMarkerHeaders(version.versionId, version.lastModified), allow: "DELETE" },
    });
  }
  return version.object;
}

/** A version by id, or NoSuchVersion (a never-versioned bucket knows only `null`). */
export function findVersion(ctx: CallContext, bucket: StoredBucket, key: string, versionId: string): StoredVersion {
  if (!bucket.versioning) {
    checkVersionIdSyntax(versionId);
    const object = versionId === "null" ? objectTable(ctx.state, bucket).get(key) : undefined;
    if (object) return { kind: "object", object };
    if (versionId !== "null") throw invalidArgument("Invalid version id specified", "versionId", versionId);
    throw noSuchVersion(key, versionId);
  }
  for (const [, v] of versionsOf(versionTable(ctx.state, bucket), key)) if (versionIdOf(v) === versionId) return v;
  checkVersionIdSyntax(versionId);
  throw noSuchVersion(key, versionId);
}

const noSuchVersion = (key: string, versionId: string) =>
  new AwsError("NoSuchVersion", "The specified version does not exist.", { status: 404, fields: { Key: key, VersionId: versionId } });

/**
 * Changes one version of an object in place (its tags, its ACL): the version asked for, else the current
 * one; the current object follows when it is that version.
 */
export async function updateVersion(
  ctx: CallContext,
  bucket: StoredBucket,
  key: string,
  versionId: string | undefined,
  change: (object: StoredObject) => StoredObject,
): Promise<StoredObject> {
  const objects = objectTable(ctx.state, bucket);
  const target = readableObject(ctx, bucket, key, versionId);
  const changed = change(target);
  if (bucket.versioning) {
    const versions = versionTable(ctx.state, bucket);
    for (const [tableKey, v] of versionsOf(versions, key)) {
      if (v.kind === "object" && v.object.versionId === target.versionId) versions.set(tableKey, { kind: "object", object: changed });
    }
  }
  const current = objects.get(key);
  if (current && current.versionId === target.versionId) objects.set(key, changed);
  await Promise.all([objects.settled(), bucket.versioning ? versionTable(ctx.state, bucket).settled() : Promise.resolve()]);
  return changed;
}
