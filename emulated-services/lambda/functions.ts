import type { FunctionConfiguration } from "../../src/generated/types/lambda.js";
import { releaseCode, storeCode } from "./code.js";
import { functionConfiguration } from "./configuration.js";
import { functionExists, functionNotFound, invalidParameter, resourceConflict } from "./errors.js";
import { findFunction, functionRef, LATEST, resolveQualifier } from "./names.js";
import type { Op } from "./op.js";
import { paginate } from "./pagination.js";
import { changed, checkRevision } from "./revisions.js";
import { lambdaRuntime } from "./runtime/lambda-runtime.js";
import { applySettings } from "./settings.js";
import { getOwn, lambdaState, setOwn, type StoredFunction, type StoredVersion } from "./state.js";
import { publish } from "./versions.js";

export const createFunction: Op<"CreateFunction"> = async (input, ctx) => {
  const ref = functionRef(ctx, input.FunctionName, undefined, "lambda:CreateFunction");
  if (input.PackageType !== "Image" && (input.Runtime === undefined || input.Handler === undefined)) {
    throw invalidParameter("Runtime and Handler are mandatory parameters for functions created with deployment packages.");
  }
  const state = lambdaState(ctx);
  if (getOwn(state.functions, ref.name)) throw functionExists(ref.name);
  const config: StoredVersion = {
    version: LATEST,
    description: "",
    role: input.Role,
    timeout: 3,
    memorySize: 128,
    ephemeralStorage: 512,
    architectures: input.Architectures ?? ["x86_64"],
    tracingMode: "PassThrough",
    code: { blobId: "", sha256: "", size: 0 },
    lastModified: ctx.now.toISOString(),
    revisionId: ctx.env.ids.uuid(),
    policy: [],
  };
  applySettings(ctx, config, input);
  config.code = await storeCode(ctx, input.Code, "CreateFunction");
  // Another call may have created it while the code was being stored.
  if (getOwn(state.functions, ref.name)) {
    await ctx.env.blobs.delete(config.code.blobId);
    throw functionExists(ref.name);
  }
  const fn: StoredFunction = { name: ref.name, latest: config, versions: {}, lastVersion: 0, aliases: {}, tags: { ...input.Tags } };
  setOwn(state.functions, ref.name, fn);
  if (input.Publish) {
    const published = publish(ctx, fn, undefined);
    return functionConfiguration(ctx, fn, published, published.version, "created");
  }
  return functionConfiguration(ctx, fn, config, undefined, "created");
};

export const getFunction: Op<"GetFunction"> = (input, ctx) => {
  const ref = functionRef(ctx, input.FunctionName, input.Qualifier, "lambda:GetFunction");
  const fn = findFunction(ctx, ref);
  const { config } = resolveQualifier(fn, ref);
  const tags = Object.keys(fn.tags).length > 0 ? { ...fn.tags } : undefined;
  const concurrency = fn.reservedConcurrency === undefined ? undefined : { ReservedConcurrentExecutions: fn.reservedConcurrency };
  return { Configuration: functionConfiguration(ctx, fn, config, ref.qualifier), Code: { RepositoryType: "S3" }, Tags: tags, Concurrency: concurrency };
};

export const getFunctionConfiguration: Op<"GetFunctionConfiguration"> = (input, ctx) => {
  const ref = functionRef(ctx, input.FunctionName, input.Qualifier, "lambda:GetFunctionConfiguration");
  const fn = findFunction(ctx, ref);
  return functionConfiguration(ctx, fn, resolveQualifier(fn, ref).config, ref.qualifier);
};

/** Functions by name, 50 a page unless MaxItems says otherwise; FunctionVersion=ALL adds every published version. */
export const listFunctions: Op<"ListFunctions"> = (input, ctx) => {
  const functions = Object.values(lambdaState(ctx).functions).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const all: FunctionConfiguration[] = [];
  for (const fn of functions) {
    if (input.FunctionVersion !== "ALL") {
      all.push(functionConfiguration(ctx, fn, fn.latest));
      continue;
    }
    all.push(functionConfiguration(ctx, fn, fn.latest, LATEST));
    for (const v of Object.values(fn.versions).sort((a, b) => Number(a.version) - Number(b.version))) all.push(functionConfiguration(ctx, fn, v, v.version));
  }
  const page = paginate(all, input.Marker, input.MaxItems ?? 50);
  return { Functions: page.items, NextMarker: page.nextMarker };
};

export const updateFunctionCode: Op<"UpdateFunctionCode"> = async (input, ctx) => {
  const ref = functionRef(ctx, input.FunctionName, undefined, "lambda:UpdateFunctionCode");
  const fn = findFunction(ctx, ref);
  checkRevision(fn.latest, input.RevisionId);
  const code = await storeCode(ctx, input, "UpdateFunctionCode");
  if (input.DryRun) {
    await ctx.env.blobs.delete(code.blobId);
    return functionConfiguration(ctx, fn, { ...fn.latest, code }, undefined, "updated");
  }
  const previous = fn.latest.code.blobId;
  fn.latest.code = code;
  if (input.Architectures) fn.latest.architectures = input.Architectures;
  changed(ctx, fn.latest);
  await releaseCode(ctx, fn, [previous]);
  if (input.Publish) {
    const published = publish(ctx, fn, undefined);
    return functionConfiguration(ctx, fn, published, published.version, "updated");
  }
  return functionConfiguration(ctx, fn, fn.latest, undefined, "updated");
};

export const updateFunctionConfiguration: Op<"UpdateFunctionConfiguration"> = (input, ctx) => {
  const ref = functionRef(ctx, input.FunctionName, undefined, "lambda:UpdateFunctionConfiguration");
  const fn = findFunction(ctx, ref);
  checkRevision(fn.latest, input.RevisionId);
  const updated = structuredClone(fn.latest);
  applySettings(ctx, updated, input);
  fn.latest = updated;
  changed(ctx, fn.latest);
  return functionConfiguration(ctx, fn, fn.latest, undefined, "updated");
};

/** Deletes the function, or with a Qualifier one published version of it. */
export const deleteFunction: Op<"DeleteFunction"> = async (input, ctx) => {
  const ref = functionRef(ctx, input.FunctionName, input.Qualifier, "lambda:DeleteFunction");
  const fn = findFunction(ctx, ref);
  const state = lambdaState(ctx);
  const runtime = lambdaRuntime(ctx.env);
  if (ref.qualifier !== undefined) {
    if (ref.qualifier === LATEST) throw invalidParameter("$LATEST version cannot be deleted without deleting the function.");
    const config = getOwn(fn.versions, ref.qualifier);
    if (!config) throw functionNotFound(`${ref.arn}:${ref.qualifier}`);
    const aliases = Object.values(fn.aliases).filter((a) => a.functionVersion === config.version || (a.weights && Object.hasOwn(a.weights, config.version)));
    if (aliases.length > 0) throw resourceConflict(`Unable to delete version because the following aliases reference it: [${aliases.map((a) => a.name).join(", ")}]`);
    delete fn.versions[config.version];
    runtime.discard(ref.arn, config.version);
    await releaseCode(ctx, fn, [config.code.blobId]);
    return { StatusCode: 204 };
  }
  delete state.functions[fn.name];
  runtime.discard(ref.arn);
  await releaseCode(ctx, undefined, [fn.latest, ...Object.values(fn.versions)].map((v) => v.code.blobId));
  return { StatusCode: 204 };
};
