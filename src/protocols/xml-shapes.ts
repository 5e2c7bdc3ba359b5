import type { MemberRef, ServiceModel, StructureShape } from "../types/model.js";
import { scalarToText } from "./scalars.js";
import { membersOf, presentMembers, shapeOf, wireName } from "./shapes.js";
import type { XmlWriter } from "./xml-writer.js";

/** What differs between the XML protocols when a shape is written. */
export interface XmlStyle {
  /** Element of a non-flattened list's items where the model names none: awsQuery and rest-xml `member`, ec2 `item`. */
  listMember: string;
  timestamp: (d: Date, format?: string) => string;
}

/** Writes the members of a structure in model order, skipping those the value leaves out. */
export function writeStructureMembers(w: XmlWriter, model: ServiceModel, shape: StructureShape, value: Record<string, unknown>, style: XmlStyle): void {
  for (const [name, ref] of presentMembers(shape, value)) {
    if (ref.location || ref.xmlAttribute) continue; // headers, status codes and attributes are not elements
    const v = value[name];
    if (v === null) continue;
    writeXmlValue(w, model, ref, wireName(name, ref), v, style);
  }
}

export function writeXmlValue(w: XmlWriter, model: ServiceModel, ref: MemberRef, element: string, value: unknown, style: XmlStyle): void {
  const shape = shapeOf(model, ref.shape);
  switch (shape.type) {
    case "structure": {
      const attributes = xmlAttributes(model, shape, value as Record<string, unknown>, ref);
      w.open(element, attributes);
      writeStructureMembers(w, model, shape, value as Record<string, unknown>, style);
      w.close(element);
      return;
    }
    case "list": {
      const items = value as unknown[];
      if (ref.flattened || shape.flattened) {
        for (const item of items) writeXmlValue(w, model, shape.member, element, item, style);
        return;
      }
      if (items.length === 0) {
        // An empty list is an empty element, never a missing one: boto3 raises KeyError on a missing list.
        w.empty(element);
        return;
      }
      const itemName = shape.member.locationName ?? style.listMember;
      w.open(element);
      for (const item of items) writeXmlValue(w, model, shape.member, itemName, item, style);
      w.close(element);
      return;
    }
    case "map": {
      const keyName = shape.key.locationName ?? "key";
      const valueName = shape.value.locationName ?? "value";
      const entries = Object.entries(value as Record<string, unknown>);
      const writeEntry = (k: string, v: unknown) => {
        w.leaf(keyName, k);
        writeXmlValue(w, model, shape.value, valueName, v, style);
      };
      if (ref.flattened || shape.flattened) {
        for (const [k, v] of entries) {
          w.open(element);
          writeEntry(k, v);
          w.close(element);
        }
        return;
      }
      w.open(element);
      for (const [k, v] of entries) {
        w.open("entry");
        writeEntry(k, v);
        w.close("entry");
      }
      w.close(element);
      return;
    }
    default:
      w.leaf(element, scalarToText(shape, ref, value, style.timestamp), namespaceAttribute(ref));
  }
}

function xmlAttributes(model: ServiceModel, shape: StructureShape, value: Record<string, unknown>, ref: MemberRef): Record<string, string> | undefined {
  if (!ref.xmlNamespace && !shape.xmlNamespace && !hasAttributes(shape)) return undefined;
  const attributes: Record<string, string> = { ...namespaceAttribute(ref), ...namespaceAttribute(shape) };
  for (const [name, member] of membersOf(shape)) {
    if (!member.xmlAttribute || value[name] === undefined) continue;
    attributes[wireName(name, member)] = scalarToText(shapeOf(model, member.shape), member, value[name], (d) => d.toISOString());
  }
  return Object.keys(attributes).length ? attributes : undefined;
}

function namespaceAttribute(ref: Pick<MemberRef, "xmlNamespace">): Record<string, string> | undefined {
  if (!ref.xmlNamespace) return undefined;
  return { [ref.xmlNamespace.prefix ? `xmlns:${ref.xmlNamespace.prefix}` : "xmlns"]: ref.xmlNamespace.uri };
}

const withAttributes = new WeakMap<StructureShape, boolean>();
const hasAttributes = (shape: StructureShape): boolean => {
  let has = withAttributes.get(shape);
  if (has === undefined) withAttributes.set(shape, (has = membersOf(shape).some(([, m]) => m.xmlAttribute)));
  return has;
};
