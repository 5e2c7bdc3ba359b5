import { AwsError } from "../types/aws-error.js";
import type { Codec } from "../types/codec.js";
import type { MemberRef, ServiceModel, Shape, StructureShape } from "../types/model.js";
import type { Call } from "../types/request-context.js";
import { formParams, numberedChildren, paramTree, type ParamNode } from "./form-params.js";
import { scalarFromText } from "./scalars.js";
import { membersOf, setEntry, shapeOf, structureOf, wireError, wireName } from "./shapes.js";
import { isoSeconds } from "./timestamps.js";
import { writeStructureMembers, type XmlStyle } from "./xml-shapes.js";
import { XmlWriter } from "./xml-writer.js";
import { invalidInput, requestIdHeaders } from "./responses.js";

/** How a list or map is spelled in a request's parameter names. */
export interface FormStyle {
  /** The parameter name of a member: awsQuery uses the locationName, ec2 its queryName or capitalised locationName. */
  memberName(name: string, ref: MemberRef): string;
  /** ec2 lists are always flattened (`Filter.1.Name`), awsQuery lists use `.member.N` unless flattened. */
  listsFlattened: boolean;
}

const queryFormStyle: FormStyle = {
  memberName: (name, ref) => wireName(name, ref),
  listsFlattened: false,
};

const queryXmlStyle: XmlStyle = { listMember: "member", timestamp: isoSeconds };

/** A structure's members by their parameter name in a style, worked out once per shape. */
const byWireName = new WeakMap<FormStyle, WeakMap<StructureShape, Map<string, [string, MemberRef]>>>();
function membersByWireName(shape: StructureShape, style: FormStyle): Map<string, [string, MemberRef]> {
  let shapes = byWireName.get(style);
  if (!shapes) byWireName.set(style, (shapes = new WeakMap()));
  let members = shapes.get(shape);
  if (!members) shapes.set(shape, (members = new Map(membersOf(shape).map(([name, ref]) => [style.memberName(name, ref), [name, ref]]))));
  return members;
}

/** Reads a structure from a parameter tree, converting scalars by the model: the parameters sent, not every member. */
export function readFormStructure(model: ServiceModel, shapeName: string, node: ParamNode, style: FormStyle, path: string, invalid: (m: string) => AwsError): Record<string, unknown> {
  const shape = structureOf(model, shapeName);
  const members = membersByWireName(shape, style);
  const out: Record<string, unknown> = {};
  for (const [wire, child] of node.children) {
    const member = members.get(wire);
    if (!member) continue;
    const [name, ref] = member;
    out[name] = readFormValue(model, shapeOf(model, ref.shape), ref, child, style, path ? `${path}.${name}` : name, invalid);
  }
  return out;
}

function readFormValue(model: ServiceModel, shape: Shape, ref: MemberRef, node: ParamNode, style: FormStyle, path: string, invalid: (m: string) => AwsError): unknown {
  switch (shape.type) {
    case "structure":
      return readFormStructure(model, ref.shape, node, style, path, invalid);
    case "list": {
      // Both clients send an empty list as `Name=` (reference/protocols.md §2.1).
      if (node.value === "" && node.children.size === 0) return [];
      const flattened = style.listsFlattened || ref.flattened || shape.flattened;
      const container = flattened ? node : node.children.get(shape.member.locationName ?? "member");
      if (!container) return [];
      const itemShape = shapeOf(model, shape.member.shape);
      return numberedChildren(container).map((item, i) => readFormValue(model, itemShape, shape.member, item, style, `${path}.${i + 1}`, invalid));
    }
    case "map": {
      const flattened = ref.flattened || shape.flattened;
      const container = flattened ? node : node.children.get("entry");
      const out: Record<string, unknown> = {};
      if (!container) return out;
      const keyName = shape.key.locationName ?? "key";
      const valueName = shape.value.locationName ?? "value";
      for (const entry of numberedChildren(container)) {
        const key = entry.children.get(keyName)?.value;
        const value = entry.children.get(valueName);
        if (key === undefined || !value) continue;
        setEntry(out, key, readFormValue(model, shapeOf(model, shape.value.shape), shape.value, value, style, `${path}.${key}`, invalid));
      }
      return out;
    }
    default:
      return scalarFromText(shape, node.value ?? "", path, invalid);
  }
}

/** awsQuery (IAM, STS): form parameters in, `<OpResponse><OpResult>` XML out. */
export const queryCodec: Codec = {
  protocol: "query",
  recordStyle: "camel",

  operationName(call) {
    return formParams(call).get("Action");
  },

  async decodeInput(call, operation, model) {
    if (!operation.input) return {};
    return readFormStructure(model, operation.input.shape, paramTree(formParams(call)), queryFormStyle, "", invalidInput(call));
  },

  encodeOutput(call, operation, model, output) {
    const namespace = model.metadata.xmlNamespace;
    const w = new XmlWriter();
    w.open(`${operation.name}Response`, namespace ? { xmlns: namespace } : undefined);
    if (operation.output) {
      const wrapper = operation.output.resultWrapper ?? `${operation.name}Result`;
      w.open(wrapper);
      writeStructureMembers(w, model, structureOf(model, operation.output.shape), (output ?? {}) as Record<string, unknown>, queryXmlStyle);
      w.close(wrapper);
    }
    w.open("ResponseMetadata").leaf("RequestId", call.requestId).close("ResponseMetadata");
    w.close(`${operation.name}Response`);
    return xml(call, 200, w.toString());
  },

  encodeError(call, model, error) {
    const { code, status } = wireError(model, error.code, error.status, true);
    const w = new XmlWriter();
    w.open("ErrorResponse", model.metadata.xmlNamespace ? { xmlns: model.metadata.xmlNamespace } : undefined);
    w.open("Error")
      .leaf("Type", error.senderFault ? "Sender" : "Receiver")
      .leaf("Code", code)
      .leaf("Message", error.message)
      .close("Error");
    w.leaf("RequestId", call.requestId);
    w.close("ErrorResponse");
    return xml(call, status, w.toString());
  },

  recordedErrorCode(_model, error) {
    return error.recordedCode ?? error.code;
  },
};

function xml(call: Call, status: number, body: string): Response {
  return new Response(body, { status, headers: { "content-type": "text/xml", ...requestIdHeaders(call) } });
}

