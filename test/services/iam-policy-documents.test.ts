import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreatePolicyCommand, CreateRoleCommand, IAMClient, PutGroupPolicyCommand, CreateGroupCommand } from "@aws-sdk/client-iam";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig } from "../helpers/clients.js";

/** A statement with the usual parts, `changes` replacing or (when undefined) removing some. */
function withStatement(changes: Record<string, unknown>, top: Record<string, unknown> = { Version: "2012-10-17" }): string {
  const statement: Record<string, unknown> = { Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::example_bucket" };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete statement[k];
    else statement[k] = v;
  }
  return JSON.stringify({ ...top, Statement: statement });
}

// Documents and the messages IAM answers them with (as recorded against AWS by other emulators' validated suites).
const IDENTITY_CASES: [string, string, string][] = [
  ["not JSON", "This is not a json document", "Syntax errors in policy."],
  ["no Version", JSON.stringify({ Statement: { Effect: "Allow", Action: "s3:ListBucket", Resource: "*" } }), "Policy document must be version 2012-10-17 or greater."],
  ["the 2008 grammar", withStatement({}, { Version: "2008-10-17" }), "Policy document must be version 2012-10-17 or greater."],
  ["an unknown version", withStatement({}, { Version: "2013-10-17" }), "Syntax errors in policy."],
  ["no Statement", JSON.stringify({ Version: "2012-10-17" }), "Syntax errors in policy."],
  ["an extra top-level field", withStatement({}, { Version: "2012-10-17", "Extra field": "value" }), "Syntax errors in policy."],
  ["an extra statement field", withStatement({ "Extra field": "value" }), "Syntax errors in policy."],
  ["an unknown Effect", withStatement({ Effect: "invalid" }), "Syntax errors in policy."],
  ["no Effect", withStatement({ Effect: undefined }), "Syntax errors in policy."],
  ["an Effect in the wrong case", withStatement({ Effect: "denY" }), "The policy failed legacy parsing"],
  ["no Action", withStatement({ Action: undefined }), "Policy statement must contain actions."],
  ["an empty Action list", withStatement({ Action: [] }), "Policy statement must contain actions."],
  ["no Resource", withStatement({ Resource: undefined }), "Policy statement must contain resources."],
  ["an action without vendor", withStatement({ Action: "invalid" }), "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."],
  ["an action with two colons", withStatement({ Action: "s3:List:Bucket" }), "Actions/Condition can contain only one colon."],
  ["a vendor with a space", withStatement({ Action: "a a:ListBucket" }), "Vendor a a is not valid"],
  ["a resource that is not an ARN", withStatement({ Resource: "invalid resource" }), 'Resource invalid resource must be in ARN format or "*".'],
  ["an unknown partition", withStatement({ NotAction: "s3s:ListBucket", Action: undefined, Resource: "a:b:c:d:e:f:g:h" }), 'Partition "b" is not valid for resource "arn:b:c:d:e:f:g:h".'],
  ["a short ARN", withStatement({ Resource: "arn:aws:s3::example_bucket" }), "The policy failed legacy parsing"],
  ["a regional IAM ARN", withStatement({ Resource: "arn:aws:iam:us-east-1::example_bucket" }), "IAM resource arn:aws:iam:us-east-1::example_bucket cannot contain region information."],
  ["an IAM ARN of no known kind", withStatement({ Resource: "arn:aws:iam:::example_bucket" }), 'IAM resource path must either be "*", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.'],
  ["a bad date condition", withStatement({ Condition: { DateGreaterThan: { a: "sdfdsf" } } }), "The policy failed legacy parsing"],
  ["an unknown condition operator", withStatement({ Condition: { x: { a: "1" } } }), "Syntax errors in policy."],
  ["a Principal", withStatement({ Principal: { AWS: "*" } }), "Policy document should not specify a principal."],
  [
    "duplicate statement ids",
    JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "sdf", Effect: "Allow", Action: "s3:ListBucket", Resource: "*" }, { Sid: "sdf", Effect: "Allow", Action: "s3:ListBucket", Resource: "*" }] }),
    "Statement IDs (SID) in a single policy must be unique.",
  ],
];

const VALID_IDENTITY: string[] = [
  withStatement({ Action: "*" }),
  withStatement({ Resource: ["arn:aws:s3:::example_bucket", "*"] }),
  withStatement({ Action: "iam: asdf safdsf af " }),
  withStatement({ Resource: "arn:aws:iam:::user/example_bucket" }),
  withStatement({ Resource: "arn:aws:s33:::example_bucket" }),
  withStatement({ Condition: { DateGreaterThan: { "aws:CurrentTime": "2017-07-01T00:00:00Z" } } }),
  withStatement({ Condition: { "ForAnyValue:StringEqualsIfExists": { a: "asf" } } }),
  withStatement({ NotAction: "s3:ListBucket", Action: undefined, NotResource: "*", Resource: undefined }),
];

describe("IAM policy documents", () => {
  let server: TestServer;
  let iam: IAMClient;
  let n = 0;
  beforeAll(async () => {
    server = await startTestServer();
    iam = new IAMClient(clientConfig(server.url));
  });
  afterAll(() => server.close());

  it.each(IDENTITY_CASES)("refuses an identity policy with %s", async (_what, document, message) => {
    const err = await iam.send(new CreatePolicyCommand({ PolicyName: `p${n++}`, PolicyDocument: document })).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "MalformedPolicyDocumentException", message, $metadata: { httpStatusCode: 400 } });
  });

  it("accepts the identity policies IAM accepts", async () => {
    for (const document of VALID_IDENTITY) await iam.send(new CreatePolicyCommand({ PolicyName: `ok${n++}`, PolicyDocument: document }));
  });

  it("applies the same grammar to inline policies", async () => {
    await iam.send(new CreateGroupCommand({ GroupName: "g" }));
    const err = await iam.send(new PutGroupPolicyCommand({ GroupName: "g", PolicyName: "p", PolicyDocument: withStatement({ Resource: ["adf"] }) })).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "MalformedPolicyDocumentException", message: 'Resource adf must be in ARN format or "*".' });
  });

  it("checks trust policies with the trust-policy parser's own messages", async () => {
    const trust = (changes: Record<string, unknown>) => withStatement({ Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole", Resource: undefined, ...changes });
    const cases: [string, string][] = [
      ["{oops", "This policy contains invalid Json"],
      [trust({ Resource: "*" }), "Has prohibited field Resource"],
      [trust({ NotResource: "*" }), "AssumeRole policy must not contain resources."],
      [trust({ Action: "*" }), "AssumeRole policy may only specify STS AssumeRole actions."],
      [trust({ Principal: undefined }), "Missing required field Principal"],
      [trust({ Principal: {} }), "Missing required field Principal cannot be empty!"],
      [trust({ Effect: "Maybe" }), "Invalid effect: Maybe"],
      [trust({ NotPrincipal: { AWS: "*" }, Principal: undefined }), "Allow with NotPrincipal is not allowed."],
      [JSON.stringify({ Version: "2012-10-17", Statement: [] }), "Could not parse the policy: Statement is empty!"],
    ];
    for (const [document, message] of cases) {
      const err = await iam.send(new CreateRoleCommand({ RoleName: `r${n++}`, AssumeRolePolicyDocument: document })).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: "MalformedPolicyDocumentException", message });
    }
    await iam.send(new CreateRoleCommand({ RoleName: "any", AssumeRolePolicyDocument: trust({ Principal: "*", Action: ["sts:AssumeRole", "sts:TagSession"] }) }));
  });

  it("caps a trust policy at 2048 characters", async () => {
    const arns = Array.from({ length: 60 }, (_, i) => `arn:aws:iam::${String(i).padStart(12, "0")}:root`);
    const document = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: arns }, Action: "sts:AssumeRole" }] });
    const err = await iam.send(new CreateRoleCommand({ RoleName: "wide", AssumeRolePolicyDocument: document })).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "LimitExceededException", message: "Cannot exceed quota for ACLSizePerRole: 2048", $metadata: { httpStatusCode: 409 } });
  });
});
