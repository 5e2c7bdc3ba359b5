import type { Step } from "../types/step.js";
import type { Call } from "../types/request-context.js";
import { callerArn, callerPrincipalId, type Caller } from "../types/caller.js";
import { isReadOnly } from "../recorder/read-only.js";
import type { Authorization, Authorizer } from "./authorizer.js";
import { denialError } from "./denial.js";
import { describe } from "./evaluate.js";
import { encodeAuthorizationMessage } from "./encoded-message.js";

/** `--enforce-iam`: deny what policies do not allow; `--enforce-iam soft`: evaluate and record, deny nothing. */
export type EnforcementMode = "off" | "on" | "soft";

export interface EnforceOptions {
  mode: Exclude<EnforcementMode, "off">;
  authorizer: Authorizer;
  /** --debug: one line per call saying why it was allowed or denied. */
  debug: boolean;
  log: (line: string) => void;
}

/**
 * The pipeline step that enforces IAM policies, after the input is decoded and before the handler, inside
 * the recorder, so a denied call is answered with the service's AccessDenied and recorded as AWS records it.
 * In soft mode the call goes on and its record tells what enforcement would have done
 * (`additionalEventData.localtrailEnforcement`). A write to IAM drops the cached principal views.
 */
export function enforceIam(options: EnforceOptions): Step {
  return async function enforceIam(call, next) {
    const result = options.authorizer.authorize(call);
    if (options.debug) options.log(explain(call, result));
    if (!result.allowed) {
      const error = refusal(call, result);
      if (options.mode === "on") {
        if (call.service!.definition.authorization?.unrecordedWhenDenied?.includes(call.operation!.name)) call.unrecorded = true;
        throw error;
      }
      call.softDenial = { errorCode: call.codec!.recordedErrorCode(call.model!, error), errorMessage: error.message };
    }
    call.authorized = result.allowed;
    try {
      await next();
    } finally {
      const name = call.operation!.name;
      if (options.authorizer.holdsPrincipals(call.service!) && !isReadOnly(name, call.service!.operation(name)?.audit)) options.authorizer.principals.invalidate();
    }
  };
}

function refusal(call: Call, result: Authorization) {
  const check = result.checks[result.checks.length - 1]!;
  const style = call.service!.definition.authorization!.denial;
  const encoded = style.encodedMessage && !style.encodedMessage.exceptOperations.test(call.operation!.name) ? encodeAuthorizationMessage(decoded(call.caller!, check)) : undefined;
  return denialError(style, { principalArn: callerArn(call.caller!), action: check.action, resource: check.resource, decision: check.decision, encoded });
}

/** What STS DecodeAuthorizationMessage tells of a denial. */
function decoded(caller: Caller, check: Authorization["checks"][number]) {
  const statement = check.decision.hit?.statement;
  return {
    allowed: false,
    explicitDeny: check.decision.explicit,
    matchedStatements: { items: statement ? [{ statementId: statement.sid ?? "", effect: statement.effect, actions: { items: statement.actions ?? [] }, resources: { items: statement.resources ?? [] } }] : [] },
    failures: { items: [] },
    context: {
      principal: { id: callerPrincipalId(caller), name: caller.type === "IAMUser" ? caller.userName : undefined, arn: callerArn(caller) },
      action: check.action,
      resource: check.resource,
      conditions: { items: [] },
    },
  };
}

/** `--debug`: the call, and for each action and resource the decision with the statement that made it. */
function explain(call: Call, result: Authorization): string {
  const who = callerArn(call.caller!);
  const head = `localtrail: iam ${result.allowed ? "allowed" : "DENIED"} ${call.service!.definition.name}:${call.operation!.name} by ${who}`;
  if (result.checks.length === 0) return `${head} (no permission needed)`;
  const lines = result.checks.map(({ action, resource, decision }) => {
    const statement = decision.hit ? ` [${decision.hit.ref.name}, statement ${describe(decision.hit.statement)}]` : "";
    return `  ${action} on ${resource}: ${decision.allowed ? "allow" : decision.explicit ? "explicit deny" : "implicit deny"}: ${decision.reason}${decision.allowed ? "" : statement}`;
  });
  return [head, ...lines].join("\n");
}
