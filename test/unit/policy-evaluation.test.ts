import { describe, expect, it } from "vitest";
import { evaluate, type EvaluationInput, type PolicyRef } from "../../src/enforcement/evaluate.js";
import { compilePolicy } from "../../src/enforcement/policy/compile-policy.js";
import { fixedContext } from "../../src/enforcement/policy/request-context.js";
import { denialMessage } from "../../src/enforcement/denial.js";

/** The examples of reference/iam-enforcement.md §1-§2 (IAM User Guide, policy evaluation logic and grammar). */
const ACCOUNT = "111122223333";
const OTHER = "444455556666";
const user = { type: "IAMUser" as const, arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT };
const session = { type: "AssumedRole" as const, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/App/s1`, accountId: ACCOUNT, roleArn: `arn:aws:iam::${ACCOUNT}:role/App` };
const root = { type: "Root" as const, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT };

const ref = (statements: unknown[], name = "policy", version = "2012-10-17"): PolicyRef => ({
  policy: compilePolicy(JSON.stringify({ Version: version, Statement: statements })),
  name,
  arn: `arn:aws:iam::${ACCOUNT}:policy/${name}`,
});
const allow = (Action: unknown, Resource: unknown = "*", extra: object = {}) => ({ Effect: "Allow", Action, Resource, ...extra });
const deny = (Action: unknown, Resource: unknown = "*", extra: object = {}) => ({ Effect: "Deny", Action, Resource, ...extra });

function decide(partial: Partial<EvaluationInput> & { action: string }, keys: Record<string, string | string[]> = {}) {
  return evaluate({ principal: user, identity: [], resource: "*", context: fixedContext({ "aws:username": "alice", ...keys }), ...partial });
}

describe("policy evaluation logic", () => {
  it("denies by default, allows what an identity policy allows, and an explicit deny wins", () => {
    expect(decide({ action: "iam:CreateUser" })).toMatchObject({ allowed: false, explicit: false, layer: "identity" });
    expect(decide({ action: "iam:CreateUser", identity: [ref([allow("iam:*")])] }).allowed).toBe(true);
    const both = decide({ action: "iam:CreateUser", identity: [ref([allow("*")]), ref([deny("iam:Create*")], "DenyCreate")] });
    expect(both).toMatchObject({ allowed: false, explicit: true, layer: "identity" });
    expect(both.hit?.ref.name).toBe("DenyCreate");
  });

  it("matches actions case-insensitively with wildcards, and NotAction grants everything else", () => {
    expect(decide({ action: "iam:CreateAccessKey", identity: [ref([allow("IAM:*accesskey*")])] }).allowed).toBe(true);
    expect(decide({ action: "iam:CreateUser", identity: [ref([allow("iam:?reateUser")])] }).allowed).toBe(true);
    const notIam = [ref([{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }])];
    expect(decide({ action: "s3:GetObject", identity: notIam }).allowed).toBe(true);
    expect(decide({ action: "iam:CreateUser", identity: notIam }).allowed).toBe(false);
  });

  it("matches resources case-sensitively, * crossing / in the resource part, and NotResource", () => {
    const p = [ref([allow("s3:GetObject", "arn:aws:s3:::bkt/*/test/*")])];
    expect(decide({ action: "s3:GetObject", resource: "arn:aws:s3:::bkt/1/2/test/3/x", identity: p }).allowed).toBe(true);
    expect(decide({ action: "s3:GetObject", resource: "arn:aws:s3:::BKT/1/test/x", identity: p }).allowed).toBe(false);
    expect(decide({ action: "iam:GetUser", resource: `arn:aws:iam::${ACCOUNT}:user/Alice`, identity: [ref([allow("iam:GetUser", `arn:aws:iam::${ACCOUNT}:user/alice`)])] }).allowed).toBe(false);
    const everythingBut = [ref([allow("*"), { Effect: "Deny", Action: "s3:*", NotResource: ["arn:aws:s3:::safe", "arn:aws:s3:::safe/*"] }])];
    expect(decide({ action: "s3:PutObject", resource: "arn:aws:s3:::safe/k", identity: everythingBut }).allowed).toBe(true);
    expect(decide({ action: "s3:PutObject", resource: "arn:aws:s3:::other/k", identity: everythingBut })).toMatchObject({ allowed: false, explicit: true });
    // ? is one character within a part; a * in the region part does not cross colons.
    expect(decide({ action: "logs:PutLogEvents", resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:g1:log-stream:s`, identity: [ref([allow("logs:*", `arn:aws:logs:*:${ACCOUNT}:log-group:g?:*`)])] }).allowed).toBe(true);
  });

  it("expands policy variables only under 2012-10-17, and a variable without a value matches nothing", () => {
    const home = (version: string) => [ref([allow("s3:PutObject", "arn:aws:s3:::home/${aws:username}/*")], "home", version)];
    expect(decide({ action: "s3:PutObject", resource: "arn:aws:s3:::home/alice/notes", identity: home("2012-10-17") }).allowed).toBe(true);
    expect(decide({ action: "s3:PutObject", resource: "arn:aws:s3:::home/bob/notes", identity: home("2012-10-17") }).allowed).toBe(false);
    expect(decide({ action: "s3:PutObject", resource: "arn:aws:s3:::home/alice/notes", identity: home("2008-10-17") }).allowed).toBe(false);
    expect(decide({ action: "s3:PutObject", resource: "arn:aws:s3:::home/${aws:username}/notes", identity: home("2008-10-17") }).allowed).toBe(true);
    const team = [ref([allow("s3:GetObject", "arn:aws:s3:::team/${aws:PrincipalTag/team, 'shared'}/*")])];
    expect(decide({ action: "s3:GetObject", resource: "arn:aws:s3:::team/shared/x", identity: team }).allowed).toBe(true);
    expect(decide({ action: "s3:GetObject", resource: "arn:aws:s3:::team/red/x", identity: team }, { "aws:PrincipalTag/team": "red" }).allowed).toBe(true);
    const noValue = [ref([allow("s3:GetObject", "arn:aws:s3:::x/${aws:PrincipalTag/none}/*")])];
    expect(decide({ action: "s3:GetObject", resource: "arn:aws:s3:::x//a", identity: noValue }).allowed).toBe(false);
    expect(decide({ action: "s3:GetObject", resource: "arn:aws:s3:::lit/*", identity: [ref([allow("s3:GetObject", "arn:aws:s3:::lit/${*}")])] }).allowed).toBe(true);
    expect(decide({ action: "s3:GetObject", resource: "arn:aws:s3:::lit/a", identity: [ref([allow("s3:GetObject", "arn:aws:s3:::lit/${*}")])] }).allowed).toBe(false);
  });
});

describe("condition operators", () => {
  const when = (condition: object, keys: Record<string, string | string[]>) => decide({ action: "s3:GetObject", identity: [ref([allow("s3:GetObject", "*", { Condition: condition })])] }, keys).allowed;

  it("compares strings exactly, ignoring case, and with wildcards; keys are case-insensitive", () => {
    expect(when({ StringEquals: { "aws:PrincipalTag/team": "red" } }, { "aws:principaltag/Team": "red" })).toBe(true);
    expect(when({ StringEquals: { "aws:PrincipalTag/team": "red" } }, { "aws:PrincipalTag/team": "Red" })).toBe(false);
    expect(when({ StringEqualsIgnoreCase: { "aws:PrincipalTag/team": "red" } }, { "aws:PrincipalTag/team": "RED" })).toBe(true);
    expect(when({ StringLike: { "s3:prefix": ["home/*", "pub?"] } }, { "s3:prefix": "pubs" })).toBe(true);
    expect(when({ StringLike: { "s3:prefix": "home/${aws:username}/*" } }, { "s3:prefix": "home/alice/x" })).toBe(true);
    expect(when({ StringNotEquals: { "s3:x-amz-acl": ["private", "bucket-owner-full-control"] } }, { "s3:x-amz-acl": "public-read" })).toBe(true);
    expect(when({ StringNotEquals: { "s3:x-amz-acl": ["private", "bucket-owner-full-control"] } }, { "s3:x-amz-acl": "private" })).toBe(false);
  });

  it("treats a missing key as false, negated operators and IfExists as true", () => {
    expect(when({ StringEquals: { "s3:x-amz-acl": "private" } }, {})).toBe(false);
    expect(when({ StringNotLike: { "s3:x-amz-acl": "public*" } }, {})).toBe(true);
    expect(when({ StringEqualsIfExists: { "s3:x-amz-acl": "private" } }, {})).toBe(true);
    expect(when({ StringEqualsIfExists: { "s3:x-amz-acl": "private" } }, { "s3:x-amz-acl": "public-read" })).toBe(false);
    expect(when({ BoolIfExists: { "aws:MultiFactorAuthPresent": "true" } }, {})).toBe(true);
    expect(when({ Null: { "aws:TokenIssueTime": "true" } }, {})).toBe(true);
    expect(when({ Null: { "aws:TokenIssueTime": "false" } }, {})).toBe(false);
    expect(when({ Null: { "aws:TokenIssueTime": "false" } }, { "aws:TokenIssueTime": "2026-01-01T00:00:00Z" })).toBe(true);
  });

  it("ForAllValues holds for an absent key, ForAnyValue does not", () => {
    const only = { "ForAllValues:StringEquals": { "aws:TagKeys": ["team", "env"] } };
    expect(when(only, { "aws:TagKeys": ["team"] })).toBe(true);
    expect(when(only, { "aws:TagKeys": ["team", "owner"] })).toBe(false);
    expect(when(only, {})).toBe(true);
    const any = { "ForAnyValue:StringLike": { "aws:TagKeys": "cost*" } };
    expect(when(any, { "aws:TagKeys": ["team", "costcenter"] })).toBe(true);
    expect(when(any, {})).toBe(false);
    expect(when({ "ForAllValues:StringNotEquals": { "aws:TagKeys": "secret" } }, { "aws:TagKeys": ["a", "b"] })).toBe(true);
  });

  it("compares numbers, dates, booleans, binary, addresses and ARNs", () => {
    expect(when({ NumericLessThanEquals: { "s3:max-keys": "10" } }, { "s3:max-keys": "10" })).toBe(true);
    expect(when({ NumericGreaterThan: { "s3:max-keys": "10" } }, { "s3:max-keys": "9" })).toBe(false);
    expect(when({ NumericNotEquals: { "s3:max-keys": ["1", "2"] } }, { "s3:max-keys": "3" })).toBe(true);
    expect(when({ DateGreaterThan: { "aws:CurrentTime": "2026-01-01T00:00:00Z" } }, { "aws:CurrentTime": "2026-03-02T11:15:02Z" })).toBe(true);
    expect(when({ DateLessThan: { "aws:EpochTime": "1767225600" } }, { "aws:EpochTime": "1772450102" })).toBe(false);
    expect(when({ DateLessThan: { "aws:CurrentTime": "1800000000" } }, { "aws:CurrentTime": "2026-03-02T11:15:02Z" })).toBe(true);
    expect(when({ Bool: { "aws:SecureTransport": "false" } }, { "aws:SecureTransport": "false" })).toBe(true);
    expect(when({ BinaryEquals: { "x:bin": "QmluYXJ5VmFsdWU=" } }, { "x:bin": "QmluYXJ5VmFsdWU=" })).toBe(true);
    expect(when({ IpAddress: { "aws:SourceIp": ["203.0.113.0/24", "127.0.0.1"] } }, { "aws:SourceIp": "127.0.0.1" })).toBe(true);
    expect(when({ IpAddress: { "aws:SourceIp": "203.0.113.0/24" } }, { "aws:SourceIp": "203.0.114.1" })).toBe(false);
    expect(when({ NotIpAddress: { "aws:SourceIp": "203.0.113.0/24" } }, { "aws:SourceIp": "10.0.0.1" })).toBe(true);
    expect(when({ IpAddress: { "aws:SourceIp": "2001:db8::/32" } }, { "aws:SourceIp": "2001:db8:1::5" })).toBe(true);
    expect(when({ ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/App*` } }, { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/AppRole` })).toBe(true);
    // ArnLike compares part by part: a * does not reach across a colon, StringLike's does.
    expect(when({ ArnLike: { "aws:SourceArn": "arn:aws:logs:*:111122223333:x/*" } }, { "aws:SourceArn": "arn:aws:logs:us-east-1:111122223333:x/a:b" })).toBe(false);
    expect(when({ StringLike: { "aws:SourceArn": "arn:aws:logs:*:111122223333:x/*" } }, { "aws:SourceArn": "arn:aws:logs:us-east-1:111122223333:x/a:b" })).toBe(true);
    expect(when({ ArnNotEquals: { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/Admin` } }, { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/App` })).toBe(true);
  });
});

describe("boundaries, sessions, resource policies, accounts", () => {
  const bucket = "arn:aws:s3:::reports";
  const bucketPolicy = (statements: unknown[]) => ({ kind: "bucket" as const, ref: ref(statements, "bucket policy") });

  it("a permissions boundary limits identity grants", () => {
    const identity = [ref([allow("*")])];
    const boundary = ref([allow("s3:*")], "Boundary");
    expect(decide({ action: "s3:GetObject", identity, boundary }).allowed).toBe(true);
    expect(decide({ action: "iam:CreateUser", identity, boundary })).toMatchObject({ allowed: false, layer: "boundary" });
  });

  it("a session policy limits a role session, unless a resource policy names the session itself", () => {
    const identity = [ref([allow("s3:*")])];
    const sessionPolicies = [ref([allow("s3:GetObject")], "the session policy")];
    const base = { principal: session, identity, session: sessionPolicies, resource: `${bucket}/k`, resourceAccount: ACCOUNT };
    expect(decide({ ...base, action: "s3:GetObject" }).allowed).toBe(true);
    expect(decide({ ...base, action: "s3:PutObject" })).toMatchObject({ allowed: false, layer: "session" });
    const namingSession = bucketPolicy([{ Effect: "Allow", Principal: { AWS: session.arn }, Action: "s3:PutObject", Resource: `${bucket}/*` }]);
    expect(decide({ ...base, action: "s3:PutObject", resourcePolicy: namingSession }).allowed).toBe(true);
    const namingRole = bucketPolicy([{ Effect: "Allow", Principal: { AWS: session.roleArn }, Action: "s3:PutObject", Resource: `${bucket}/*` }]);
    expect(decide({ ...base, action: "s3:PutObject", resourcePolicy: namingRole })).toMatchObject({ allowed: false, layer: "session" });
  });

  it("a resource policy naming the user grants alone; naming the account delegates to identity policies", () => {
    const naming = (p: unknown) => bucketPolicy([{ Effect: "Allow", Principal: p, Action: "s3:GetObject", Resource: `${bucket}/*` }]);
    const base = { action: "s3:GetObject", resource: `${bucket}/k`, resourceAccount: ACCOUNT };
    expect(decide({ ...base, resourcePolicy: naming({ AWS: user.arn }) }).allowed).toBe(true);
    expect(decide({ ...base, resourcePolicy: naming({ AWS: ACCOUNT }) })).toMatchObject({ allowed: false, layer: "identity" });
    expect(decide({ ...base, resourcePolicy: naming({ AWS: `arn:aws:iam::${ACCOUNT}:root` }), identity: [ref([allow("s3:GetObject")])] }).allowed).toBe(true);
    expect(decide({ ...base, resourcePolicy: naming("*") }).allowed).toBe(true);
  });

  it("across accounts both the resource policy and the caller's identity policy must allow", () => {
    const base = { action: "s3:GetObject", resource: `${bucket}/k`, resourceAccount: OTHER };
    const opened = bucketPolicy([{ Effect: "Allow", Principal: { AWS: ACCOUNT }, Action: "s3:GetObject", Resource: `${bucket}/*` }]);
    const identity = [ref([allow("s3:GetObject")])];
    expect(decide({ ...base, identity })).toMatchObject({ allowed: false, layer: "resource", crossAccount: true });
    expect(decide({ ...base, resourcePolicy: opened })).toMatchObject({ allowed: false, layer: "identity" });
    expect(decide({ ...base, resourcePolicy: opened, identity }).allowed).toBe(true);
    expect(decide({ ...base, resourcePolicy: opened, principal: root }).allowed).toBe(true);
  });

  it("the root user is allowed in its account, but a Deny in a bucket policy still applies", () => {
    expect(decide({ action: "iam:CreateUser", principal: root }).allowed).toBe(true);
    const denyAll = bucketPolicy([{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucket, `${bucket}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } }]);
    expect(decide({ action: "s3:GetObject", principal: root, resource: `${bucket}/k`, resourceAccount: ACCOUNT, resourcePolicy: denyAll }, { "aws:SecureTransport": "false" })).toMatchObject({ allowed: false, explicit: true, layer: "resource" });
  });

  it("KMS: the key policy must allow, the account statement delegating to IAM policies, even for root", () => {
    const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const keyPolicy = (statements: unknown[]) => ({ kind: "key" as const, ref: ref(statements, "key policy") });
    const accountStatement = keyPolicy([{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }]);
    const onlyAdmin = keyPolicy([{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/admin` }, Action: "kms:*", Resource: "*" }]);
    const identity = [ref([allow("kms:Decrypt")])];
    expect(decide({ action: "kms:Decrypt", resource: key, resourceAccount: ACCOUNT, resourcePolicy: accountStatement, identity }).allowed).toBe(true);
    expect(decide({ action: "kms:Decrypt", resource: key, resourceAccount: ACCOUNT, resourcePolicy: accountStatement })).toMatchObject({ allowed: false, layer: "identity" });
    expect(decide({ action: "kms:Decrypt", resource: key, resourceAccount: ACCOUNT, resourcePolicy: onlyAdmin, identity })).toMatchObject({ allowed: false, layer: "resource" });
    expect(decide({ action: "kms:Decrypt", resource: key, resourceAccount: ACCOUNT, resourcePolicy: onlyAdmin, principal: root })).toMatchObject({ allowed: false, layer: "resource" });
  });

  it("role trust policies: naming the user allows, naming the account needs an identity policy, root never assumes", () => {
    const role = `arn:aws:iam::${ACCOUNT}:role/Admin`;
    const trust = (p: unknown) => ({ kind: "trust" as const, ref: ref([{ Effect: "Allow", Principal: p, Action: "sts:AssumeRole" }], "trust policy") });
    const base = { action: "sts:AssumeRole", resource: role, resourceAccount: ACCOUNT };
    expect(decide({ ...base, resourcePolicy: trust({ AWS: user.arn }) }).allowed).toBe(true);
    expect(decide({ ...base, resourcePolicy: trust({ AWS: ACCOUNT }) })).toMatchObject({ allowed: false, layer: "identity" });
    expect(decide({ ...base, resourcePolicy: trust({ AWS: ACCOUNT }), identity: [ref([allow("sts:AssumeRole", role)])] }).allowed).toBe(true);
    expect(decide({ ...base, resourcePolicy: trust({ AWS: "arn:aws:iam::111122223333:user/bob" }), identity: [ref([allow("*")])] })).toMatchObject({ allowed: false, layer: "trust" });
    expect(decide({ ...base, principal: root, resourcePolicy: trust({ AWS: ACCOUNT }) })).toMatchObject({ allowed: false, layer: "root" });
  });

  it("NotPrincipal with Deny spares only principals listed with their account", () => {
    const policy = (names: string[]) => bucketPolicy([
      { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `${bucket}/*` },
      { Effect: "Deny", NotPrincipal: { AWS: names }, Action: "s3:*", Resource: `${bucket}/*` },
    ]);
    const base = { action: "s3:GetObject", resource: `${bucket}/k`, resourceAccount: ACCOUNT };
    expect(decide({ ...base, resourcePolicy: policy([user.arn]) })).toMatchObject({ allowed: false, explicit: true });
    expect(decide({ ...base, resourcePolicy: policy([user.arn, `arn:aws:iam::${ACCOUNT}:root`]) }).allowed).toBe(true);
  });

  it("an AWS service acting on its own needs a resource policy naming it where the resource can have one", () => {
    const events = { type: "AWSService" as const, arn: "events.amazonaws.com", service: "events.amazonaws.com", accountId: ACCOUNT };
    const fn = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:f`;
    const functionPolicy = { kind: "function" as const, ref: ref([{ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "lambda:InvokeFunction", Resource: fn }]) };
    expect(decide({ action: "lambda:InvokeFunction", principal: events, resource: fn, resourceAccount: ACCOUNT, resourcePolicy: functionPolicy }).allowed).toBe(true);
    expect(decide({ action: "lambda:InvokeFunction", principal: events, resource: fn, resourceAccount: ACCOUNT, resourcePolicy: { kind: "function" } }).allowed).toBe(false);
    expect(decide({ action: "logs:PutLogEvents", principal: events, resource: "arn:aws:logs:us-east-1:111122223333:log-group:g:log-stream:s" }).allowed).toBe(true);
  });
});

describe("denial messages", () => {
  const style = { code: "AccessDenied", status: 403, noResource: "omit" as const };
  it("speak AWS's grammar", () => {
    const implicit = decide({ action: "iam:CreateUser" });
    expect(denialMessage(style, { principalArn: user.arn, action: "iam:CreateUser", resource: `arn:aws:iam::${ACCOUNT}:user/Mary`, decision: implicit })).toBe(
      `User: ${user.arn} is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${ACCOUNT}:user/Mary because no identity-based policy allows the iam:CreateUser action`,
    );
    const explicit = decide({ action: "iam:CreateUser", identity: [ref([allow("*")]), ref([deny("iam:CreateUser")], "DenyUserAdmin")] });
    expect(denialMessage(style, { principalArn: user.arn, action: "iam:CreateUser", resource: `arn:aws:iam::${ACCOUNT}:user/Mary`, decision: explicit })).toMatch(
      / with an explicit deny in an identity-based policy: arn:aws:iam::111122223333:policy\/DenyUserAdmin$/,
    );
    expect(denialMessage({ ...style, quoteResource: true }, { principalArn: user.arn, action: "s3:GetObject", resource: "arn:aws:s3:::b/k", decision: implicit })).toContain('on resource: "arn:aws:s3:::b/k" because');
    expect(denialMessage({ ...style, noResource: "star" }, { principalArn: user.arn, action: "lambda:ListFunctions", resource: "*", decision: implicit })).toContain("lambda:ListFunctions on resource: * because");
    expect(denialMessage(style, { principalArn: user.arn, action: "s3:ListAllMyBuckets", resource: "*", decision: implicit })).toContain("perform: s3:ListAllMyBuckets because");
  });
});
