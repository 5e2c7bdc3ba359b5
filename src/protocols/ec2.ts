import { AwsError } from "../types/aws-error.js";
import type { Codec } from "../types/codec.js";
import type { MemberRef, ServiceModel } from "../types/model.js";
import type { Call } from "../types/request-context.js";
import { formParams, paramTree, type ParamNode } from "./form-params.js";
import { readFormStructure, type FormStyle } from "./query.js";
import { requestIdHeaders } from "./responses.js";
import { structureOf, wireError } from "./shapes.js";
import { isoMillis } from "./timestamps.js";
import { writeStructureMembers, type XmlStyle } from "./xml-shapes.js";
import { XmlWriter } from "./xml-writer.js";

/**
 * Parameter names of the ec2 protocol (smithy aws-ec2-query-protocol, botocore EC2Serializer): a member's
 * queryName, else its locationName with the first letter upper-cased, else its name; lists always flattened.
 */
const ec2FormStyle: FormStyle = {
  memberName: (name, ref) => ec2ParameterName(name, ref),
  listsFlattened: true,
};

const ec2XmlStyle: XmlStyle = { listMember: "item", timestamp: isoMillis };

// The model's xmlNamespace lacks the trailing slash EC2 writes (reference/protocols.md §2.3).
const NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";

/** Parameters every request may carry beside the operation's members: the action, and a presigned URL's signature. */
const PROTOCOL_PARAMETER = /^(Action|Version|X-Amz-[A-Za-z-]+)$/;

export function ec2ParameterName(name: string, ref: MemberRef): string {
  if (ref.queryName) return ref.queryName;
  if (ref.locationName) return ref.locationName.charAt(0).toUpperCase() + ref.locationName.slice(1);
  return name;
}

/** EC2's errors are not modelled: a value the model cannot hold is InvalidParameterValue. */
const invalidValue = (message: string) => new AwsError("InvalidParameterValue", message, { status: 400 });

/** ec2 (EC2): form parameters in, `<OpResponse><requestId>` and the output members out, no Result wrapper. */
export const ec2Codec: Codec = {
  protocol: "ec2",
  recordStyle: "ec2",

  operationName(call) {
    return formParams(call).get("Action");
  },

  async decodeInput(call, operation, model) {
    if (!operation.input) return {};
    const tree = paramTree(formParams(call));
    const input = readFormStructure(model, operation.input.shape, tree, ec2FormStyle, "", invalidValue);
    checkParameters(call, model, operation.input.shape, tree, input);
    return input;
  },

  encodeOutput(call, operation, model, output) {
    const w = new XmlWriter(true);
    w.open(`${operation.name}Response`, { xmlns: NAMESPACE });
    w.leaf("requestId", call.requestId);
    if (operation.output) {
      writeStructureMembers(w, model, structureOf(model, operation.output.shape), (output ?? {}) as Record<string, unknown>, ec2XmlStyle);
    } else {
      // EC2 answers the operations that return nothing else with <return>true</return>.
      w.leaf("return", "true");
    }
    w.close(`${operation.name}Response`);
    return xml(call, 200, w.toString());
  },

  encodeError(call, model, error) {
    const { code, status } = wireError(model, error.code, error.status, false);
    const w = new XmlWriter(true);
    w.open("Response")
      .open("Errors")
      .open("Error")
      .leaf("Code", code)
      .leaf("Message", error.message)
      .close("Error")
      .close("Errors");
    // RequestID, capital D: what botocore's EC2 parser reads (reference/protocols.md §2.3).
    w.leaf("RequestID", call.requestId);
    w.close("Response");
    return xml(call, status, w.toString());
  },

  // CloudTrail prefixes EC2's error codes with the fault's side: Client.InvalidInstanceID.NotFound.
  recordedErrorCode(_model, error) {
    return `${error.senderFault ? "Client" : "Server"}.${error.recordedCode ?? error.code}`;
  },
};

/**
 * EC2 rejects a parameter it does not know (UnknownParameter) and a missing required one (MissingParameter),
 * naming it as the client spelled it. The decoded input is kept on the call first: AWS still records what
 * the client sent as requestParameters.
 */
function checkParameters(call: Call, model: ServiceModel, shapeName: string, tree: ParamNode, input: Record<string, unknown>): void {
  const shape = structureOf(model, shapeName);
  const known = new Set(Object.entries(shape.members).map(([name, ref]) => ec2ParameterName(name, ref)));
  const unknown = [...tree.children.keys()].find((key) => !known.has(key) && !PROTOCOL_PARAMETER.test(key));
  const missing = (shape.required ?? []).find((name) => input[name] === undefined);
  if (unknown === undefined && missing === undefined) return;
  call.input = input;
  if (unknown !== undefined) throw new AwsError("UnknownParameter", `The parameter ${unknown} is not recognized`, { status: 400 });
  throw new AwsError("MissingParameter", `The request must contain the parameter ${ec2ParameterName(missing!, shape.members[missing!]!)}`, { status: 400 });
}

function xml(call: Call, status: number, body: string): Response {
  return new Response(body, { status, headers: { "content-type": "text/xml;charset=UTF-8", ...requestIdHeaders(call) } });
}
