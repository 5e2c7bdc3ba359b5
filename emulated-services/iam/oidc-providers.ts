import type { CallContext } from "../../src/types/service.js";
import { entityAlreadyExists, invalidInput, limitExceeded, noSuchEntity } from "./errors.js";
import type { Op } from "./op.js";
import { paginate } from "./pagination.js";
import { iamState, type StoredOidcProvider } from "./state.js";
import { applyTags, removeTags } from "./tags.js";

/**
 * IAM OpenID Connect identity providers (IAM API Reference, CreateOpenIDConnectProvider and siblings). A
 * provider is named by its URL: the ARN is `arn:aws:iam::<account>:oidc-provider/<url without https://>`, one
 * provider per URL, compared exactly (a trailing slash makes another provider). Thumbprints are optional since
 * AWS verifies well-known issuers with its own trust store; at most 5 of them, at most 100 client ids.
 */
const MAX_THUMBPRINTS = 5;
const MAX_CLIENT_IDS = 100;
/** IAM quota "OpenID Connect providers per account". */
const MAX_PROVIDERS = 100;

export function findOidcProvider(ctx: CallContext, arn: string): StoredOidcProvider {
  if (!/^arn:aws:iam::\d{12}:oidc-provider\/./.test(arn)) throw invalidInput(`ARN ${arn} is not valid.`);
  const provider = iamState(ctx).oidcProviders[arn];
  if (!provider) throw noSuchEntity(`OpenIDConnect Provider not found for arn ${arn}`);
  return provider;
}

function checkThumbprints(thumbprints: string[]): void {
  if (thumbprints.length > MAX_THUMBPRINTS) throw invalidInput(`Thumbprint list must contain fewer than ${MAX_THUMBPRINTS + 1} entries.`);
  // The model fixes the length (40); the characters are a SHA-1 in hex.
  for (const t of thumbprints) if (!/^[0-9a-fA-F]{40}$/.test(t)) throw invalidInput(`Thumbprint ${t} is not a valid SHA-1 hex digest.`);
}

const unique = (list: string[]) => [...new Set(list)];

export const createOpenIdConnectProvider: Op<"CreateOpenIDConnectProvider"> = (input, ctx) => {
  const state = iamState(ctx);
  // The URL must be https, with a host, and no query or fragment (IAM User Guide, "Create an OIDC identity provider").
  const m = /^https:\/\/([^/?#\s]+(?:\/[^?#\s]*)?)$/i.exec(input.Url);
  if (!m) throw invalidInput("Invalid Open ID Connect Provider URL");
  const url = m[1]!;
  const arn = `arn:aws:iam::${ctx.accountId}:oidc-provider/${url}`;
  if (state.oidcProviders[arn]) throw entityAlreadyExists(`Provider with url ${input.Url} already exists.`);
  if (Object.keys(state.oidcProviders).length >= MAX_PROVIDERS) throw limitExceeded(`Cannot exceed quota for OpenIdIdpsPerAccount: ${MAX_PROVIDERS}`);
  const clientIds = unique(input.ClientIDList ?? []);
  if (clientIds.length > MAX_CLIENT_IDS) throw limitExceeded(`Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: ${MAX_CLIENT_IDS}`);
  const thumbprints = unique(input.ThumbprintList ?? []);
  checkThumbprints(thumbprints);
  const tags = applyTags([], input.Tags, "OpenIDConnectProvider");
  state.oidcProviders[arn] = { url, arn, clientIds, thumbprints, createDate: ctx.now.toISOString(), tags };
  return { OpenIDConnectProviderArn: arn, Tags: tags.length > 0 ? tags : undefined };
};

export const getOpenIdConnectProvider: Op<"GetOpenIDConnectProvider"> = (input, ctx) => {
  const p = findOidcProvider(ctx, input.OpenIDConnectProviderArn);
  return {
    Url: p.url,
    ClientIDList: p.clientIds,
    ThumbprintList: p.thumbprints,
    CreateDate: new Date(p.createDate),
    Tags: p.tags.length > 0 ? p.tags : undefined,
  };
};

export const listOpenIdConnectProviders: Op<"ListOpenIDConnectProviders"> = (_input, ctx) => ({
  OpenIDConnectProviderList: Object.keys(iamState(ctx).oidcProviders)
    .sort()
    .map((Arn) => ({ Arn })),
});

export const deleteOpenIdConnectProvider: Op<"DeleteOpenIDConnectProvider"> = (input, ctx) => {
  findOidcProvider(ctx, input.OpenIDConnectProviderArn);
  delete iamState(ctx).oidcProviders[input.OpenIDConnectProviderArn];
};

/** Adding a client id the provider already has succeeds and changes nothing (IAM API Reference). */
export const addClientIdToOpenIdConnectProvider: Op<"AddClientIDToOpenIDConnectProvider"> = (input, ctx) => {
  const p = findOidcProvider(ctx, input.OpenIDConnectProviderArn);
  if (p.clientIds.includes(input.ClientID)) return;
  if (p.clientIds.length >= MAX_CLIENT_IDS) throw limitExceeded(`Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: ${MAX_CLIENT_IDS}`);
  p.clientIds.push(input.ClientID);
};

/** Removing a client id the provider does not have succeeds too (IAM API Reference: "the action is idempotent"). */
export const removeClientIdFromOpenIdConnectProvider: Op<"RemoveClientIDFromOpenIDConnectProvider"> = (input, ctx) => {
  const p = findOidcProvider(ctx, input.OpenIDConnectProviderArn);
  p.clientIds = p.clientIds.filter((c) => c !== input.ClientID);
};

export const updateOpenIdConnectProviderThumbprint: Op<"UpdateOpenIDConnectProviderThumbprint"> = (input, ctx) => {
  const p = findOidcProvider(ctx, input.OpenIDConnectProviderArn);
  const thumbprints = unique(input.ThumbprintList);
  checkThumbprints(thumbprints);
  p.thumbprints = thumbprints;
};

export const tagOpenIdConnectProvider: Op<"TagOpenIDConnectProvider"> = (input, ctx) => {
  const p = findOidcProvider(ctx, input.OpenIDConnectProviderArn);
  p.tags = applyTags(p.tags, input.Tags, "OpenIDConnectProvider");
};

export const untagOpenIdConnectProvider: Op<"UntagOpenIDConnectProvider"> = (input, ctx) => {
  const p = findOidcProvider(ctx, input.OpenIDConnectProviderArn);
  p.tags = removeTags(p.tags, input.TagKeys, "OpenIDConnectProvider");
};

export const listOpenIdConnectProviderTags: Op<"ListOpenIDConnectProviderTags"> = (input, ctx) => {
  const page = paginate(findOidcProvider(ctx, input.OpenIDConnectProviderArn).tags, input.Marker, input.MaxItems);
  return { Tags: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
};
