import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudTrailClient, LookupEventsCommand, paginateLookupEvents, type LookupEventsCommandInput } from "@aws-sdk/client-cloudtrail";
import { IAMClient, CreateUserCommand, CreateAccessKeyCommand, GetUserCommand, ListUsersCommand } from "@aws-sdk/client-iam";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig } from "../helpers/clients.js";
import { awsJson, boto3 } from "../helpers/cli.js";

describe("LookupEvents", () => {
  let server: TestServer;
  let cloudtrail: CloudTrailClient;
  let johnKey: { accessKeyId: string; secretAccessKey: string };
  const start = new Date(Date.now() - 1000);

  beforeAll(async () => {
    server = await startTestServer();
    cloudtrail = new CloudTrailClient(clientConfig(server.url));
    const iam = new IAMClient(clientConfig(server.url));
    for (let i = 0; i < 12; i++) await iam.send(new CreateUserCommand({ UserName: `user-${i}` }));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: "user-0" }));
    johnKey = { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
    await new IAMClient(clientConfig(server.url, johnKey)).send(new GetUserCommand({}));
    await iam.send(new ListUsersCommand({}));
  });
  afterAll(() => server.close());

  const lookup = (input: LookupEventsCommandInput) => cloudtrail.send(new LookupEventsCommand(input));
  const names = (out: { Events?: { EventName?: string }[] }) => out.Events?.map((e) => e.EventName);

  it("returns management events newest first with the Event shape", async () => {
    const out = await lookup({ MaxResults: 3 });
    expect(names(out)).toEqual(["ListUsers", "GetUser", "CreateAccessKey"]);
    const [event] = out.Events!;
    expect(event).toMatchObject({ EventName: "ListUsers", ReadOnly: "true", EventSource: "iam.amazonaws.com", Username: "root", AccessKeyId: "test", Resources: [] });
    expect(event!.EventTime).toBeInstanceOf(Date);
    expect(JSON.parse(event!.CloudTrailEvent!)).toMatchObject({ eventName: "ListUsers", eventID: event!.EventId });
    expect(out.NextToken).toBeTypeOf("string");
  });

  it("finds events by each of the eight attributes", async () => {
    const [latest] = (await lookup({ MaxResults: 1 })).Events!;
    const by = async (AttributeKey: string, AttributeValue: string) =>
      names(await lookup({ LookupAttributes: [{ AttributeKey: AttributeKey as never, AttributeValue }] }));
    expect(await by("EventId", latest!.EventId!)).toEqual([latest!.EventName]);
    expect(await by("EventName", "CreateUser")).toHaveLength(12);
    expect(await by("ReadOnly", "true")).toEqual(expect.arrayContaining(["ListUsers", "GetUser"]));
    expect(await by("ReadOnly", "false")).not.toContain("ListUsers");
    expect(await by("Username", "user-0")).toEqual(["GetUser"]);
    expect(await by("ResourceType", "AWS::IAM::AccessKey")).toEqual(["CreateAccessKey"]);
    expect(await by("ResourceName", "user-5")).toEqual(["CreateUser"]);
    expect(await by("EventSource", "iam.amazonaws.com")).toHaveLength(15);
    expect(await by("AccessKeyId", johnKey.accessKeyId)).toEqual(["GetUser"]);
  });

  it("pages through everything with the SDK's paginator, without duplicates", async () => {
    const seen: string[] = [];
    for await (const page of paginateLookupEvents({ client: cloudtrail, pageSize: 4 }, { StartTime: start, EndTime: new Date() })) {
      expect(page.Events!.length).toBeLessThanOrEqual(4);
      seen.push(...page.Events!.map((e) => e.EventId!));
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(15);
  });

  it("honours the time range", async () => {
    expect(names(await lookup({ StartTime: new Date(Date.now() + 60_000), EndTime: new Date(Date.now() + 120_000) }))).toEqual([]);
    expect(names(await lookup({ EndTime: new Date(start.getTime() - 60_000) }))).toEqual([]);
  });

  it("shows only the called region: IAM's events are in us-east-1", async () => {
    const euw1 = new CloudTrailClient(clientConfig(server.url, undefined, "eu-west-1"));
    const out = await euw1.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "EventSource", AttributeValue: "iam.amazonaws.com" }] }));
    expect(out.Events).toEqual([]);
  });

  it("answers bad input with CloudTrail's exceptions", async () => {
    const failure = async (input: LookupEventsCommandInput) => {
      try {
        await lookup(input);
      } catch (e) {
        const err = e as { name: string; $metadata: { httpStatusCode: number } };
        return [err.name, err.$metadata.httpStatusCode];
      }
      return ["no error"];
    };
    expect(await failure({ MaxResults: 51 })).toEqual(["InvalidMaxResultsException", 400]);
    expect(await failure({ MaxResults: 0 })).toEqual(["InvalidMaxResultsException", 400]);
    expect(await failure({ StartTime: new Date(), EndTime: new Date(Date.now() - 60_000) })).toEqual(["InvalidTimeRangeException", 400]);
    expect(
      await failure({
        LookupAttributes: [
          { AttributeKey: "EventName", AttributeValue: "a" },
          { AttributeKey: "Username", AttributeValue: "b" },
        ],
      }),
    ).toEqual(["InvalidLookupAttributesException", 400]);
    expect(await failure({ LookupAttributes: [{ AttributeKey: "Nope" as never, AttributeValue: "a" }] })).toEqual(["InvalidLookupAttributesException", 400]);
    expect(await failure({ EventCategory: "Insight" as never })).toEqual(["InvalidEventCategoryException", 400]);
    expect(await failure({ NextToken: "tampered" })).toEqual(["InvalidNextTokenException", 400]);
    const { NextToken } = await lookup({ MaxResults: 1 });
    expect(await failure({ MaxResults: 1, NextToken, LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "CreateUser" }] })).toEqual([
      "InvalidNextTokenException",
      400,
    ]);
  });

  it("is read the same way by the AWS CLI and boto3", async () => {
    const cli = await awsJson<{ Events: { EventName: string; ReadOnly: string; EventTime: number }[] }>(server.url, [
      "cloudtrail",
      "lookup-events",
      "--lookup-attributes",
      "AttributeKey=EventName,AttributeValue=GetUser",
    ]);
    expect(cli.Events).toHaveLength(1);
    // The CLI prints timestamps as they are on the wire: epoch seconds.
    expect(cli.Events[0]!.EventTime).toBeTypeOf("number");
    const py = await boto3<{ n: number; username: string; resources: unknown[] }>(
      server.url,
      `r = boto3.client("cloudtrail").lookup_events(LookupAttributes=[{"AttributeKey": "ResourceName", "AttributeValue": "user-3"}])
e = r["Events"][0]
print(json.dumps({"n": len(r["Events"]), "username": e["Username"], "resources": e["Resources"]}))`,
    );
    expect(py).toEqual({ n: 1, username: "root", resources: [{ ResourceType: "AWS::IAM::User", ResourceName: "user-3" }] });
  });
});
