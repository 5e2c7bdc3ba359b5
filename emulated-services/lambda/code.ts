import { createHash } from "node:crypto";
import type { CallContext } from "../../src/types/service.js";
import { findBucket, getObjectBytes } from "../s3/directory.js";
import { invalidParameter, requestTooLarge } from "./errors.js";
import { lambdaRuntime } from "./runtime/lambda-runtime.js";
import type { StoredCode, StoredFunction } from "./state.js";
import { ZipProblem, zipEntries } from "./zip-archive.js";

/** AWS's quota on a zip uploaded in the request (a 50 MB zip is 69,905,067 bytes of base64 JSON). */
const DIRECT_UPLOAD_LIMIT = 52_428_800;
const DIRECT_UPLOAD_REQUEST_LIMIT = 69_905_067;

/** Where a deployment package comes from: CreateFunction's Code, UpdateFunctionCode's own members. */
export interface CodeSource {
  ZipFile?: Uint8Array;
  S3Bucket?: string;
  S3Key?: string;
  S3ObjectVersion?: string;
  ImageUri?: string;
}

/**
 * Checks a deployment package and stores it as a blob: from the request's ZipFile, or from an object of the
 * emulated S3 in the function's region. `operation` names the call in AWS's too-large message.
 */
export async function storeCode(ctx: CallContext, source: CodeSource, operation: string): Promise<StoredCode> {
  const zip = await packageBytes(ctx, source, operation);
  try {
    zipEntries(zip);
  } catch (e) {
    if (e instanceof ZipProblem) throw invalidParameter(e.message);
    throw e;
  }
  const { id } = await ctx.env.blobs.put(zip);
  return { blobId: id, sha256: createHash("sha256").update(zip).digest("base64"), size: zip.length };
}

async function packageBytes(ctx: CallContext, source: CodeSource, operation: string): Promise<Uint8Array> {
  if (source.ImageUri !== undefined) {
    // There is no ECR to pull from: AWS's answer for an image that does not exist.
    throw invalidParameter(`Source image ${source.ImageUri} does not exist. Provide a valid source image.`);
  }
  if (source.ZipFile !== undefined) {
    if (source.S3Bucket !== undefined || source.S3Key !== undefined) {
      throw invalidParameter("Please do not provide other FunctionCode parameters when providing a ZipFile.");
    }
    if (source.ZipFile.length > DIRECT_UPLOAD_LIMIT) throw requestTooLarge(DIRECT_UPLOAD_REQUEST_LIMIT, operation);
    return source.ZipFile;
  }
  if (source.S3Bucket === undefined || source.S3Key === undefined) throw invalidParameter("Please provide a source for function code.");
  const failed = (code: string, message: string) => invalidParameter(`Error occurred while GetObject. S3 Error Code: ${code}. S3 Error Message: ${message}`);
  const bucket = findBucket(ctx.state, source.S3Bucket);
  if (!bucket) throw failed("NoSuchBucket", "The specified bucket does not exist");
  if (bucket.region !== ctx.region) throw failed("PermanentRedirect", `The bucket is in this region: ${bucket.region}. Please use this region to retry the request`);
  const object = await getObjectBytes(ctx.state, ctx.env.blobs, source.S3Bucket, source.S3Key, ctx.now);
  if (!object) throw failed("NoSuchKey", "The specified key does not exist.");
  return object.body;
}

/** Deletes the packages no version of the function uses any more: their blobs and their unpacked copies. */
export async function releaseCode(ctx: CallContext, fn: StoredFunction | undefined, blobIds: Iterable<string>): Promise<void> {
  const used = new Set(fn ? [fn.latest, ...Object.values(fn.versions)].map((v) => v.code.blobId) : []);
  for (const id of new Set(blobIds)) {
    if (used.has(id)) continue;
    await ctx.env.blobs.delete(id);
    await lambdaRuntime(ctx.env).forgetCode(id);
  }
}
