import { CloudTrailClient, LookupEventsCommand, type LookupAttributeKey } from "@aws-sdk/client-cloudtrail";
import type { CloudTrailRecord } from "../../src/types/cloudtrail-record.js";
import { clientConfig, ROOT } from "./clients.js";

/**
 * The records LookupEvents returns for one attribute, newest first, parsed from CloudTrailEvent: how a
 * user finds what happened.
 */
export async function lookupRecords(url: string, key: LookupAttributeKey, value: string, region = "us-east-1", credentials = ROOT): Promise<CloudTrailRecord[]> {
  const client = new CloudTrailClient(clientConfig(url, credentials, region));
  const out = await client.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: key, AttributeValue: value }] }));
  return (out.Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent!) as CloudTrailRecord);
}

/** The newest record of an event name, failing the test if there is none. */
export async function latestRecord(url: string, eventName: string, region = "us-east-1", credentials = ROOT): Promise<CloudTrailRecord> {
  const [record] = await lookupRecords(url, "EventName", eventName, region, credentials);
  if (!record) throw new Error(`no ${eventName} record in ${region}`);
  return record;
}
