import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IAMClient, SimulateCustomPolicyCommand, SimulatePrincipalPolicyCommand } from "@aws-sdk/client-iam";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, failure } from "../helpers/clients.js";
import { awsJson } from "../helpers/cli.js";
import { policy, userWith } from "./principals.js";

/** IAM's policy simulator answered by the evaluator that enforces (enforcement need not be on). */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
const iam = () => new IAMClient(clientConfig(server.url));

describe("SimulatePrincipalPolicy and SimulateCustomPolicy", () => {
  it("decides a user's actions with its inline and managed policies, naming the deciding policy", async () => {
    await userWith(server.url, "sim", {
      inline: [[{ Effect: "Allow", Action: "s3:*", Resource: "*" }, { Effect: "Deny", Action: "s3:DeleteBucket", Resource: "*" }]],
      managed: ["arn:aws:iam::aws:policy/IAMReadOnlyAccess"],
    });
    const out = await iam().send(
      new SimulatePrincipalPolicyCommand({ PolicySourceArn: "arn:aws:iam::000000000000:user/sim", ActionNames: ["s3:GetObject", "s3:DeleteBucket", "iam:ListUsers", "iam:CreateUser"] }),
    );
    expect(out.EvaluationResults?.map((r) => [r.EvalActionName, r.EvalResourceName, r.EvalDecision])).toEqual([
      ["s3:GetObject", "*", "allowed"],
      ["s3:DeleteBucket", "*", "explicitDeny"],
      ["iam:ListUsers", "*", "allowed"],
      ["iam:CreateUser", "*", "implicitDeny"],
    ]);
    expect(out.EvaluationResults?.[0]?.MatchedStatements).toEqual([{ SourcePolicyId: "p0", SourcePolicyType: "user" }]);
    expect(out.EvaluationResults?.[2]?.MatchedStatements).toEqual([{ SourcePolicyId: "IAMReadOnlyAccess", SourcePolicyType: "aws-managed" }]);
    expect((await failure(iam().send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: "arn:aws:iam::000000000000:user/ghost", ActionNames: ["s3:GetObject"] })))).name).toBe("NoSuchEntityException");
  });

  it("evaluates custom policies with context entries and reports the keys it was not given", async () => {
    const doc = policy({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*", Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } } });
    const inside = await iam().send(
      new SimulateCustomPolicyCommand({ PolicyInputList: [doc], ActionNames: ["s3:GetObject"], ResourceArns: ["arn:aws:s3:::b/k", "arn:aws:s3:::other/k"], ContextEntries: [{ ContextKeyName: "aws:SourceIp", ContextKeyType: "ip", ContextKeyValues: ["10.1.2.3"] }] }),
    );
    expect(inside.EvaluationResults?.map((r) => r.EvalDecision)).toEqual(["allowed", "implicitDeny"]);
    const without = await iam().send(new SimulateCustomPolicyCommand({ PolicyInputList: [doc], ActionNames: ["s3:GetObject"], ResourceArns: ["arn:aws:s3:::b/k"] }));
    expect(without.EvaluationResults?.[0]).toMatchObject({ EvalDecision: "implicitDeny", MissingContextValues: ["aws:SourceIp"] });
  });

  it("answers the AWS CLI", async () => {
    const out = await awsJson<{ EvaluationResults: { EvalDecision: string }[] }>(server.url, [
      "iam", "simulate-custom-policy", "--policy-input-list", policy({ Effect: "Allow", Action: "iam:*", Resource: "*" }), "--action-names", "iam:CreateUser", "sts:AssumeRole",
    ]);
    expect(out.EvaluationResults.map((r) => r.EvalDecision)).toEqual(["allowed", "implicitDeny"]);
  });
});
