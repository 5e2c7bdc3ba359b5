import type { Caller } from "../types/caller.js";
import type { CloudTrailRecord } from "../types/cloudtrail-record.js";
import type { RegisteredService } from "../types/service.js";
import type { EventHistory } from "../event-log/event-history.js";
import type { StateView } from "../state/store.js";
import { actionRequests } from "./operation-actions.js";
import { actionResourceTypes } from "./action-catalogue.js";

/**
 * Least privilege from the history, as IAM Access Analyzer generates a policy from CloudTrail: every record of
 * the principal (a user, or a role and all its sessions) since a time is mapped back to its operation's IAM
 * actions and resources through the same tables enforcement reads, and the result is a policy document
 * allowing exactly those. Where AWS's generation would write a placeholder (`arn:aws:s3:::${BucketName}`), the
 * resources actually used are written, widened as each service's table says (objects to `bucket/*`, log
 * streams to `log-group:<name>:*`). Calls that need no permission (GetCallerIdentity) add nothing.
 */
export interface PolicyDocumentJson {
  Version: "2012-10-17";
  Statement: { Effect: "Allow"; Action: string | string[]; Resource: string | string[] }[];
}

export interface GenerateOptions {
  history: EventHistory;
  services: Iterable<RegisteredService>;
  state: StateView;
  /** A user ARN, or a role ARN (its sessions' records count). */
  principal: string;
  since?: Date;
}

export function generatePolicy(options: GenerateOptions): PolicyDocumentJson {
  const bySource = new Map<string, RegisteredService>();
  for (const s of options.services) bySource.set(s.definition.eventSource, s);
  const used = new Map<string, Set<string>>();
  const since = options.since?.getTime() ?? 0;
  for (let after = -1; ; ) {
    const batch = options.history.eventsAfter(after, 1000);
    if (batch.length === 0) break;
    after = batch[batch.length - 1]!.seq;
    for (const { event } of batch) {
      const record = event.record;
      if (!actedAs(record, options.principal) || Date.parse(record.eventTime) < since) continue;
      const service = bySource.get(record.eventSource);
      if (service) addRecord(service, record, options.state, used);
    }
  }
  return document(used);
}

/** A user's own records, or any session of a role. */
function actedAs(record: CloudTrailRecord, principal: string): boolean {
  const identity = record.userIdentity;
  return identity.arn === principal || (identity.sessionContext?.sessionIssuer as { arn?: string } | undefined)?.arn === principal;
}

function addRecord(service: RegisteredService, record: CloudTrailRecord, state: StateView, used: Map<string, Set<string>>): void {
  const auth = service.definition.authorization;
  const caller = callerOf(record);
  if (!auth || !caller) return;
  const operations = service.model().operations;
  // An event named otherwise than its operation (Lambda's CreateFunction20150331v2, S3's PutBucketLifecycle for
  // PutBucketLifecycleConfiguration) is found by the name its operation table row gives it.
  const renamed = Object.entries(service.definition.operations).find(([, row]) => row?.audit?.eventName === record.eventName)?.[0];
  const operation = renamed ?? (operations[record.eventName] ? record.eventName : record.eventName.replace(/\d{8}(v\d+)?$/, ""));
  if (!operations[operation]) return;
  const input = inputOf(record.requestParameters ?? {}, auth.recordMembers ?? {});
  const recorded = (record.resources ?? []).flatMap((r) => (r.ARN ? [r.ARN] : []));
  let requests;
  try {
    requests = actionRequests(auth, operation, input, { caller, accountId: caller.accountId, region: record.awsRegion, state });
  } catch {
    return;
  }
  for (const request of requests) {
    const prefix = request.action.split(":")[0]!;
    let resources = request.resources;
    // A resource the request did not name (KMS records leave the key out of requestParameters) is in the record's resources.
    if (resources.includes("*") && actionResourceTypes(request.action).length > 0) {
      const named = recorded.filter((arn) => arn.split(":")[2] === prefix);
      if (named.length > 0) resources = named;
    }
    let set = used.get(request.action);
    if (!set) used.set(request.action, (set = new Set()));
    for (const arn of resources) set.add(widen(arn, auth.generalize ?? []));
  }
}

/** The request as the handler took it, from requestParameters: lowerCamel names back to the model's. */
function inputOf(parameters: Record<string, unknown>, renamed: Record<string, string>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parameters)) {
    input[k] = v;
    input[renamed[k] ?? k.charAt(0).toUpperCase() + k.slice(1)] = v;
  }
  return input;
}

function widen(arn: string, rules: [RegExp, string][]): string {
  for (const [pattern, replacement] of rules) if (pattern.test(arn)) return arn.replace(pattern, replacement);
  return arn;
}

/** The caller a record's userIdentity describes, as far as resource resolution needs it. */
function callerOf(record: CloudTrailRecord): Caller | undefined {
  const u = record.userIdentity;
  const accountId = u.accountId ?? record.recipientAccountId;
  const accessKeyId = u.accessKeyId ?? "";
  if (u.type === "IAMUser" && u.userName && u.arn) return { type: "IAMUser", accountId, accessKeyId, userName: u.userName, userId: u.principalId ?? "", arn: u.arn };
  const issuer = u.sessionContext?.sessionIssuer as { arn?: string; userName?: string; principalId?: string } | undefined;
  if (u.type === "AssumedRole" && issuer?.arn) {
    return {
      type: "AssumedRole",
      accountId,
      accessKeyId,
      roleName: issuer.userName ?? "",
      roleId: issuer.principalId ?? "",
      roleArn: issuer.arn,
      sessionName: u.arn?.split("/").pop() ?? "",
      session: { createdAt: new Date(0), mfaAuthenticated: false },
    };
  }
  if (u.type === "Root") return { type: "Root", accountId, accessKeyId };
  return undefined;
}

/** Actions with the same resources share a statement; `*` stands alone. */
function document(used: Map<string, Set<string>>): PolicyDocumentJson {
  const groups = new Map<string, string[]>();
  for (const [action, set] of used) {
    const resources = set.has("*") ? ["*"] : [...set].sort();
    const key = resources.join("\n");
    groups.set(key, [...(groups.get(key) ?? []), action]);
  }
  const statements = [...groups.entries()].map(([key, actions]) => {
    const resources = key.split("\n");
    const sorted = actions.sort();
    return { Effect: "Allow" as const, Action: sorted.length === 1 ? sorted[0]! : sorted, Resource: resources.length === 1 ? resources[0]! : resources };
  });
  statements.sort((a, b) => String(a.Action).localeCompare(String(b.Action)));
  return { Version: "2012-10-17", Statement: statements };
}
