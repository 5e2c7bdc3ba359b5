import type { CallContext } from "../../src/types/service.js";
import { functionConfiguration } from "./configuration.js";
import { invalidParameter } from "./errors.js";
import { checkRevision } from "./revisions.js";
import { findFunction, functionRef, LATEST } from "./names.js";
import type { Op } from "./op.js";
import { paginate } from "./pagination.js";
import { setOwn, type StoredFunction, type StoredVersion } from "./state.js";

/**
 * Publishes $LATEST as the next version number, unless neither code nor configuration changed since the
 * last version: AWS then answers with that version instead of publishing an identical one.
 */
export function publish(ctx: CallContext, fn: StoredFunction, description: string | undefined): StoredVersion {
  const last = fn.versions[String(fn.lastVersion)];
  if (last && sameContent(last, fn.latest)) return last;
  const version = String(++fn.lastVersion);
  const published: StoredVersion = {
    ...structuredClone(fn.latest),
    version,
    description: description ?? fn.latest.description,
    lastModified: ctx.now.toISOString(),
    revisionId: ctx.env.ids.uuid(),
    // Each version has its own resource policy.
    policy: [],
  };
  setOwn(fn.versions, version, published);
  return published;
}

export const publishVersion: Op<"PublishVersion"> = (input, ctx) => {
  const ref = functionRef(ctx, input.FunctionName, undefined, "lambda:PublishVersion");
  const fn = findFunction(ctx, ref);
  checkRevision(fn.latest, input.RevisionId);
  if (input.CodeSha256 !== undefined && input.CodeSha256 !== fn.latest.code.sha256) {
    throw invalidParameter(`CodeSHA256 (${input.CodeSha256}) is different from current CodeSHA256 in $LATEST (${fn.latest.code.sha256}). Please try again with the current CodeSHA256.`);
  }
  const published = publish(ctx, fn, input.Description);
  return functionConfiguration(ctx, fn, published, published.version);
};

/** $LATEST first, then the published versions in order, each with its qualified ARN. */
export const listVersionsByFunction: Op<"ListVersionsByFunction"> = (input, ctx) => {
  const ref = functionRef(ctx, input.FunctionName, undefined, "lambda:ListVersionsByFunction");
  const fn = findFunction(ctx, ref);
  const versions = [fn.latest, ...Object.values(fn.versions).sort((a, b) => Number(a.version) - Number(b.version))];
  const page = paginate(versions, input.Marker, input.MaxItems ?? 50);
  return { Versions: page.items.map((v) => functionConfiguration(ctx, fn, v, v.version === LATEST ? LATEST : v.version)), NextMarker: page.nextMarker };
};

/** Code and configuration, leaving out what every publication changes. */
function sameContent(a: StoredVersion, b: StoredVersion): boolean {
  const content = ({ version: _v, description: _d, lastModified: _l, revisionId: _r, policy: _p, ...rest }: StoredVersion) => canonical(rest);
  return content(a) === content(b);
}

/** JSON with object keys sorted, so that two equal configurations compare equal whatever their history. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
