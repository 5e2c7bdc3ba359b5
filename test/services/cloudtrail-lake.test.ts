import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { aws, awsJson, boto3 } from "../helpers/cli.js";
import { lookupRecords } from "../helpers/records.js";

/** boto3 against the server, with a helper that waits for a Lake query to leave RUNNING. */
const PRELUDE = `
import time
ct = boto3.client("cloudtrail")
iam = boto3.client("iam")
def wait(qid):
    while True:
        d = ct.describe_query(QueryId=qid)
        if d["QueryStatus"] not in ("QUEUED", "RUNNING"):
            return d
        time.sleep(0.2)
def error(call, **kw):
    try:
        call(**kw)
    except ct.exceptions.ClientError as e:
        return e.response["Error"]["Code"]
    return None
`;

describe("CloudTrail Lake: event data stores and SQL queries over the history", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("boto3: create a store, query it with Trino SQL, page the results", async () => {
    const out = await boto3<Record<string, unknown>>(
      server.url,
      `${PRELUDE}
eds = ct.create_event_data_store(Name="investigation", TerminationProtectionEnabled=False)
eds_id = eds["EventDataStoreArn"].split("/")[-1]
for name in ["alice", "bob", "carol"]:
    iam.create_user(UserName=name)
# The CloudTrail User Guide's example shape: the store's id as the table, Lake's column names.
q = ct.start_query(QueryStatement=f"SELECT eventName, userIdentity.arn AS who, eventTime, requestParameters['userName'] AS target FROM {eds_id} WHERE eventName = 'CreateUser' AND eventTime > '2000-01-01 00:00:00' ORDER BY eventTime")
d = wait(q["QueryId"])
page1 = ct.get_query_results(QueryId=q["QueryId"], MaxQueryResults=2)
page2 = ct.get_query_results(QueryId=q["QueryId"], MaxQueryResults=2, NextToken=page1["NextToken"])
agg = ct.start_query(QueryStatement=f"SELECT eventName, count(*) AS count FROM {eds['EventDataStoreArn']} GROUP BY eventName ORDER BY count DESC, eventName")
wait(agg["QueryId"])
agg_rows = ct.get_query_results(QueryId=agg["QueryId"])["QueryResultRows"]
print(json.dumps({
  "create": {k: eds[k] for k in ["Name", "Status", "MultiRegionEnabled", "TerminationProtectionEnabled", "AdvancedEventSelectors"]},
  "get": ct.get_event_data_store(EventDataStore=eds_id)["Status"],
  "listed": [e["Name"] for e in ct.list_event_data_stores()["EventDataStores"]],
  "status": d["QueryStatus"], "stats": sorted(d["QueryStatistics"].keys()),
  "page1": page1["QueryResultRows"], "stats1": page1["QueryStatistics"], "page2": page2["QueryResultRows"], "more": "NextToken" in page2,
  "agg": agg_rows,
  "queries": [x["QueryStatus"] for x in ct.list_queries(EventDataStore=eds_id)["Queries"]],
}, default=str))
`,
    );
    expect(out.create).toEqual({
      Name: "investigation",
      Status: "CREATED",
      MultiRegionEnabled: true,
      TerminationProtectionEnabled: false,
      AdvancedEventSelectors: [{ Name: "Default management events", FieldSelectors: [{ Field: "eventCategory", Equals: ["Management"] }] }],
    });
    expect(out.get).toBe("ENABLED");
    expect(out.listed).toEqual(["investigation"]);
    expect(out.status).toBe("FINISHED");
    expect(out.stats).toEqual(["BytesScanned", "CreationTime", "EventsMatched", "EventsScanned", "ExecutionTimeInMillis"]);
    const page1 = out.page1 as Record<string, string>[][];
    expect(page1).toHaveLength(2);
    expect(page1[0]).toEqual([
      // Keyed by Lake's column names (the User Guide's examples: eventName, eventTime; a struct's field by its own name).
      { eventName: "CreateUser" },
      { who: "arn:aws:iam::000000000000:root" },
      { eventTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.000$/) },
      { target: "alice" },
    ]);
    expect(out.stats1).toEqual({ ResultsCount: 2, TotalResultsCount: 3, BytesScanned: 0 });
    expect((out.page2 as Record<string, string>[][]).map((r) => r[3])).toEqual([{ target: "carol" }]);
    expect(out.more).toBe(false);
    // Every call so far is in the store, the first StartQuery included: it was recorded before the second ran.
    // (DescribeQuery's count depends on how often the script polled.)
    const agg = out.agg as [{ eventName: string }, { count: string }][];
    expect(agg).toContainEqual([{ eventName: "CreateUser" }, { count: "3" }]);
    expect(agg.map(([, c]) => Number(c.count))).toEqual(agg.map(([, c]) => Number(c.count)).sort((a, b) => b - a));
    expect(out.agg).toContainEqual([{ eventName: "CreateEventDataStore" }, { count: "1" }]);
    expect(out.queries).toEqual(["FINISHED", "FINISHED"]);
  });

  it("answers Lake's errors from the model", async () => {
    const out = await boto3<Record<string, string | null>>(
      server.url,
      `${PRELUDE}
eds = ct.create_event_data_store(Name="protected")
eds_id = eds["EventDataStoreArn"].split("/")[-1]
done = ct.start_query(QueryStatement=f"SELECT eventid FROM {eds_id} LIMIT 1")
wait(done["QueryId"])
print(json.dumps({
  "syntax": error(ct.start_query, QueryStatement=f"SELEC eventName FROM {eds_id}"),
  "notSelect": error(ct.start_query, QueryStatement=f"DELETE FROM {eds_id}"),
  "noStore": error(ct.start_query, QueryStatement="SELECT eventName FROM cloudtrail_logs"),
  "unknownStore": error(ct.start_query, QueryStatement="SELECT eventName FROM 00000000-0000-4000-8000-000000000000"),
  "badArn": error(ct.get_event_data_store, EventDataStore="nope"),
  "duplicate": error(ct.create_event_data_store, Name="protected"),
  "protected": error(ct.delete_event_data_store, EventDataStore=eds_id),
  "unknownQuery": error(ct.describe_query, QueryId="00000000-0000-4000-8000-000000000000"),
  "cancelFinished": error(ct.cancel_query, QueryId=done["QueryId"]),
}))
`,
    );
    expect(out).toEqual({
      syntax: "InvalidQueryStatementException",
      notSelect: "InvalidQueryStatementException",
      noStore: "InvalidQueryStatementException",
      unknownStore: "EventDataStoreNotFoundException",
      badArn: "EventDataStoreARNInvalidException",
      duplicate: "EventDataStoreAlreadyExistsException",
      protected: "EventDataStoreTerminationProtectedException",
      unknownQuery: "QueryIdNotFoundException",
      cancelFinished: "InactiveQueryException",
    });
  });

  it("the AWS CLI: start-query, describe-query, get-query-results; a deleted store is pending deletion", async () => {
    const { EventDataStoreArn } = await awsJson<{ EventDataStoreArn: string }>(server.url, ["cloudtrail", "create-event-data-store", "--name", "cli-store", "--no-termination-protection-enabled"]);
    await awsJson(server.url, ["iam", "create-user", "--user-name", "dave"]);
    const { QueryId } = await awsJson<{ QueryId: string }>(server.url, [
      "cloudtrail",
      "start-query",
      "--query-statement",
      `SELECT eventSource, eventName, userIdentity.principalid FROM ${EventDataStoreArn.split("/")[1]} WHERE eventName = 'CreateUser'`,
    ]);
    await expect.poll(async () => (await awsJson<{ QueryStatus: string }>(server.url, ["cloudtrail", "describe-query", "--query-id", QueryId])).QueryStatus, { timeout: 300_000 }).toBe("FINISHED");
    const results = await awsJson<{ QueryResultRows: Record<string, string>[][] }>(server.url, ["cloudtrail", "get-query-results", "--query-id", QueryId]);
    expect(results.QueryResultRows).toEqual([[{ eventSource: "iam.amazonaws.com" }, { eventName: "CreateUser" }, { principalid: "000000000000" }]]);
    await awsJson(server.url, ["cloudtrail", "delete-event-data-store", "--event-data-store", EventDataStoreArn]);
    expect((await awsJson<{ Status: string }>(server.url, ["cloudtrail", "get-event-data-store", "--event-data-store", EventDataStoreArn])).Status).toBe("PENDING_DELETION");
    const inactive = await aws(server.url, ["cloudtrail", "start-query", "--query-statement", `SELECT eventName FROM ${EventDataStoreArn.split("/")[1]}`]);
    expect(inactive.stderr).toContain("InactiveEventDataStoreException");
  });

  it("records Lake's calls like any other", async () => {
    const records = await lookupRecords(server.url, "EventName", "StartQuery");
    // The newest was refused (the store was being deleted): recorded with its error, no response.
    expect(records[0]).toMatchObject({ errorCode: "InactiveEventDataStoreException", responseElements: null });
    const started = records.find((r) => !r.errorCode);
    expect(started).toMatchObject({ eventSource: "cloudtrail.amazonaws.com", requestParameters: { queryStatement: expect.stringContaining("SELECT") } });
    expect(started!.responseElements).toMatchObject({ queryId: expect.any(String) });
  });

  it("runs the CloudTrail User Guide's example Lake queries unchanged (but for the store id and the day)", async () => {
    // awsdocs query-lake-examples.md, each as written there; results keyed as Lake keys them.
    const out = await boto3<Record<string, unknown>>(
      server.url,
      `${PRELUDE}
import datetime
s3 = boto3.client("s3")
eds = ct.create_event_data_store(Name="samples", TerminationProtectionEnabled=False)
eds_id = eds["EventDataStoreArn"].split("/")[-1]
s3.create_bucket(Bucket="lake-samples")
today = datetime.datetime.now(datetime.timezone.utc).date()
day, next_day = today.isoformat(), (today + datetime.timedelta(days=1)).isoformat()
samples = {
  "principals": "SELECT userIdentity.principalid, eventName FROM event_data_store_ID WHERE userIdentity.principalid IS NOT NULL AND eventTime > '2023-01-22 00:00:00' AND eventTime < '2023-01-23 00:00:00' AND eventName='CreateBucket'",
  "apis": "SELECT eventID, eventName, eventSource, eventTime FROM event_data_store_ID WHERE userIdentity.username = 'bob' AND eventTime > '2023-01-22 00:00:00' AND eventTime < '2023-01-23 00:00:00'",
  "counts": "SELECT eventSource, eventName, COUNT(*) AS apiCount FROM event_data_store_ID WHERE eventTime > '2023-01-01 00:00:00' GROUP BY eventSource, eventName ORDER BY apiCount DESC",
  "logins": "SELECT eventTime, useridentity.arn, awsRegion FROM event_data_store_ID WHERE awsRegion in ('us-east-1', 'us-west-2') AND eventName = 'ConsoleLogin'",
  "queries": "SELECT element_at(responseElements, 'queryId'), element_at(requestParameters, 'queryStatement') FROM event_data_store_ID WHERE eventName='StartQuery' AND eventSource = 'cloudtrail.amazonaws.com' AND responseElements IS NOT NULL AND eventTime > '2023-01-01 00:00:00' AND eventTime < '2023-02-01 00:00:00'",
}
results = {}
for name, sql in samples.items():
  sql = sql.replace("event_data_store_ID", eds_id).replace("2023-01-22", day).replace("2023-01-23", next_day).replace("2023-02-01", next_day)
  q = ct.start_query(QueryStatement=sql)
  d = wait(q["QueryId"])
  results[name] = {"status": d["QueryStatus"], "error": d.get("ErrorMessage"), "rows": ct.get_query_results(QueryId=q["QueryId"])["QueryResultRows"]}
results["queryId"] = q["QueryId"]
print(json.dumps(results))
`,
    );
    const rows = (name: string) => (out[name] as { rows: Record<string, string>[][] }).rows;
    for (const name of ["principals", "apis", "counts", "logins", "queries"]) expect(out[name], name).toMatchObject({ status: "FINISHED", error: null });
    expect(rows("principals")).toEqual([[{ principalid: "000000000000" }, { eventName: "CreateBucket" }]]);
    // Bob (the first test's user) made no calls himself.
    expect(rows("apis")).toEqual([]);
    expect(rows("counts")[0]).toEqual([{ eventSource: expect.any(String) }, { eventName: expect.any(String) }, { apiCount: expect.stringMatching(/^\d+$/) }]);
    expect(rows("logins")).toEqual([]);
    // Unnamed expressions are _col0, _col1 as Trino names them; the earlier StartQuery calls are there.
    expect(rows("queries").length).toBeGreaterThanOrEqual(4);
    expect(rows("queries")[0]).toEqual([{ _col0: expect.stringMatching(/^[0-9a-f-]{36}$/) }, { _col1: expect.stringContaining("SELECT") }]);
  });
});
