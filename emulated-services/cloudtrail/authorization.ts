import type { ArnContext, ServiceAuthorization } from "../../src/types/authorization.js";

/**
 * How CloudTrail's calls are authorized (reference/iam-enforcement.md §3.2): trail actions on the trail's
 * ARN (named by name or ARN), LookupEvents and the listings on `*`; a CloudWatch Logs role is passed
 * (iam:PassRole) when a trail is given one.
 */
type Input = Record<string, unknown>;

function trailArn(input: Input, ctx: ArnContext): string[] | undefined {
  const value = [input.Name, input.TrailName, input.ResourceId].find((v): v is string => typeof v === "string");
  if (value === undefined) return undefined;
  return [value.startsWith("arn:") ? value : `arn:aws:cloudtrail:${ctx.region}:${ctx.accountId}:trail/${value}`];
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
  resolvers: { trail: trailArn },
  operations: {
    CreateTrail: [{ action: "cloudtrail:CreateTrail" }, passLogsRole],
    UpdateTrail: [{ action: "cloudtrail:UpdateTrail" }, passLogsRole],
  },
  requestTags: ["TagsList"],
  denial: { code: "AccessDeniedException", status: 400, recordedCode: "AccessDenied", noResource: "omit" },
};
