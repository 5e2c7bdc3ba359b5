import type { AliasConfiguration, AliasRoutingConfiguration } from "../../src/generated/types/lambda.js";
import { aliasNotFound, functionNotFound, invalidParameter, resourceConflict } from "./errors.js";
import { findFunction, functionRef, LATEST, type FunctionRef } from "./names.js";
import type { Op } from "./op.js";
import { paginate } from "./pagination.js";
import { checkRevision } from "./revisions.js";
import { getOwn, setOwn, type StoredAlias, type StoredFunction } from "./state.js";

export const createAlias: Op<"CreateAlias"> = (input, ctx) => {
  const ref = functionRef(ctx, input.FunctionName, undefined, "lambda:CreateAlias");
  const fn = findFunction(ctx, ref);
  if (getOwn(fn.aliases, input.Name)) throw resourceConflict(`Alias already exists: ${ref.arn}:${input.Name}`);
  const weights = checkTargets(fn, ref, input.FunctionVersion, input.RoutingConfig);
  const alias: StoredAlias = { name: input.Name, functionVersion: input.FunctionVersion, description: input.Description ?? "", weights, revisionId: ctx.env.ids.uuid(), policy: [] };
  setOwn(fn.aliases, input.Name, alias);
  return aliasConfiguration(ref, alias);
};

export const getAlias: Op<"GetAlias"> = (input, ctx) => {
  const ref = functionRef(ctx, input.FunctionName, undefined, "lambda:GetAlias");
  return aliasConfiguration(ref, findAlias(findFunction(ctx, ref), ref, input.Name));
};

export const listAliases: Op<"ListAliases"> = (input, ctx) => {
  const ref = functionRef(ctx, input.FunctionName, undefined, "lambda:ListAliases");
  const fn = findFunction(ctx, ref);
  const aliases = Object.values(fn.aliases)
    .filter((a) => input.FunctionVersion === undefined || a.functionVersion === input.FunctionVersion)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const page = paginate(aliases, input.Marker, input.MaxItems ?? 50);
  return { Aliases: page.items.map((a) => aliasConfiguration(ref, a)), NextMarker: page.nextMarker };
};

export const updateAlias: Op<"UpdateAlias"> = (input, ctx) => {
  const ref = functionRef(ctx, input.FunctionName, undefined, "lambda:UpdateAlias");
  const fn = findFunction(ctx, ref);
  const alias = findAlias(fn, ref, input.Name);
  checkRevision(alias, input.RevisionId);
  const version = input.FunctionVersion ?? alias.functionVersion;
  const routing = input.RoutingConfig ?? (alias.weights && { AdditionalVersionWeights: alias.weights });
  alias.weights = checkTargets(fn, ref, version, routing);
  alias.functionVersion = version;
  if (input.Description !== undefined) alias.description = input.Description;
  alias.revisionId = ctx.env.ids.uuid();
  return aliasConfiguration(ref, alias);
};

export const deleteAlias: Op<"DeleteAlias"> = (input, ctx) => {
  const ref = functionRef(ctx, input.FunctionName, undefined, "lambda:DeleteAlias");
  const fn = findFunction(ctx, ref);
  findAlias(fn, ref, input.Name);
  delete fn.aliases[input.Name];
};

export function findAlias(fn: StoredFunction, ref: FunctionRef, name: string): StoredAlias {
  const alias = getOwn(fn.aliases, name);
  if (!alias) throw aliasNotFound(`${ref.arn}:${name}`);
  return alias;
}

/** The versions an alias points to must exist; a weighted second version needs a published primary. */
function checkTargets(fn: StoredFunction, ref: FunctionRef, version: string, routing: AliasRoutingConfiguration | undefined): Record<string, number> | undefined {
  const exists = (v: string) => v === LATEST || getOwn(fn.versions, v) !== undefined;
  if (!exists(version)) throw functionNotFound(`${ref.arn}:${version}`);
  const weights = routing?.AdditionalVersionWeights;
  if (!weights || Object.keys(weights).length === 0) return undefined;
  if (version === LATEST) throw invalidParameter("$LATEST is not supported for an alias pointing to more than 1 version");
  for (const v of Object.keys(weights)) if (v === LATEST || !exists(v)) throw functionNotFound(`${ref.arn}:${v}`);
  return { ...weights };
}

function aliasConfiguration(ref: FunctionRef, alias: StoredAlias): AliasConfiguration {
  return {
    AliasArn: `${ref.arn}:${alias.name}`,
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
    RoutingConfig: alias.weights ? { AdditionalVersionWeights: { ...alias.weights } } : undefined,
    RevisionId: alias.revisionId,
  };
}

/** The version an invocation through the alias runs: the weighted second version for its share of calls. */
export function pickVersion(alias: StoredAlias, random: () => number = Math.random): string {
  let roll = random();
  for (const [version, weight] of Object.entries(alias.weights ?? {})) {
    if (roll < weight) return version;
    roll -= weight;
  }
  return alias.functionVersion;
}

