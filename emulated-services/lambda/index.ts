import type { InvocationRequest, Operations } from "../../src/generated/types/lambda.js";
import { defineService } from "../../src/registry.js";
import { lambdaAuthorization } from "./authorization.js";
import { withoutMember } from "../../src/recorder/record-edits.js";
import type { AuditView } from "../../src/types/service.js";
import { getAccountSettings } from "./account-settings.js";
import { createAlias, deleteAlias, getAlias, listAliases, updateAlias } from "./aliases.js";
import { createFunction, deleteFunction, getFunction, getFunctionConfiguration, listFunctions, updateFunctionCode, updateFunctionConfiguration } from "./functions.js";
import { deleteFunctionConcurrency, getFunctionCodeSigningConfig, getFunctionConcurrency, getFunctionRecursionConfig, putFunctionConcurrency } from "./function-settings.js";
import { invocationFacts, invoke } from "./invocations.js";
import { functionArn } from "./names.js";
import { addPermission, getPolicy, removePermission } from "./permissions.js";
import { lambdaRuntime } from "./runtime/lambda-runtime.js";
import { listTags, tagResource, untagResource } from "./tags.js";
import { listVersionsByFunction, publishVersion } from "./versions.js";

/**
 * Lambda: the operation table. CloudTrail names most Lambda events after the internal operation behind each
 * API, with its date and version (`CreateFunction20150331`, `UpdateFunctionCode20150331v2`); Invoke keeps its
 * name and is a data event (reference/cloudtrail.md §2.6(e), §3.3). The ZipFile is never recorded, nor the
 * Environment of CreateFunction and UpdateFunctionConfiguration, nor environment variables in a response
 * (https://docs.aws.amazon.com/lambda/latest/dg/logging-using-cloudtrail.html, API_EnvironmentResponse.html).
 */
export const lambda = defineService<Operations>({
  name: "lambda",
  eventSource: "lambda.amazonaws.com",
  validation: { code: "ValidationException", constraints: true },
  authorization: lambdaAuthorization,
  audit: { resourceMembers: { FunctionName: "AWS::Lambda::Function", Resource: "AWS::Lambda::Function" } },
  start: ({ env }) => lambdaRuntime(env),
  operations: {
    CreateFunction: {
      handler: createFunction,
      audit: {
        eventName: "CreateFunction20150331",
        requestParameters: (_call, shaped) => withoutTopMember(withoutMember(shaped(), "code", "zipFile"), "environment"),
        responseElements: withoutVariables,
      },
    },
    GetFunction: { handler: getFunction, audit: { eventName: "GetFunction20150331v2" } },
    GetFunctionConfiguration: { handler: getFunctionConfiguration, audit: { eventName: "GetFunctionConfiguration20150331v2" } },
    ListFunctions: { handler: listFunctions, audit: { eventName: "ListFunctions20150331" } },
    UpdateFunctionCode: {
      handler: updateFunctionCode,
      audit: { eventName: "UpdateFunctionCode20150331v2", requestParameters: (_call, shaped) => withoutTopMember(shaped(), "zipFile"), responseElements: withoutVariables },
    },
    UpdateFunctionConfiguration: {
      handler: updateFunctionConfiguration,
      audit: {
        eventName: "UpdateFunctionConfiguration20150331v2",
        requestParameters: (_call, shaped) => withoutTopMember(shaped(), "environment"),
        responseElements: withoutVariables,
      },
    },
    // The answer has no body: AWS records null, not the status code.
    DeleteFunction: { handler: deleteFunction, audit: { eventName: "DeleteFunction20150331", responseElements: () => null } },
    GetAccountSettings: { handler: getAccountSettings, audit: { eventName: "GetAccountSettings20160819" } },
    // Named like the others: the operation and the date of its API version (its request URI's).
    PutFunctionConcurrency: { handler: putFunctionConcurrency, audit: { eventName: "PutFunctionConcurrency20171031" } },
    GetFunctionConcurrency: { handler: getFunctionConcurrency, audit: { eventName: "GetFunctionConcurrency20190930" } },
    DeleteFunctionConcurrency: { handler: deleteFunctionConcurrency, audit: { eventName: "DeleteFunctionConcurrency20171031", responseElements: () => null } },
    GetFunctionCodeSigningConfig: { handler: getFunctionCodeSigningConfig, audit: { eventName: "GetFunctionCodeSigningConfig20200630" } },
    GetFunctionRecursionConfig: { handler: getFunctionRecursionConfig, audit: { eventName: "GetFunctionRecursionConfig20240831" } },

    PublishVersion: { handler: publishVersion, audit: { eventName: "PublishVersion20150331", responseElements: withoutVariables } },
    ListVersionsByFunction: { handler: listVersionsByFunction, audit: { eventName: "ListVersionsByFunction20150331" } },

    CreateAlias: { handler: createAlias, audit: { eventName: "CreateAlias20150331" } },
    GetAlias: { handler: getAlias, audit: { eventName: "GetAlias20150331" } },
    ListAliases: { handler: listAliases, audit: { eventName: "ListAliases20150331" } },
    UpdateAlias: { handler: updateAlias, audit: { eventName: "UpdateAlias20150331" } },
    DeleteAlias: { handler: deleteAlias, audit: { eventName: "DeleteAlias20150331" } },

    AddPermission: { handler: addPermission, audit: { eventName: "AddPermission20150331v2" } },
    GetPolicy: { handler: getPolicy, audit: { eventName: "GetPolicy20150331v2" } },
    RemovePermission: { handler: removePermission, audit: { eventName: "RemovePermission20150331v2" } },

    TagResource: { handler: tagResource, audit: { eventName: "TagResource20170331v2" } },
    UntagResource: { handler: untagResource, audit: { eventName: "UntagResource20170331v2" } },
    ListTags: { handler: listTags, audit: { eventName: "ListTags20170331" } },

    Invoke: {
      handler: invoke,
      audit: {
        category: "Data",
        readOnly: false,
        resources: (call) => [{ accountId: call.accountId, type: "AWS::Lambda::Function", ARN: invokedFunction(call) }],
        // Real records: a synchronous Invoke has null requestParameters; an asynchronous one names the function and the type.
        requestParameters: ({ input }) => (input?.InvocationType === "Event" ? { functionName: input.FunctionName, invocationType: "Event" } : null),
        responseElements: () => null,
        additionalEventData: ({ input }) => {
          const facts = input && invocationFacts.get(input);
          return facts && { functionVersion: facts.executedVersionArn };
        },
      },
    },
  },
});

/** The unqualified ARN of the invoked function, also when the call failed before finding it. */
function invokedFunction(call: AuditView<InvocationRequest, unknown>): string {
  const facts = call.input && invocationFacts.get(call.input);
  if (facts) return facts.functionArn;
  const name = call.input?.FunctionName ?? "";
  const parts = name.split(":");
  if (parts[0] === "arn") return parts.slice(0, 7).join(":");
  if (parts[1] === "function") return functionArn(call.region, parts[0]!, parts[2] ?? "");
  return functionArn(call.region, call.accountId, parts[0]!);
}

/** A function's configuration in a response, its environment variables left out. */
function withoutVariables(_call: unknown, shaped: () => Record<string, unknown> | null): Record<string, unknown> | null {
  return withoutMember(shaped(), "environment", "variables");
}

function withoutTopMember(shaped: Record<string, unknown> | null, member: string): Record<string, unknown> | null {
  if (!shaped) return shaped;
  const { [member]: _dropped, ...rest } = shaped;
  return rest;
}
