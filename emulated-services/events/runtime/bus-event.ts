/** An event on a bus, as rules match it and targets receive it (EventBridge User Guide, "Events"). */
export interface BusEvent {
  version: "0";
  id: string;
  "detail-type": string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

/** Event times are whole seconds in UTC (`2024-11-28T15:21:35Z`). */
export const eventTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

/** Where an event is put, and how it got there. */
export interface Publication {
  accountId: string;
  region: string;
  bus: string;
  event: BusEvent;
  /** A read-only management event from CloudTrail: only rules ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS see it. */
  readOnlyCloudTrail?: boolean;
  /** Buses the event already went through (bus-to-bus targets), so a cycle ends. */
  visited?: string[];
  /** A scheduled event: it goes to the targets of the rule with this ARN alone. */
  scheduled?: string;
}
