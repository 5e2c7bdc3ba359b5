import type { AdvancedEventSelector, EventDataStore, GetEventDataStoreResponse, Tag } from "../../../src/generated/types/cloudtrail.js";
import type { StateView } from "../../../src/state/store.js";
import type { CallContext } from "../../../src/types/service.js";
import { cloudTrailError } from "../errors.js";

/** A CloudTrail Lake event data store as the control plane keeps it (reference/cloudtrail.md §11). */
export interface StoredEventDataStore {
  id: string;
  arn: string;
  name: string;
  accountId: string;
  region: string;
  status: "ENABLED" | "PENDING_DELETION";
  advancedEventSelectors: AdvancedEventSelector[];
  multiRegionEnabled: boolean;
  organizationEnabled: boolean;
  retentionPeriod: number;
  terminationProtectionEnabled: boolean;
  billingMode: "EXTENDABLE_RETENTION_PRICING" | "FIXED_RETENTION_PRICING";
  kmsKeyId?: string;
  tags: Tag[];
  createdAt: string;
  updatedAt: string;
}

/** An account's event data stores in one region, by id. */
export interface LakeState {
  eventDataStores: Record<string, StoredEventDataStore>;
}

export const lakeOf = (state: StateView, accountId: string, region: string): LakeState =>
  state.get<LakeState>("cloudtrail-lake", accountId, region, () => ({ eventDataStores: {} }));

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ARN = /^arn:aws:cloudtrail:([a-z0-9-]+):(\d{12}):eventdatastore\/([0-9a-f-]{36})$/;

/** The id an EventDataStore parameter names, given as an ARN or as the id (EventDataStoreARNInvalidException otherwise). */
export function edsIdOf(value: string): string {
  const arn = ARN.exec(value);
  if (arn && UUID.test(arn[3]!)) return arn[3]!;
  if (UUID.test(value)) return value;
  throw cloudTrailError("EventDataStoreARNInvalidException", `The specified event data store ARN is not valid or does not map to an event data store in your account.`);
}

/** An event data store of the caller's account and region, by ARN or id. */
export function findEventDataStore(ctx: CallContext, value: string): StoredEventDataStore {
  const eds = lakeOf(ctx.state, ctx.accountId, ctx.region).eventDataStores[edsIdOf(value)];
  if (!eds) throw cloudTrailError("EventDataStoreNotFoundException", `The specified event data store ${value} was not found.`);
  return eds;
}

/** An event data store that queries can use: not being deleted. */
export function activeEventDataStore(ctx: CallContext, value: string): StoredEventDataStore {
  const eds = findEventDataStore(ctx, value);
  if (eds.status !== "ENABLED") throw cloudTrailError("InactiveEventDataStoreException", `Event data store ${eds.arn} is inactive.`);
  return eds;
}

export function toEventDataStore(eds: StoredEventDataStore): GetEventDataStoreResponse {
  return {
    EventDataStoreArn: eds.arn,
    Name: eds.name,
    Status: eds.status,
    AdvancedEventSelectors: eds.advancedEventSelectors,
    MultiRegionEnabled: eds.multiRegionEnabled,
    OrganizationEnabled: eds.organizationEnabled,
    RetentionPeriod: eds.retentionPeriod,
    TerminationProtectionEnabled: eds.terminationProtectionEnabled,
    CreatedTimestamp: new Date(eds.createdAt),
    UpdatedTimestamp: new Date(eds.updatedAt),
    BillingMode: eds.billingMode,
    KmsKeyId: eds.kmsKeyId,
  };
}

/** ListEventDataStores' entries: the EventDataStore shape, which has no billing mode or key. */
export function toListedEventDataStore(eds: StoredEventDataStore): EventDataStore {
  const { BillingMode: _billing, KmsKeyId: _key, ...listed } = toEventDataStore(eds);
  return listed;
}
