import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { services } from "../../emulated-services/index.js";
import { registerServices } from "../../src/registry.js";
import { buildRecord } from "../../src/recorder/build-record.js";
import { AwsError } from "../../src/types/aws-error.js";
import type { Caller } from "../../src/types/caller.js";
import { recordedRegion } from "../../src/types/service.js";

/**
 * Golden records: examples of real CloudTrail records from the AWS documentation, rebuilt from the call they
 * describe with the real operation tables and the pure buildRecord. Every field of the example must come out
 * the same, except those a golden file lists under `deviations` (with the reason) and the fields CloudTrail
 * added after the example's eventVersion.
 */
interface Golden {
  source: string;
  checked: string;
  call: {
    service: string;
    operation: string;
    region: string;
    caller: Caller;
    input: unknown;
    output?: unknown;
    /** The error as the service raises it: its code, message and, where CloudTrail records it apart, those options. */
    error?: { code: string; message: string; recordedCode?: string; unauthorized?: boolean };
    userAgent: string;
    sourceIp: string;
    eventTime: string;
    requestId?: string;
    eventId?: string;
    /** The HTTP request where the record shows parts of it (S3's Host, bytes, signature): merged over a bare POST. */
    request?: { method?: string; target?: string; path?: string; query?: string; headers?: Record<string, string> };
    /** How the call was signed, where the record says (S3's additionalEventData). */
    auth?: { signatureVersion?: "SigV4" | "SigV2"; method?: "AuthHeader" | "QueryString"; scopeRegion?: string };
  };
  record: Record<string, unknown>;
  deviations: Record<string, string>;
}

// Fields CloudTrail added in later event versions (reference/cloudtrail.md §2.1), absent from older examples.
const LATER_FIELDS = ["eventVersion", "requestID", "eventID", "readOnly", "eventType", "managementEvent", "recipientAccountId", "eventCategory", "resources"];

const dir = join(import.meta.dirname, "records");
const registered = registerServices(services);

/** `{"$date": "..."}` in a golden file stands for a Date, as the codec hands one to the handler. */
const revive = (_key: string, value: unknown) =>
  value && typeof value === "object" && "$date" in value ? new Date(String((value as { $date: string }).$date)) : value;

describe("records match AWS's documented examples", () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    const golden = JSON.parse(readFileSync(join(dir, file), "utf8"), revive) as Golden;
    it(`${file}: ${golden.call.service} ${golden.call.operation}`, () => {
      const service = registered.get(golden.call.service)!;
      const model = service.model();
      const codec = service.codec();
      const error = golden.call.error
        ? new AwsError(golden.call.error.code, golden.call.error.message, { recordedCode: golden.call.error.recordedCode, unauthorized: golden.call.error.unauthorized })
        : undefined;
      const request = { method: "POST", target: "/", path: "/", query: "", headers: {}, ...golden.call.request, sourceIp: golden.call.sourceIp };
      const { record } = buildRecord({
        eventSource: service.definition.eventSource,
        recordRegion: recordedRegion(service.definition, golden.call.region, request),
        serviceAudit: service.definition.audit,
        model,
        operation: model.operations[golden.call.operation]!,
        audit: service.operation(golden.call.operation)?.audit,
        recordStyle: codec.recordStyle,
        errorCode: error ? codec.recordedErrorCode(model, error) : undefined,
        call: {
          input: golden.call.input,
          output: golden.call.output,
          error,
          caller: golden.call.caller,
          accountId: golden.call.caller.accountId,
          region: golden.call.region,
          requestId: golden.call.requestId ?? "request-id",
          request,
          auth: { signatureVersion: "SigV4", method: "AuthHeader", scopeRegion: golden.call.region, ...golden.call.auth },
        },
        userAgent: golden.call.userAgent,
        sourceIp: golden.call.sourceIp,
        eventTime: new Date(golden.call.eventTime),
        eventId: golden.call.eventId ?? "event-id",
      });
      const ours = record as unknown as Record<string, unknown>;
      for (const [field, expected] of Object.entries(golden.record)) {
        // Every record is written as the current version (1.11); the examples carry older ones.
        if (field in golden.deviations || field === "eventVersion") continue;
        if (field === "userIdentity" && "userIdentity.sessionContext" in golden.deviations) {
          const { sessionContext: expectedSession, ...identity } = expected as Record<string, unknown>;
          const { sessionContext: ourSession, ...ourIdentity } = ours.userIdentity as Record<string, unknown>;
          expect(ourIdentity, "userIdentity").toEqual(identity);
          expect(ourSession, "userIdentity.sessionContext").toMatchObject(expectedSession as object);
          continue;
        }
        expect(ours[field], field).toEqual(expected);
      }
      for (const field of Object.keys(ours)) {
        if (!(field in golden.record)) expect(LATER_FIELDS, `${field} is not in the example`).toContain(field);
      }
    });
  }
});
