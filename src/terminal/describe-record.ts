import type { CloudTrailRecord } from "../types/cloudtrail-record.js";

/**
 * What a person wants to see of a record at a glance: who acted, on what, how it ended, with which tool.
 * Shared by the terminal's call lines, `localtrail events` and the test matchers' messages.
 */
export interface RecordFacts {
  time: string;
  account: string;
  region: string;
  /** root, an IAM user's name, role/session for an assumed role, the service for AWS's own calls. */
  who: string;
  /** iam:CreateUser: the event source's service name and the operation. */
  call: string;
  resource: string;
  /** OK, or the error code. */
  outcome: string;
  ok: boolean;
  /** The first product of the user agent: aws-cli/2.15.0, Boto3/1.34.0, aws-sdk-js/3.600.0. */
  tool: string;
}

export function describeRecord(r: CloudTrailRecord): RecordFacts {
  return {
    time: r.eventTime,
    account: r.recipientAccountId ?? r.userIdentity?.accountId ?? "",
    region: r.awsRegion,
    who: whoActed(r),
    call: `${String(r.eventSource ?? "").replace(/\.amazonaws\.com$/, "")}:${r.eventName}`,
    resource: resourceOf(r),
    outcome: r.errorCode ?? "OK",
    ok: r.errorCode === undefined,
    tool: toolOf(r.userAgent),
  };
}

function whoActed(r: CloudTrailRecord): string {
  const id = r.userIdentity ?? {};
  switch (id.type) {
    case "Root":
      return "root";
    case "IAMUser":
      return id.userName ?? id.arn ?? "IAMUser";
    case "AssumedRole": {
      // arn:aws:sts::123456789012:assumed-role/<role>/<session>
      const parts = (id.arn ?? "").split("/");
      return parts.length >= 3 ? `${parts[1]}/${parts.slice(2).join("/")}` : (id.arn ?? "AssumedRole");
    }
    case "AWSService":
      return id.invokedBy ?? "AWSService";
    default:
      return id.userName ?? id.arn ?? id.invokedBy ?? id.type ?? "unknown";
  }
}

/** The first resource the record names, shortened to what follows the ARN's service part. */
function resourceOf(r: CloudTrailRecord): string {
  const arn = r.resources?.find((x) => x.ARN)?.ARN ?? r.resources?.find((x) => x.ARNPrefix)?.ARNPrefix;
  if (arn) return arn.split(":").slice(5).join(":") || arn;
  const params = r.requestParameters ?? {};
  for (const key of ["userName", "roleName", "groupName", "policyArn", "bucketName", "functionName", "keyId", "logGroupName", "name", "instanceId"]) {
    const v = params[key];
    if (typeof v === "string") return v;
  }
  return "";
}

function toolOf(userAgent: string | undefined): string {
  if (!userAgent) return "";
  // S3 records wrap the user agent in brackets: [aws-cli/2.15.0 Python/3.11 ...].
  const first = userAgent.trim().replace(/^\[/, "").split(/\s+/)[0]?.replace(/\]$/, "") ?? "";
  return first.length > 40 ? `${first.slice(0, 39)}…` : first;
}
