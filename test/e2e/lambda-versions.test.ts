import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  InvokeCommand,
  LambdaClient,
  ListAliasesCommand,
  ListTagsCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  RemovePermissionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
} from "@aws-sdk/client-lambda";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig } from "../helpers/clients.js";
import { latestRecord } from "../helpers/records.js";
import { allRecords, createRole, zipOf } from "../fixtures/lambda/functions.js";

const ACCOUNT = "000000000000";
const ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:versioned`;
const source = (answer: string) => ({ "index.js": `exports.handler = async () => ${JSON.stringify(answer)};` });
const payload = (bytes: Uint8Array | undefined) => JSON.parse(Buffer.from(bytes ?? []).toString("utf8")) as unknown;

describe("Lambda versions, aliases, resource policies and tags through SDK v3", () => {
  let server: TestServer;
  let lambda: LambdaClient;

  beforeAll(async () => {
    server = await startTestServer();
    lambda = new LambdaClient(clientConfig(server.url));
    const role = await createRole(server.url, "versions-role");
    await lambda.send(new CreateFunctionCommand({ FunctionName: "versioned", Runtime: "nodejs20.x", Role: role, Handler: "index.handler", Code: { ZipFile: zipOf(source("one")) }, Publish: true, Timeout: 300 }));
  });
  afterAll(() => server.close());

  it("publishes versions as snapshots, numbered, and does not publish an unchanged $LATEST again", async () => {
    const v1 = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "versioned", Qualifier: "1" }));
    expect(v1).toMatchObject({ Version: "1", FunctionArn: `${ARN}:1` });
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "versioned", ZipFile: zipOf(source("two")) }));
    const v2 = await lambda.send(new PublishVersionCommand({ FunctionName: "versioned", Description: "second" }));
    expect(v2).toMatchObject({ Version: "2", FunctionArn: `${ARN}:2`, Description: "second", $metadata: { httpStatusCode: 201 } });
    const again = await lambda.send(new PublishVersionCommand({ FunctionName: "versioned" }));
    expect(again.Version).toBe("2");
    const listed = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: "versioned" }));
    expect(listed.Versions?.map((v) => [v.Version, v.FunctionArn])).toEqual([
      ["$LATEST", `${ARN}:$LATEST`],
      ["1", `${ARN}:1`],
      ["2", `${ARN}:2`],
    ]);
    expect((await latestRecord(server.url, "PublishVersion20150331")).responseElements).toMatchObject({ version: "2", functionArn: `${ARN}:2` });
  });

  it("invokes a published version's own code, by Qualifier or qualified ARN", async () => {
    const one = await lambda.send(new InvokeCommand({ FunctionName: "versioned", Qualifier: "1" }));
    expect([payload(one.Payload), one.ExecutedVersion]).toEqual(["one", "1"]);
    const two = await lambda.send(new InvokeCommand({ FunctionName: `${ARN}:2` }));
    expect([payload(two.Payload), two.ExecutedVersion]).toEqual(["two", "2"]);
    const record = allRecords(server).find((r) => r.requestID === two.$metadata.requestId);
    expect(record?.additionalEventData).toEqual({ functionVersion: `${ARN}:2` });
    await expect(lambda.send(new InvokeCommand({ FunctionName: "versioned", Qualifier: "9" }))).rejects.toMatchObject({ name: "ResourceNotFoundException", message: `Function not found: ${ARN}:9` });
  });

  it("creates, reads, lists, updates and deletes aliases, and invokes through them", async () => {
    const created = await lambda.send(new CreateAliasCommand({ FunctionName: "versioned", Name: "live", FunctionVersion: "1", Description: "prod" }));
    expect(created).toMatchObject({ AliasArn: `${ARN}:live`, Name: "live", FunctionVersion: "1", Description: "prod", $metadata: { httpStatusCode: 201 } });
    await expect(lambda.send(new CreateAliasCommand({ FunctionName: "versioned", Name: "live", FunctionVersion: "1" }))).rejects.toMatchObject({ name: "ResourceConflictException" });
    await expect(lambda.send(new CreateAliasCommand({ FunctionName: "versioned", Name: "bad", FunctionVersion: "7" }))).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    expect(payload((await lambda.send(new InvokeCommand({ FunctionName: "versioned:live" }))).Payload)).toBe("one");

    const updated = await lambda.send(new UpdateAliasCommand({ FunctionName: "versioned", Name: "live", FunctionVersion: "2", RevisionId: created.RevisionId }));
    expect(updated.FunctionVersion).toBe("2");
    const viaAlias = await lambda.send(new InvokeCommand({ FunctionName: "versioned", Qualifier: "live" }));
    expect([payload(viaAlias.Payload), viaAlias.ExecutedVersion]).toEqual(["two", "2"]);
    // All traffic weighted to version 1 runs version 1.
    await lambda.send(new UpdateAliasCommand({ FunctionName: "versioned", Name: "live", RoutingConfig: { AdditionalVersionWeights: { "1": 1 } } }));
    expect((await lambda.send(new InvokeCommand({ FunctionName: "versioned", Qualifier: "live" }))).ExecutedVersion).toBe("1");

    expect((await lambda.send(new GetAliasCommand({ FunctionName: "versioned", Name: "live" }))).RoutingConfig).toEqual({ AdditionalVersionWeights: { "1": 1 } });
    expect((await lambda.send(new ListAliasesCommand({ FunctionName: "versioned" }))).Aliases?.map((a) => a.Name)).toEqual(["live"]);
    await expect(lambda.send(new DeleteFunctionCommand({ FunctionName: "versioned", Qualifier: "2" }))).rejects.toMatchObject({ name: "ResourceConflictException" });
    expect((await lambda.send(new DeleteAliasCommand({ FunctionName: "versioned", Name: "live" }))).$metadata.httpStatusCode).toBe(204);
    await expect(lambda.send(new GetAliasCommand({ FunctionName: "versioned", Name: "live" }))).rejects.toMatchObject({ name: "ResourceNotFoundException", message: `Cannot find alias arn: ${ARN}:live` });
    expect(allRecords(server).find((r) => r.requestID === created.$metadata.requestId)).toMatchObject({
      eventName: "CreateAlias20150331",
      requestParameters: { functionName: "versioned", name: "live", functionVersion: "1", description: "prod" },
      responseElements: { aliasArn: `${ARN}:live`, name: "live", functionVersion: "1", description: "prod", revisionId: created.RevisionId },
    });
    expect(await latestRecord(server.url, "DeleteAlias20150331")).toMatchObject({ requestParameters: { functionName: "versioned", name: "live" }, responseElements: null });
  });

  it("builds the resource policy AWS builds from AddPermission, per qualifier", async () => {
    const added = await lambda.send(
      new AddPermissionCommand({ FunctionName: "versioned", StatementId: "s3", Action: "lambda:InvokeFunction", Principal: "s3.amazonaws.com", SourceArn: "arn:aws:s3:::my-bucket", SourceAccount: ACCOUNT }),
    );
    expect(added.$metadata.httpStatusCode).toBe(201);
    const statement = {
      Sid: "s3",
      Effect: "Allow",
      Principal: { Service: "s3.amazonaws.com" },
      Action: "lambda:InvokeFunction",
      Resource: ARN,
      Condition: { StringEquals: { "AWS:SourceAccount": ACCOUNT }, ArnLike: { "AWS:SourceArn": "arn:aws:s3:::my-bucket" } },
    };
    expect(added.Statement).toBe(JSON.stringify(statement));
    await lambda.send(new AddPermissionCommand({ FunctionName: "versioned", StatementId: "other-account", Action: "lambda:InvokeFunction", Principal: "111122223333" }));
    const policy = await lambda.send(new GetPolicyCommand({ FunctionName: "versioned" }));
    expect(JSON.parse(policy.Policy!)).toEqual({
      Version: "2012-10-17",
      Id: "default",
      Statement: [statement, { Sid: "other-account", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "lambda:InvokeFunction", Resource: ARN }],
    });
    expect(policy.RevisionId).toBe((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "versioned" }))).RevisionId);

    await expect(lambda.send(new AddPermissionCommand({ FunctionName: "versioned", StatementId: "s3", Action: "lambda:InvokeFunction", Principal: "sns.amazonaws.com" }))).rejects.toMatchObject({
      name: "ResourceConflictException",
      message: "The statement id (s3) provided already exists. Please provide a new statement id, or remove the existing statement.",
    });
    const onVersion = await lambda.send(new AddPermissionCommand({ FunctionName: "versioned", Qualifier: "1", StatementId: "v1", Action: "lambda:GetFunction", Principal: "*" }));
    expect(JSON.parse(onVersion.Statement!)).toMatchObject({ Principal: "*", Resource: `${ARN}:1` });
    await expect(lambda.send(new GetPolicyCommand({ FunctionName: "versioned", Qualifier: "2" }))).rejects.toMatchObject({ name: "ResourceNotFoundException" });

    expect((await lambda.send(new RemovePermissionCommand({ FunctionName: "versioned", StatementId: "s3" }))).$metadata.httpStatusCode).toBe(204);
    await expect(lambda.send(new RemovePermissionCommand({ FunctionName: "versioned", StatementId: "s3" }))).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      message: "Statement s3 is not found in resource policy.",
    });
    const record = await latestRecord(server.url, "AddPermission20150331v2");
    expect(record).toMatchObject({ requestParameters: { functionName: "versioned", statementId: "v1", action: "lambda:GetFunction", principal: "*", qualifier: "1" } });
    expect(record.responseElements).toEqual({ statement: onVersion.Statement });
    expect(await latestRecord(server.url, "GetPolicy20150331v2")).toMatchObject({ readOnly: true, responseElements: null });
  });

  it("tags the function by ARN, not its versions", async () => {
    expect((await lambda.send(new TagResourceCommand({ Resource: ARN, Tags: { env: "dev", team: "x" } }))).$metadata.httpStatusCode).toBe(204);
    await lambda.send(new UntagResourceCommand({ Resource: ARN, TagKeys: ["team"] }));
    expect((await lambda.send(new ListTagsCommand({ Resource: ARN }))).Tags).toEqual({ env: "dev" });
    await expect(lambda.send(new TagResourceCommand({ Resource: `${ARN}:1`, Tags: { a: "b" } }))).rejects.toMatchObject({ name: "InvalidParameterValueException" });
    await expect(lambda.send(new ListTagsCommand({ Resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:gone` }))).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    expect(await latestRecord(server.url, "TagResource20170331v2")).toMatchObject({ requestParameters: { resource: `${ARN}:1`, tags: { a: "b" } }, errorCode: "InvalidParameterValueException" });
    expect(await latestRecord(server.url, "UntagResource20170331v2")).toMatchObject({ requestParameters: { resource: ARN, tagKeys: ["team"] } });
  });
});
