import type { ArnContext, ServiceAuthorization } from "../../src/types/authorization.js";

/**
 * How CloudWatch Logs' calls are authorized (reference/iam-enforcement.md §3.2-3.3): log-group actions on
 * the group, stream actions on the stream. A group is named as AWS names it in denials,
 * `...:log-group:<name>:log-stream:`, so policies that name groups as `log-group:<name>:*` match, as in AWS.
 */
type Input = Record<string, unknown>;

function groupName(input: Input): string | undefined {
  if (typeof input.logGroupName === "string") return input.logGroupName;
  const arn = typeof input.resourceArn === "string" ? input.resourceArn : typeof input.logGroupIdentifier === "string" ? input.logGroupIdentifier : undefined;
  return arn?.startsWith("arn:") ? /:log-group:([^:]+)/.exec(arn)?.[1] : arn;
}

const groupArn = (input: Input, ctx: ArnContext) => {
  const name = groupName(input);
  return name === undefined ? undefined : [`arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:${name}:log-stream:`];
};

export const logsAuthorization: ServiceAuthorization = {
  prefix: "logs",
  variables: { LogGroupName: groupName, LogStreamName: "logStreamName" },
  resolvers: { "log-group": groupArn },
  requestTags: ["tags"],
  generalize: [[/^(arn:aws:logs:[^:]*:[^:]*:log-group:[^:]+):.*$/, "$1:*"]],
  denial: { code: "AccessDeniedException", status: 400, recordedCode: "AccessDenied", noResource: "star" },
};
