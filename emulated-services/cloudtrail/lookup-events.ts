import type { Event } from "../../src/generated/types/cloudtrail.js";
import { InvalidPageTokenError, LOOKUP_ATTRIBUTE_KEYS, type HistoryEvent, type LookupAttributeKey } from "../../src/event-log/event-history.js";
import { cloudTrailError } from "./errors.js";
import type { Op } from "./op.js";

const INSIGHT_KEYS: LookupAttributeKey[] = ["EventId", "EventName", "EventSource"];

/**
 * LookupEvents, as AWS answers it (reference/cloudtrail.md §4): management events of the called region
 * (IAM and STS in us-east-1), newest first, one attribute at most, 1-50 per page.
 */
export const lookupEvents: Op<"LookupEvents"> = (input, ctx) => {
  const attributes = input.LookupAttributes ?? [];
  if (attributes.length > 1) throw cloudTrailError("InvalidLookupAttributesException", "You cannot specify more than one lookup attribute.");
  const attribute = attributes[0];
  if (attribute && !LOOKUP_ATTRIBUTE_KEYS.includes(attribute.AttributeKey as LookupAttributeKey)) {
    throw cloudTrailError("InvalidLookupAttributesException", `Invalid attribute key: ${attribute.AttributeKey}`);
  }
  if (attribute && (attribute.AttributeValue.length < 1 || attribute.AttributeValue.length > 2000)) {
    throw cloudTrailError("InvalidLookupAttributesException", "Attribute value must be between 1 and 2000 characters long.");
  }
  if (input.EventCategory !== undefined && input.EventCategory !== "insight") {
    throw cloudTrailError("InvalidEventCategoryException", `Event category ${String(input.EventCategory)} is not valid. Valid value is insight.`);
  }
  if (input.EventCategory === "insight" && attribute && !INSIGHT_KEYS.includes(attribute.AttributeKey as LookupAttributeKey)) {
    throw cloudTrailError("InvalidLookupAttributesException", `Attribute key ${attribute.AttributeKey} is not supported for insight events.`);
  }
  if (input.MaxResults !== undefined && (input.MaxResults < 1 || input.MaxResults > 50)) {
    throw cloudTrailError("InvalidMaxResultsException", "Value for MaxResults is invalid. It must be between 1 and 50.");
  }
  const endTime = input.EndTime?.getTime() ?? ctx.now.getTime();
  const startTime = input.StartTime?.getTime() ?? 0;
  if (startTime > endTime) throw cloudTrailError("InvalidTimeRangeException", "Start time must be before end time.");
  const insight = input.EventCategory === "insight";
  try {
    const page = ctx.env.events.lookup({
      accountId: ctx.accountId,
      region: ctx.region,
      category: insight ? "Insight" : "Management",
      attribute: attribute ? { key: attribute.AttributeKey as LookupAttributeKey, value: attribute.AttributeValue } : undefined,
      startTime,
      endTime,
      maxResults: input.MaxResults ?? 50,
      nextToken: input.NextToken,
      // A NextToken is valid only with the parameters it came from (AWS: InvalidNextTokenException).
      tokenScope: JSON.stringify([attribute, input.StartTime?.getTime(), input.EndTime?.getTime(), input.EventCategory]),
    });
    return { Events: page.events.map(insight ? toInsightEvent : toEvent), NextToken: page.nextToken };
  } catch (e) {
    if (e instanceof InvalidPageTokenError || e instanceof SyntaxError) throw cloudTrailError("InvalidNextTokenException", "Invalid NextToken");
    throw e;
  }
};

/** The Event shape: ReadOnly as a string, the whole record as a JSON string. */
function toEvent(event: HistoryEvent): Event {
  return {
    EventId: event.eventId,
    EventName: event.eventName,
    ReadOnly: String(event.readOnly),
    AccessKeyId: event.accessKeyId,
    EventTime: new Date(event.eventTime),
    EventSource: event.eventSource,
    Username: event.username,
    Resources: event.resources.map((r) => ({ ResourceType: r.type, ResourceName: r.name })),
    CloudTrailEvent: event.recordJson,
  };
}

/**
 * An Insights event as LookupEvents lists it (view-insights-events-cli.md): the analysed API's name and
 * source, no user, access key, read-only flag or resources.
 */
function toInsightEvent(event: HistoryEvent): Event {
  return {
    EventId: event.eventId,
    EventName: event.eventName,
    EventTime: new Date(event.eventTime),
    EventSource: event.eventSource,
    CloudTrailEvent: event.recordJson,
  };
}
