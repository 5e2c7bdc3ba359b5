import type { AdvancedEventSelector, EventSelector } from "../../src/generated/types/cloudtrail.js";
import { cloudTrailError } from "./errors.js";
import { findTrail } from "./trail-names.js";
import type { Op } from "./op.js";

const invalid = (message: string) => cloudTrailError("InvalidEventSelectorsException", message);

// Basic selectors log data events of these resource types only; the others need advanced selectors.
const BASIC_DATA_TYPES = ["AWS::S3::Object", "AWS::Lambda::Function", "AWS::DynamoDB::Table"];
const EXCLUDABLE_SOURCES = ["kms.amazonaws.com", "rdsdata.amazonaws.com"];
const READ_WRITE_TYPES = ["ReadOnly", "WriteOnly", "All"];
const FIELDS = ["eventCategory", "eventSource", "eventName", "eventType", "readOnly", "resources.type", "resources.ARN", "userIdentity.arn", "sessionCredentialFromConsole", "errorCode", "vpcEndpointId"];
const MANAGEMENT_FIELDS = ["eventCategory", "eventSource", "readOnly"];
const OPERATORS = ["Equals", "StartsWith", "EndsWith", "NotEquals", "NotStartsWith", "NotEndsWith"] as const;

/** Limits and values of basic selectors (PutEventSelectors, InvalidEventSelectorsException). */
function checkBasic(selectors: EventSelector[]): EventSelector[] {
  if (selectors.length < 1 || selectors.length > 5) throw invalid("A trail can have 1 to 5 event selectors.");
  let values = 0;
  const out = selectors.map((s) => {
    const readWrite = s.ReadWriteType ?? "All";
    if (!READ_WRITE_TYPES.includes(readWrite)) throw invalid(`Value ${readWrite} for ReadWriteType is invalid. Valid values are ReadOnly, WriteOnly and All.`);
    for (const source of s.ExcludeManagementEventSources ?? []) {
      if (!EXCLUDABLE_SOURCES.includes(source)) throw invalid(`Value ${source} for ExcludeManagementEventSources is invalid. Valid values are ${EXCLUDABLE_SOURCES.join(", ")}.`);
    }
    for (const r of s.DataResources ?? []) {
      if (!r.Type || !BASIC_DATA_TYPES.includes(r.Type)) throw invalid(`Value ${r.Type} for DataResources.Type is invalid. Use advanced event selectors for this resource type.`);
      if (!r.Values?.length) throw invalid(`DataResources.Values for ${r.Type} must contain at least one value.`);
      values += r.Values.length;
    }
    return { ReadWriteType: readWrite, IncludeManagementEvents: s.IncludeManagementEvents ?? true, DataResources: s.DataResources ?? [], ExcludeManagementEventSources: s.ExcludeManagementEventSources ?? [] };
  });
  if (values > 250) throw invalid("A trail is limited to 250 data resources across all event selectors.");
  return out;
}

/** Fields, operators and categories of advanced selectors (§3.4 step 4; AdvancedFieldSelector in the API Reference). */
function checkAdvanced(selectors: AdvancedEventSelector[]): AdvancedEventSelector[] {
  if (selectors.length < 1) throw invalid("Specify at least one advanced event selector.");
  let values = 0;
  for (const s of selectors) {
    if (s.Name !== undefined && s.Name.length > 1000) throw invalid("The Name of an advanced event selector can be at most 1000 characters.");
    const category = s.FieldSelectors.find((f) => f.Field === "eventCategory");
    if (!category?.Equals?.length) throw invalid("Each advanced event selector must have a field selector for eventCategory with Equals.");
    const categories = category.Equals;
    for (const c of categories) if (!["Management", "Data", "NetworkActivity"].includes(c)) throw invalid(`Value ${c} for eventCategory is invalid.`);
    for (const f of s.FieldSelectors) {
      if (!FIELDS.includes(f.Field)) throw invalid(`Field ${f.Field} is not valid for advanced event selectors.`);
      if (categories.includes("Management") && !MANAGEMENT_FIELDS.includes(f.Field)) throw invalid(`Field ${f.Field} is not valid for management events.`);
      const used = OPERATORS.filter((op) => f[op] !== undefined);
      if (used.length === 0) throw invalid(`Field selector ${f.Field} must have at least one operator.`);
      for (const op of used) {
        const list = f[op]!;
        if (list.length === 0 || list.some((v) => v.length < 1 || v.length > 2048)) throw invalid(`Values of ${op} for ${f.Field} must be 1 to 2048 characters, at least one.`);
        values += list.length;
      }
      if (f.Field === "readOnly" && (used.some((op) => op !== "Equals") || f.Equals!.some((v) => v !== "true" && v !== "false"))) {
        throw invalid("The readOnly field accepts only Equals with the values true or false.");
      }
      if (f.Field === "resources.type" && used.some((op) => op !== "Equals")) throw invalid("The resources.type field accepts only Equals.");
    }
    if (categories.includes("Data") && !s.FieldSelectors.some((f) => f.Field === "resources.type")) {
      throw invalid("Advanced event selectors for data events must have a field selector for resources.type.");
    }
  }
  if (values > 500) throw invalid("A trail can have at most 500 values for all conditions in all advanced event selectors.");
  return selectors;
}

/** Exactly one kind of selectors; the kind applied replaces the other. Home region only. */
export const putEventSelectors: Op<"PutEventSelectors"> = (input, ctx) => {
  if ((input.EventSelectors === undefined) === (input.AdvancedEventSelectors === undefined)) {
    throw invalid("You must specify either EventSelectors or AdvancedEventSelectors, but not both.");
  }
  const trail = findTrail(ctx, input.TrailName, { homeRegionOnly: true, notFoundAsArn: true });
  if (input.EventSelectors !== undefined) {
    trail.eventSelectors = checkBasic(input.EventSelectors);
    delete trail.advancedEventSelectors;
  } else {
    trail.advancedEventSelectors = checkAdvanced(input.AdvancedEventSelectors!);
    delete trail.eventSelectors;
  }
  trail.hasCustomEventSelectors = true;
  return { TrailARN: trail.arn, EventSelectors: trail.eventSelectors, AdvancedEventSelectors: trail.advancedEventSelectors };
};

export const getEventSelectors: Op<"GetEventSelectors"> = (input, ctx) => {
  const trail = findTrail(ctx, input.TrailName, { notFoundAsArn: true });
  return { TrailARN: trail.arn, EventSelectors: trail.eventSelectors, AdvancedEventSelectors: trail.advancedEventSelectors };
};
