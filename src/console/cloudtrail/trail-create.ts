import type { AwsError } from "../../types/aws-error.js";
import type { CreateTrailRequest, EventSelector } from "../../generated/types/cloudtrail.js";
import { awsCall } from "../aws-call.js";
import type { ConsoleContext } from "../context.js";
import { consoleRegion, ctCall } from "./ct-call.js";
import { bucketPolicy, cloudWatchRolePolicy, cloudWatchTrustPolicy, keyPolicy } from "./trail-policies.js";

/**
 * "Create trail" as the AWS console does it, one AWS call at a time as the signed-in principal: the bucket
 * (new, with the policy CloudTrail needs, or an existing one), the KMS key (an existing alias, or a new key
 * and alias whose policy lets CloudTrail encrypt), the CloudWatch Logs group and the role CloudTrail assumes
 * to write to it, then CreateTrail, the event selectors, Insights, and StartLogging (the console starts
 * logging a new trail at once).
 */
export interface TrailForm {
  name: string;
  bucketMode: "new" | "existing";
  bucket: string;
  existingBucket: string;
  prefix: string;
  kms: boolean;
  kmsAlias: string;
  validation: boolean;
  cloudWatch: boolean;
  logGroup: string;
  roleName: string;
  management: boolean;
  readWrite: "All" | "ReadOnly" | "WriteOnly";
  s3Data: boolean;
  lambdaData: boolean;
  apiCallRateInsight: boolean;
  apiErrorRateInsight: boolean;
}

const suffix = () => Math.random().toString(16).slice(2, 10).padEnd(8, "0");

/** The form as the console first shows it: its defaults and generated names. */
export function defaultTrailForm(accountId: string): TrailForm {
  const generated = `aws-cloudtrail-logs-${accountId}-${suffix()}`;
  return {
    name: "management-events",
    bucketMode: "new",
    bucket: generated,
    existingBucket: "",
    prefix: "",
    kms: false,
    kmsAlias: generated,
    validation: true,
    cloudWatch: false,
    logGroup: generated,
    roleName: "",
    management: true,
    readWrite: "All",
    s3Data: false,
    lambdaData: false,
    apiCallRateInsight: false,
    apiErrorRateInsight: false,
  };
}

/** The form as posted (checkboxes absent when unticked). */
export function trailFormOf(body: Record<string, unknown>): TrailForm {
  const str = (k: string) => (typeof body[k] === "string" ? (body[k] as string).trim() : "");
  const on = (k: string) => body[k] === "on" || body[k] === "true";
  const readWrite = str("readWrite");
  return {
    name: str("name"),
    bucketMode: str("bucketMode") === "existing" ? "existing" : "new",
    bucket: str("bucket"),
    existingBucket: str("existingBucket"),
    prefix: str("prefix"),
    kms: on("kms"),
    kmsAlias: str("kmsAlias").replace(/^alias\//, ""),
    validation: on("validation"),
    cloudWatch: on("cloudWatch"),
    logGroup: str("logGroup"),
    roleName: str("roleName"),
    management: on("management"),
    readWrite: readWrite === "ReadOnly" || readWrite === "WriteOnly" ? readWrite : "All",
    s3Data: on("s3Data"),
    lambdaData: on("lambdaData"),
    apiCallRateInsight: on("apiCallRateInsight"),
    apiErrorRateInsight: on("apiErrorRateInsight"),
  };
}

/** Which step failed, and AWS's error. */
export class CreateStepFailed extends Error {
  constructor(
    readonly step: string,
    readonly error: AwsError,
  ) {
    super(`${step}: ${error.code}: ${error.message}`);
  }
}

/** Runs the calls; resolves to the trail's name, or rejects with the step that failed. What was made stays. */
export async function createTrailFromForm(c: ConsoleContext, form: TrailForm): Promise<string> {
  const region = consoleRegion(c);
  const accountId = c.var.session.principal.accountId;
  const call = async <O>(step: string, service: string, operation: string, input: unknown, inRegion = region): Promise<O> => {
    const out = await awsCall<O>(c, { service, operation, input, region: inRegion });
    if (out.error) throw new CreateStepFailed(step, out.error);
    return out.output as O;
  };
  const prefix = form.prefix || undefined;
  const bucket = form.bucketMode === "new" ? form.bucket : form.existingBucket;
  if (form.bucketMode === "new") {
    await call("Create the S3 bucket", "s3", "CreateBucket", { Bucket: bucket, ...(region === "us-east-1" ? {} : { CreateBucketConfiguration: { LocationConstraint: region } }) });
    await call("Set the bucket policy", "s3", "PutBucketPolicy", { Bucket: bucket, Policy: bucketPolicy({ accountId, region, trailName: form.name, bucket, prefix }) });
  }

  let kmsKeyId: string | undefined;
  if (form.kms) {
    const alias = `alias/${form.kmsAlias}`;
    const aliases = await call<{ Aliases?: { AliasName?: string; TargetKeyId?: string }[] }>("List KMS aliases", "kms", "ListAliases", {});
    if (!aliases.Aliases?.some((a) => a.AliasName === alias)) {
      const key = await call<{ KeyMetadata: { KeyId: string } }>("Create the KMS key", "kms", "CreateKey", {
        Description: `The key CloudTrail encrypts the log files of trail ${form.name} with`,
        Policy: keyPolicy({ accountId, region, trailName: form.name }),
      });
      await call("Create the KMS alias", "kms", "CreateAlias", { AliasName: alias, TargetKeyId: key.KeyMetadata.KeyId });
    }
    kmsKeyId = alias;
  }

  let logs: Pick<CreateTrailRequest, "CloudWatchLogsLogGroupArn" | "CloudWatchLogsRoleArn"> = {};
  if (form.cloudWatch) {
    const groups = await call<{ logGroups?: { logGroupName?: string; arn?: string }[] }>("Find the log group", "logs", "DescribeLogGroups", { logGroupNamePrefix: form.logGroup });
    let group = groups.logGroups?.find((g) => g.logGroupName === form.logGroup);
    if (!group) {
      await call("Create the log group", "logs", "CreateLogGroup", { logGroupName: form.logGroup });
      group = { logGroupName: form.logGroup, arn: `arn:aws:logs:${region}:${accountId}:log-group:${form.logGroup}:*` };
    }
    const roleName = form.roleName || `CloudTrailRoleForCloudWatchLogs_${form.name}`;
    const existing = await awsCall<{ Role: { Arn: string } }>(c, { service: "iam", operation: "GetRole", input: { RoleName: roleName }, region: "us-east-1" });
    let roleArn = existing.output?.Role.Arn;
    if (!roleArn) {
      const made = await call<{ Role: { Arn: string } }>("Create the IAM role", "iam", "CreateRole", { RoleName: roleName, AssumeRolePolicyDocument: cloudWatchTrustPolicy() }, "us-east-1");
      roleArn = made.Role.Arn;
      await call("Give the role its policy", "iam", "PutRolePolicy", { RoleName: roleName, PolicyName: `CloudTrail-CloudWatchLogs-${form.name}`, PolicyDocument: cloudWatchRolePolicy(accountId, region, form.logGroup) }, "us-east-1");
    }
    logs = { CloudWatchLogsLogGroupArn: group.arn ?? `arn:aws:logs:${region}:${accountId}:log-group:${form.logGroup}:*`, CloudWatchLogsRoleArn: roleArn };
  }

  await call("Create the trail", "cloudtrail", "CreateTrail", {
    Name: form.name,
    S3BucketName: bucket,
    S3KeyPrefix: prefix,
    IsMultiRegionTrail: true,
    IncludeGlobalServiceEvents: true,
    EnableLogFileValidation: form.validation,
    KmsKeyId: kmsKeyId,
    ...logs,
  } satisfies CreateTrailRequest);

  const dataResources = [...(form.s3Data ? [{ Type: "AWS::S3::Object", Values: ["arn:aws:s3"] }] : []), ...(form.lambdaData ? [{ Type: "AWS::Lambda::Function", Values: ["arn:aws:lambda"] }] : [])];
  const selector: EventSelector = { ReadWriteType: form.readWrite, IncludeManagementEvents: form.management, DataResources: dataResources };
  await call("Set the event selectors", "cloudtrail", "PutEventSelectors", { TrailName: form.name, EventSelectors: [selector] });
  const insights = [...(form.apiCallRateInsight ? [{ InsightType: "ApiCallRateInsight" }] : []), ...(form.apiErrorRateInsight ? [{ InsightType: "ApiErrorRateInsight" }] : [])];
  if (insights.length > 0) await call("Turn on Insights", "cloudtrail", "PutInsightSelectors", { TrailName: form.name, InsightSelectors: insights });
  const started = await ctCall(c, "StartLogging", { Name: form.name });
  if (started.error) throw new CreateStepFailed("Start logging", started.error);
  return form.name;
}
