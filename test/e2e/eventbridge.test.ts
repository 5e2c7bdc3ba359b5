import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DeleteRuleCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  ListRuleNamesByTargetCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TestEventPatternCommand,
  CreateEventBusCommand,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-eventbridge";
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CreateGroupCommand, CreateUserCommand, IAMClient, ListUsersCommand } from "@aws-sdk/client-iam";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, failure } from "../helpers/clients.js";
import { aws, AWS_CLI_V2, awsJson } from "../helpers/cli.js";
import { allRecords, createRole, handlers, zipOf } from "../fixtures/lambda/functions.js";
import { eventsRuntime } from "../../emulated-services/events/runtime/events-runtime.js";

const ACCOUNT = "000000000000";
const POLL = { timeout: 300_000, interval: 50 };

describe("EventBridge: rules, targets, and CloudTrail's events reaching them", () => {
  let server: TestServer;
  let events: EventBridgeClient;
  let lambda: LambdaClient;
  let logs: CloudWatchLogsClient;
  let iam: IAMClient;

  const messages = async (group: string): Promise<Record<string, unknown>[]> => {
    const out = await logs.send(new FilterLogEventsCommand({ logGroupName: group }));
    return (out.events ?? []).map((e) => JSON.parse(e.message!) as Record<string, unknown>);
  };

  beforeAll(async () => {
    server = await startTestServer();
    events = new EventBridgeClient(clientConfig(server.url));
    lambda = new LambdaClient(clientConfig(server.url));
    logs = new CloudWatchLogsClient(clientConfig(server.url));
    iam = new IAMClient(clientConfig(server.url));
    const role = await createRole(server.url, "exec-role");
    await lambda.send(new CreateFunctionCommand({ FunctionName: "alert", Runtime: "nodejs20.x", Role: role, Handler: "index.handler", Timeout: 30, Code: { ZipFile: zipOf({ "index.js": handlers.recordsEvent }) } }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: "received" }));
  });
  afterAll(() => server.close());

  it("keeps rules and targets as the API describes them, and refuses bad input with AWS's errors", async () => {
    const pattern = JSON.stringify({ source: ["my.app"] });
    const put = await events.send(new PutRuleCommand({ Name: "r1", EventPattern: pattern, Description: "first", Tags: [{ Key: "team", Value: "sec" }] }));
    expect(put.RuleArn).toBe(`arn:aws:events:us-east-1:${ACCOUNT}:rule/r1`);
    expect(await events.send(new DescribeRuleCommand({ Name: "r1" }))).toMatchObject({ Name: "r1", Arn: put.RuleArn, EventPattern: pattern, State: "ENABLED", Description: "first", EventBusName: "default", CreatedBy: ACCOUNT });
    expect((await events.send(new ListTagsForResourceCommand({ ResourceARN: put.RuleArn }))).Tags).toEqual([{ Key: "team", Value: "sec" }]);
    const targetArn = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:alert`;
    expect(await events.send(new PutTargetsCommand({ Rule: "r1", Targets: [{ Id: "t1", Arn: targetArn }] }))).toMatchObject({ FailedEntryCount: 0, FailedEntries: [] });
    expect((await events.send(new ListTargetsByRuleCommand({ Rule: "r1" }))).Targets).toEqual([{ Id: "t1", Arn: targetArn }]);
    expect((await events.send(new ListRuleNamesByTargetCommand({ TargetArn: targetArn }))).RuleNames).toEqual(["r1"]);
    expect((await events.send(new ListRulesCommand({ NamePrefix: "r" }))).Rules!.map((r) => r.Name)).toEqual(["r1"]);

    expect(await failure(events.send(new DeleteRuleCommand({ Name: "r1" })))).toMatchObject({ name: "ValidationException", message: "Rule can't be deleted since it has targets." });
    await events.send(new RemoveTargetsCommand({ Rule: "r1", Ids: ["t1"] }));
    await events.send(new DeleteRuleCommand({ Name: "r1" }));
    expect(await failure(events.send(new DescribeRuleCommand({ Name: "r1" })))).toMatchObject({ name: "ResourceNotFoundException", status: 400, message: "Rule r1 does not exist on EventBus default." });
    expect(await failure(events.send(new PutRuleCommand({ Name: "bad", EventPattern: '{"detail": {}}' })))).toMatchObject({
      name: "InvalidEventPatternException",
      message: "Event pattern is not valid. Reason: Empty objects are not allowed",
    });
    expect(await failure(events.send(new PutRuleCommand({ Name: "bad", ScheduleExpression: "rate(1 minutes)" })))).toMatchObject({ name: "ValidationException", message: "Parameter ScheduleExpression is not valid." });
    expect(await failure(events.send(new PutRuleCommand({ Name: "bad", EventPattern: pattern, EventBusName: "nope" })))).toMatchObject({ name: "ResourceNotFoundException", message: "Event bus nope does not exist." });
  });

  it("the AWS CLI puts a rule (v1), describes it (v2), and shows AWS's reason for a bad pattern", async () => {
    const put = await awsJson<{ RuleArn: string }>(server.url, ["events", "put-rule", "--name", "cli", "--event-pattern", '{"source":["aws.cloudtrail"],"detail":{"eventName":["StopLogging"]}}']);
    expect(put.RuleArn).toBe(`arn:aws:events:us-east-1:${ACCOUNT}:rule/cli`);
    expect(await awsJson(server.url, ["events", "describe-rule", "--name", "cli"], undefined, undefined, AWS_CLI_V2)).toMatchObject({ Name: "cli", State: "ENABLED", EventBusName: "default" });
    const bad = await aws(server.url, ["events", "put-rule", "--name", "bad", "--event-pattern", '{"source":"aws.iam"}'], undefined, undefined, AWS_CLI_V2);
    // AWS_MAX_ATTEMPTS=1 makes CLI v2 add "(reached max retries: 0)" after the operation's name.
    expect(bad.stderr.trim()).toMatch(/^An error occurred \(InvalidEventPatternException\) when calling the PutRule operation.*: Event pattern is not valid\. Reason: "source" must be an object or an array$/);
  });

  it("answers TestEventPattern with the matcher", async () => {
    const event = JSON.stringify({ id: "1", account: ACCOUNT, source: "aws.ec2", time: "2024-01-01T00:00:00Z", region: "us-east-1", "detail-type": "x", resources: [], detail: { state: "running" } });
    expect((await events.send(new TestEventPatternCommand({ Event: event, EventPattern: '{"detail":{"state":[{"anything-but":"stopped"}]}}' }))).Result).toBe(true);
    expect((await events.send(new TestEventPatternCommand({ Event: event, EventPattern: '{"source":[{"prefix":"aws.s3"}]}' }))).Result).toBe(false);
    expect(await failure(events.send(new TestEventPatternCommand({ Event: '{"source":"x"}', EventPattern: '{"source":["x"]}' })))).toMatchObject({ name: "ValidationException" });
  });

  it("a CreateUser reaches a Lambda function as \"AWS API Call via CloudTrail\" once its resource policy lets EventBridge invoke it", async () => {
    const rule = await events.send(new PutRuleCommand({ Name: "iam-changes", EventPattern: JSON.stringify({ source: ["aws.iam"], "detail-type": ["AWS API Call via CloudTrail"], detail: { eventName: ["CreateUser"] } }) }));
    await events.send(new PutTargetsCommand({ Rule: "iam-changes", Targets: [{ Id: "alert", Arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:alert` }] }));
    await lambda.send(new AddPermissionCommand({ FunctionName: "alert", StatementId: "events", Action: "lambda:InvokeFunction", Principal: "events.amazonaws.com", SourceArn: rule.RuleArn }));

    await iam.send(new CreateUserCommand({ UserName: "mallory" }));
    await expect.poll(async () => (await messages("received")).length, POLL).toBe(1);
    const [event] = await messages("received");
    expect(event).toMatchObject({ version: "0", "detail-type": "AWS API Call via CloudTrail", source: "aws.iam", account: ACCOUNT, region: "us-east-1", resources: [] });
    const detail = event!.detail as Record<string, unknown>;
    expect(detail).toMatchObject({ eventName: "CreateUser", eventSource: "iam.amazonaws.com", requestParameters: { userName: "mallory" }, userIdentity: { type: "Root" } });
    expect(event!.time).toBe((detail.eventTime as string).replace(/\.\d+Z$/, "Z"));

    // The Invoke is EventBridge's own, recorded as an AWS service's call.
    const invoke = allRecords(server).filter((r) => r.eventName === "Invoke").at(-1)!;
    expect(invoke.userIdentity).toEqual({ type: "AWSService", invokedBy: "events.amazonaws.com" });
    expect(invoke.sourceIPAddress).toBe("events.amazonaws.com");
    expect(invoke.requestParameters).toEqual({ functionName: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:alert`, invocationType: "Event" });
  });

  it("a target whose function does not let EventBridge in fails without retries and counts as a failed invocation", async () => {
    const rule = await events.send(new PutRuleCommand({ Name: "no-permission", EventPattern: JSON.stringify({ source: ["aws.iam"], detail: { eventName: ["CreateUser"], requestParameters: { userName: ["trudy"] } } }) }));
    await events.send(new PutTargetsCommand({ Rule: "no-permission", Targets: [{ Id: "alert", Arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:alert` }] }));
    await iam.send(new CreateUserCommand({ UserName: "trudy" }));
    const runtime = eventsRuntime(server.localtrail.env);
    await expect.poll(() => runtime.ruleMetrics(rule.RuleArn!).FailedInvocations, POLL).toBe(1);
    expect(runtime.ruleMetrics(rule.RuleArn!)).toMatchObject({ MatchedEvents: 1, Invocations: 1, FailedInvocations: 1 });
    const denied = allRecords(server).filter((r) => r.eventName === "Invoke" && r.errorCode).at(-1);
    expect(denied?.errorCode).toBe("AccessDenied");
  });

  it("read-only calls reach only rules ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS", async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: "reads" }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: "writes-only" }));
    const pattern = JSON.stringify({ source: ["aws.iam"], detail: { eventName: ["ListUsers"] } });
    await events.send(new PutRuleCommand({ Name: "reads", EventPattern: pattern, State: "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS" }));
    await events.send(new PutRuleCommand({ Name: "plain", EventPattern: pattern }));
    await events.send(new PutTargetsCommand({ Rule: "reads", Targets: [{ Id: "log", Arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:reads` }] }));
    await events.send(new PutTargetsCommand({ Rule: "plain", Targets: [{ Id: "log", Arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:writes-only` }] }));
    await iam.send(new ListUsersCommand({}));
    await expect.poll(async () => (await messages("reads")).length, POLL).toBe(1);
    await eventsRuntime(server.localtrail.env).idle();
    expect(await messages("writes-only")).toEqual([]);
  });

  it("delivers to a target in the order the calls were recorded, also when they come at once", async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: "ordered" }));
    await events.send(new PutRuleCommand({ Name: "ordered", EventPattern: JSON.stringify({ source: ["aws.iam"], detail: { eventName: ["CreateGroup"], requestParameters: { groupName: [{ prefix: "burst-" }] } } }) }));
    await events.send(new PutTargetsCommand({ Rule: "ordered", Targets: [{ Id: "log", Arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:ordered` }] }));
    await Promise.all(Array.from({ length: 20 }, (_, i) => iam.send(new CreateGroupCommand({ GroupName: `burst-${i}` }))));
    await expect.poll(async () => (await messages("ordered")).length, POLL).toBe(20);
    const recorded = allRecords(server).filter((r) => r.eventName === "CreateGroup").map((r) => (r.requestParameters as { groupName: string }).groupName);
    // EventBridge writes each event to a log stream named by its id; the streams were created in delivery order.
    const streams = allRecords(server).filter((r) => r.eventName === "CreateLogStream" && (r.requestParameters as { logGroupName: string }).logGroupName === "ordered").map((r) => (r.requestParameters as { logStreamName: string }).logStreamName);
    const delivered: string[] = [];
    for (const stream of streams) {
      const out = await logs.send(new GetLogEventsCommand({ logGroupName: "ordered", logStreamName: stream }));
      const event = JSON.parse(out.events![0]!.message!) as { detail: { requestParameters: { groupName: string } } };
      delivered.push(event.detail.requestParameters.groupName);
    }
    expect(delivered).toEqual(recorded);
  });

  it("PutEvents puts custom events on a custom bus, shaped by an InputTransformer", async () => {
    await events.send(new CreateEventBusCommand({ Name: "orders" }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: "orders" }));
    await events.send(new PutRuleCommand({ Name: "big-orders", EventBusName: "orders", EventPattern: JSON.stringify({ source: ["shop"], detail: { total: [{ numeric: [">=", 100] }] } }) }));
    await events.send(
      new PutTargetsCommand({
        Rule: "big-orders",
        EventBusName: "orders",
        Targets: [{ Id: "log", Arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:orders`, InputTransformer: { InputPathsMap: { id: "$.detail.id", total: "$.detail.total" }, InputTemplate: '{"order": <id>, "text": "order <id> of <total>", "rule": <aws.events.rule-name>}' } }],
      }),
    );
    const out = await events.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: "orders", Source: "shop", DetailType: "Order", Detail: JSON.stringify({ id: "o-1", total: 250 }) },
          { EventBusName: "orders", Source: "shop", DetailType: "Order", Detail: JSON.stringify({ id: "o-2", total: 5 }) },
          { Source: "aws.iam", DetailType: "Forged", Detail: "{}" },
          { Source: "shop", DetailType: "Order", Detail: "not json" },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(2);
    expect(out.Entries![0]!.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.Entries![2]).toEqual({ ErrorCode: "NotAuthorizedForSourceException", ErrorMessage: "Not authorized for the source." });
    expect(out.Entries![3]).toMatchObject({ ErrorCode: "MalformedDetail" });
    await expect.poll(() => messages("orders"), POLL).toEqual([{ order: "o-1", text: "order o-1 of 250", rule: "big-orders" }]);
  });

  it("a rate() schedule fires Scheduled Events as emulated time passes", async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: "ticks" }));
    const rule = await events.send(new PutRuleCommand({ Name: "every-5", ScheduleExpression: "rate(5 minutes)" }));
    await events.send(new PutTargetsCommand({ Rule: "every-5", Targets: [{ Id: "log", Arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:ticks` }] }));
    await fetch(`${server.url}/_localtrail/clock`, { method: "POST", body: JSON.stringify({ advance: "PT6M" }) });
    await expect.poll(async () => (await messages("ticks")).length, POLL).toBe(1);
    expect((await messages("ticks"))[0]).toMatchObject({ "detail-type": "Scheduled Event", source: "aws.events", resources: [rule.RuleArn], detail: {} });
  });
});
