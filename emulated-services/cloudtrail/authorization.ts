import type { ArnContext, ServiceAuthorization } from "../../src/types/authorization.js";
import { lakeStatement } from "./lake/lake-sql.js";

/**
 * How CloudTrail's calls are authorized (reference/iam-enforcement.md §3.2): trail actions on the trail's
 * ARN (named by name or ARN), LookupEvents and the listings on `*`; a CloudWatch Logs role is passed
 * (iam:PassRole) when a trail is given one; Lake's actions on the event data store's ARN (a new one's is not
 * known yet: `*`), DescribeQuery and GetQueryResults on the store they name when they name one.
 */
type Input = Record<string, unknown>;

function trailArn(input: Input, ctx: ArnContext): string[] | undefined {
  const value = [input.Name, input.TrailName, input.ResourceId].find((v): v is string => typeof v === "string");
  if (value === undefined) return undefined;
  return [value.startsWith("arn:") ? value : `arn:aws:cloudtrail:${ctx.region}:${ctx.accountId}:trail/${value}`];
}

/** An event data store named by ARN or id; StartQuery's are the ids its statement names. */
function eventDataStoreArns(input: Input, ctx: ArnContext): string[] | undefined {
  const arn = (id: string) => (id.startsWith("arn:") ? id : `arn:aws:cloudtrail:${ctx.region}:${ctx.accountId}:eventdatastore/${id}`);
  if (typeof input.EventDataStore === "string") return [arn(input.EventDataStore)];
  if (typeof input.QueryStatement === "string") {
    const ids = lakeStatement(input.QueryStatement).ids;
    return ids.length > 0 ? ids.map(arn) : undefined;
  }
  return undefined;
}

const passLogsRole = {
  action: "iam:PassRole",
  when: "CloudWatchLogsRoleArn",
  variables: { RoleNameWithPath: (input: Input) => (typeof input.CloudWatchLogsRoleArn === "string" ? /:role\/(.+)$/.exec(input.CloudWatchLogsRoleArn)?.[1] : undefined) },
  conditionKeys: { "iam:PassedToService": "cloudtrail.amazonaws.com" },
};

export const cloudtrailAuthorization: ServiceAuthorization = {
  prefix: "cloudtrail",
  variables: {},
  resolvers: { trail: trailArn, eventdatastore: eventDataStoreArns },
  operations: {
    CreateTrail: [{ action: "cloudtrail:CreateTrail" }, passLogsRole],
    UpdateTrail: [{ action: "cloudtrail:UpdateTrail" }, passLogsRole],
  },
  requestTags: ["TagsList"],
  denial: { code: "AccessDeniedException", status: 400, recordedCode: "AccessDenied", noResource: "omit" },
};
