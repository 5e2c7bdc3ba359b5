import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateUserCommand, DeleteUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig } from "../helpers/clients.js";
import { lookupRecords } from "../helpers/records.js";
import type { LookupEventsRequest, LookupEventsResponse } from "../../src/generated/types/cloudtrail.js";
import { csvField, downloadStream, historyPage, subscribeLive, type HistoryRow } from "../../src/console/cloudtrail/history-query.js";
import { DEFAULT_FILTER, filterFromQuery, filterToQuery, type HistoryFilter } from "../../src/console/cloudtrail/history-filter.js";

/**
 * Event history's data side over a real emulator: pages and downloads are LookupEvents calls made as a
 * principal through the pipeline (so they are recorded), live rows come from the history's notifications.
 */
describe("Event history's pages, downloads and live rows", () => {
  let server: TestServer;
  let iam: IAMClient;
  // As the console calls it: through the pipeline, with a principal's key, from the browser's address.
  const lookup = async (request: LookupEventsRequest) => {
    const out = await server.localtrail.env.invoke<LookupEventsResponse>({ service: "cloudtrail", operation: "LookupEvents", input: request, region: "us-east-1", as: { accessKeyId: "test" }, sourceIp: "198.51.100.20", userAgent: "AWS Internal" });
    if (out.error) throw out.error;
    return out.output!;
  };
  const now = () => server.localtrail.clock.now();
  const byName = (value: string): HistoryFilter => ({ attribute: { key: "ResourceName", value }, range: { kind: "any" } });
  const text = async (stream: ReadableStream<Uint8Array>) => new Response(stream).text();

  beforeAll(async () => {
    server = await startTestServer();
    iam = new IAMClient(clientConfig(server.url));
    await iam.send(new CreateUserCommand({ UserName: "John" }));
    await iam.send(new CreateUserCommand({ UserName: "Mary" }));
    for (let i = 0; i < 55; i++) await iam.send(new CreateUserCommand({ UserName: `bulk-${String(i).padStart(2, "0")}`, Path: "/bulk/" }));
  });
  afterAll(() => server.close());

  it("finds Mary's CreateUser by resource name, through a recorded LookupEvents call", async () => {
    const page = await historyPage(lookup, byName("Mary"), now());
    expect(page.rows).toHaveLength(1);
    expect(page.rows[0]).toMatchObject({ eventName: "CreateUser", username: "root", eventSource: "iam.amazonaws.com", resourceType: "AWS::IAM::User", resourceName: "Mary", awsRegion: "us-east-1", readOnly: "false" });
    const lookups = await lookupRecords(server.url, "EventName", "LookupEvents");
    expect(lookups.some((r) => r.sourceIPAddress === "198.51.100.20" && r.userAgent === "AWS Internal")).toBe(true);
  });

  it("pages newest first, the next page asking the same pinned window", async () => {
    const filter: HistoryFilter = { attribute: { key: "EventName", value: "CreateUser" }, range: { kind: "relative", minutes: 30 } };
    const first = await historyPage(lookup, filter, now());
    expect(first.rows).toHaveLength(50);
    expect(first.rows[0]!.resourceName).toBe("bulk-54");
    expect(first.nextToken).toBeDefined();
    expect(first.filter.range).toMatchObject({ kind: "relative", minutes: 30, anchor: expect.any(Number) });
    const second = await historyPage(lookup, first.filter, now(), first.nextToken);
    expect(second.rows.map((r) => r.resourceName)).toEqual(["bulk-04", "bulk-03", "bulk-02", "bulk-01", "bulk-00", "Mary", "John"]);
    expect(second.nextToken).toBeUndefined();
    const times = [...first.rows, ...second.rows].map((r) => r.eventTime);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it("finds nothing in an absolute window before the events", async () => {
    const page = await historyPage(lookup, { attribute: { key: "ResourceName", value: "Mary" }, range: { kind: "absolute", start: new Date("2020-01-01T00:00:00Z"), end: new Date("2020-01-02T00:00:00Z") } }, now());
    expect(page.rows).toEqual([]);
  });

  it("keeps its filter in the address, hiding read-only events by default", () => {
    expect(filterFromQuery(new URLSearchParams())).toEqual(DEFAULT_FILTER);
    expect(filterFromQuery(new URLSearchParams("attribute="))).toEqual({ attribute: undefined, range: { kind: "any" } });
    const filter: HistoryFilter = { attribute: { key: "Username", value: "John" }, range: { kind: "absolute", start: new Date("2020-01-01T09:00:00Z"), end: new Date("2020-01-01T10:00:00Z") } };
    expect(filterFromQuery(filterToQuery(filter))).toEqual(filter);
    expect(filterFromQuery(new URLSearchParams("attribute=Bogus&value=x&range=7"))).toEqual({ attribute: undefined, range: { kind: "any" } });
  });

  it("downloads the filter as CSV and as JSON", async () => {
    const csv = (await text(downloadStream(lookup, byName("Mary"), now(), "csv"))).split("\r\n");
    expect(csv[0]).toBe("Event ID,Event time,User name,Event name,Resource type,Resource name,AWS access key,AWS region,Error code,Source IP address,Resources");
    expect(csv).toHaveLength(3);
    expect(csv[1]).toMatch(/^[0-9a-f-]{36},\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ,root,CreateUser,AWS::IAM::User,Mary,test,us-east-1,,127\.0\.0\.1,"\[\{""resourceType"":""AWS::IAM::User"",""resourceName"":""Mary""\}\]"$/);
    expect(csv[2]).toBe("");

    const json = JSON.parse(await text(downloadStream(lookup, { attribute: { key: "EventName", value: "CreateUser" }, range: { kind: "any" } }, now(), "json"))) as { Records: { eventName: string; requestParameters: { userName: string } }[] };
    expect(json.Records).toHaveLength(57);
    expect(json.Records[0]!.requestParameters.userName).toBe("bulk-54");
    expect(json.Records.at(-1)!.requestParameters.userName).toBe("John");
  });

  it("neutralises formulas in CSV fields", () => {
    expect(csvField("=HYPERLINK(\"x\")")).toBe("\"'=HYPERLINK(\"\"x\"\")\"");
    expect(csvField("-1")).toBe("'-1");
    expect(csvField("plain")).toBe("plain");
    expect(csvField(undefined)).toBe("");
  });

  it("streams new events of the filter live, and only those", async () => {
    const rows: HistoryRow[] = [];
    const stop = subscribeLive(server.localtrail.eventLog, { accountId: "000000000000", region: "us-east-1", filter: { attribute: { key: "EventName", value: "DeleteUser" }, range: { kind: "relative", minutes: 30 } } }, now, (row) => rows.push(row));
    await iam.send(new CreateUserCommand({ UserName: "live-one" }));
    await iam.send(new DeleteUserCommand({ UserName: "live-one" }));
    await expect.poll(() => rows.length, { timeout: 300_000 }).toBe(1);
    expect(rows[0]).toMatchObject({ eventName: "DeleteUser", resourceName: "live-one", username: "root" });
    stop();
    await iam.send(new CreateUserCommand({ UserName: "after-stop" }));
    expect(rows).toHaveLength(1);
  });
});
