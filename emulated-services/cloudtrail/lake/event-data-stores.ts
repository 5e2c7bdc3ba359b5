import type { AdvancedEventSelector } from "../../../src/generated/types/cloudtrail.js";
import type { CallContext } from "../../../src/types/service.js";
import { cloudTrailError } from "../errors.js";
import type { Op } from "../op.js";
import { findEventDataStore, lakeOf, toEventDataStore, toListedEventDataStore, type StoredEventDataStore } from "./lake-state.js";

const NAME = /^[a-zA-Z0-9._-]{3,128}$/;
const MAX_PER_REGION = 10;
/** A new event data store takes every management event (CloudTrail's default selector). */
const DEFAULT_SELECTORS: AdvancedEventSelector[] = [{ Name: "Default management events", FieldSelectors: [{ Field: "eventCategory", Equals: ["Management"] }] }];

function checkName(ctx: CallContext, name: string, except?: string): void {
  if (!NAME.test(name)) throw cloudTrailError("InvalidParameterException", `Event data store name ${name} is not valid: use 3-128 letters, digits, periods, underscores or dashes.`);
  const taken = Object.values(lakeOf(ctx.state, ctx.accountId, ctx.region).eventDataStores).some((e) => e.name === name && e.id !== except);
  if (taken) throw cloudTrailError("EventDataStoreAlreadyExistsException", `An event data store with the name ${name} already exists.`);
}

/** Retention in days: up to 2557 (7 years) with fixed-retention pricing, 3653 (10 years) with extendable. */
function checkRetention(days: number, billing: StoredEventDataStore["billingMode"]): void {
  const max = billing === "FIXED_RETENTION_PRICING" ? 2557 : 3653;
  if (days < 7 || days > max) throw cloudTrailError("InvalidParameterException", `RetentionPeriod must be between 7 and ${max} days for ${billing}.`);
}

export const createEventDataStore: Op<"CreateEventDataStore"> = (input, ctx) => {
  checkName(ctx, input.Name);
  const state = lakeOf(ctx.state, ctx.accountId, ctx.region);
  if (Object.keys(state.eventDataStores).length >= MAX_PER_REGION) {
    throw cloudTrailError("EventDataStoreMaxLimitExceededException", `Your account has reached the maximum number of event data stores (${MAX_PER_REGION}) in ${ctx.region}.`);
  }
  if (input.OrganizationEnabled) throw cloudTrailError("OrganizationsNotInUseException", "This account is not a member of an organization.");
  const billingMode = input.BillingMode ?? "EXTENDABLE_RETENTION_PRICING";
  const retentionPeriod = input.RetentionPeriod ?? (billingMode === "FIXED_RETENTION_PRICING" ? 2557 : 366);
  checkRetention(retentionPeriod, billingMode);
  const id = ctx.env.ids.uuid();
  const now = ctx.now.toISOString();
  const eds: StoredEventDataStore = {
    id,
    arn: `arn:aws:cloudtrail:${ctx.region}:${ctx.accountId}:eventdatastore/${id}`,
    name: input.Name,
    accountId: ctx.accountId,
    region: ctx.region,
    status: "ENABLED",
    advancedEventSelectors: input.AdvancedEventSelectors ?? DEFAULT_SELECTORS,
    multiRegionEnabled: input.MultiRegionEnabled ?? true,
    organizationEnabled: false,
    retentionPeriod,
    terminationProtectionEnabled: input.TerminationProtectionEnabled ?? true,
    billingMode,
    kmsKeyId: input.KmsKeyId,
    tags: input.TagsList ?? [],
    createdAt: now,
    updatedAt: now,
  };
  state.eventDataStores[id] = eds;
  // CloudTrail answers while the store is being made: CREATED, then ENABLED.
  return { ...toEventDataStore(eds), Status: "CREATED", TagsList: eds.tags };
};

export const getEventDataStore: Op<"GetEventDataStore"> = (input, ctx) => toEventDataStore(findEventDataStore(ctx, input.EventDataStore));

export const listEventDataStores: Op<"ListEventDataStores"> = (input, ctx) => {
  if (input.MaxResults !== undefined && (input.MaxResults < 1 || input.MaxResults > 1000)) throw cloudTrailError("InvalidMaxResultsException", "MaxResults must be between 1 and 1000.");
  const all = Object.values(lakeOf(ctx.state, ctx.accountId, ctx.region).eventDataStores).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  const start = input.NextToken === undefined ? 0 : offsetOf(input.NextToken, all.length);
  const size = input.MaxResults ?? 1000;
  const page = all.slice(start, start + size);
  return {
    EventDataStores: page.map(toListedEventDataStore),
    NextToken: start + size < all.length ? Buffer.from(String(start + size)).toString("base64") : undefined,
  };
};

export const updateEventDataStore: Op<"UpdateEventDataStore"> = (input, ctx) => {
  const eds = findEventDataStore(ctx, input.EventDataStore);
  if (eds.status !== "ENABLED") throw cloudTrailError("InactiveEventDataStoreException", `Event data store ${eds.arn} is inactive.`);
  if (input.Name !== undefined) checkName(ctx, input.Name, eds.id);
  if (input.OrganizationEnabled) throw cloudTrailError("OrganizationsNotInUseException", "This account is not a member of an organization.");
  const billingMode = input.BillingMode ?? eds.billingMode;
  if (input.RetentionPeriod !== undefined || input.BillingMode !== undefined) checkRetention(input.RetentionPeriod ?? eds.retentionPeriod, billingMode);
  eds.name = input.Name ?? eds.name;
  eds.advancedEventSelectors = input.AdvancedEventSelectors ?? eds.advancedEventSelectors;
  eds.multiRegionEnabled = input.MultiRegionEnabled ?? eds.multiRegionEnabled;
  eds.retentionPeriod = input.RetentionPeriod ?? eds.retentionPeriod;
  eds.terminationProtectionEnabled = input.TerminationProtectionEnabled ?? eds.terminationProtectionEnabled;
  eds.billingMode = billingMode;
  eds.kmsKeyId = input.KmsKeyId ?? eds.kmsKeyId;
  eds.updatedAt = ctx.now.toISOString();
  return toEventDataStore(eds);
};

/** Deleting starts a 7-day wait (PENDING_DELETION) during which the store is kept but cannot be queried. */
export const deleteEventDataStore: Op<"DeleteEventDataStore"> = (input, ctx) => {
  const eds = findEventDataStore(ctx, input.EventDataStore);
  if (eds.terminationProtectionEnabled) {
    throw cloudTrailError("EventDataStoreTerminationProtectedException", "Event data store cannot be deleted because termination protection is enabled.");
  }
  if (eds.status !== "ENABLED") throw cloudTrailError("InactiveEventDataStoreException", `Event data store ${eds.arn} is inactive.`);
  eds.status = "PENDING_DELETION";
  eds.updatedAt = ctx.now.toISOString();
  return {};
};

/** A NextToken of these listings: the offset it continues from. */
export function offsetOf(token: string, size: number): number {
  const n = Number(Buffer.from(token, "base64").toString());
  if (!Number.isInteger(n) || n < 0 || n > size) throw cloudTrailError("InvalidNextTokenException", "The NextToken is not valid.");
  return n;
}
