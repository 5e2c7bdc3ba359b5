import type { Call } from "../types/request-context.js";
import { queryParams } from "../gateway/query-params.js";

/** Parsed once per call and body: routing, the operation name and the input decoder all read them. */
const parsed = new WeakMap<Call, { body: Buffer | undefined; params: Map<string, string> }>();

/**
 * The parameters of an awsQuery or ec2 request: the URL query merged with a form body (clients may send
 * either, e.g. a presigned GET for STS GetCallerIdentity). `+` means space here, as in any form.
 */
export function formParams(call: Call): Map<string, string> {
  const cached = parsed.get(call);
  if (cached && cached.body === call.body) return cached.params;
  const params = parseFormParams(call);
  parsed.set(call, { body: call.body, params });
  return params;
}

function parseFormParams(call: Call): Map<string, string> {
  const params = new Map<string, string>();
  for (const [k, v] of queryParams(call.raw)) params.set(k, v);
  const type = call.raw.headers["content-type"] ?? "";
  if (call.body && call.body.length > 0 && (type === "" || type.startsWith("application/x-www-form-urlencoded"))) {
    for (const [k, v] of new URLSearchParams(call.body.toString("utf8"))) params.set(k, v);
  }
  return params;
}

/** Parameters as a tree split on `.`: `Tags.member.1.Key` -> Tags > member > 1 > Key. */
export interface ParamNode {
  value?: string;
  children: Map<string, ParamNode>;
}

export function paramTree(params: Map<string, string>): ParamNode {
  const root: ParamNode = { children: new Map() };
  for (const [key, value] of params) {
    let node = root;
    for (let start = 0; ; ) {
      const dot = key.indexOf(".", start);
      const part = dot === -1 ? key.slice(start) : key.slice(start, dot);
      let child = node.children.get(part);
      if (!child) node.children.set(part, (child = { children: new Map() }));
      node = child;
      if (dot === -1) break;
      start = dot + 1;
    }
    node.value = value;
  }
  return root;
}

const NUMBER = /^\d+$/;

/** Children named 1, 2, 3... in numeric order (list items, map entries). */
export function numberedChildren(node: ParamNode): ParamNode[] {
  const numbered: [number, ParamNode][] = [];
  for (const [k, n] of node.children) if (NUMBER.test(k)) numbered.push([Number(k), n]);
  numbered.sort((a, b) => a[0] - b[0]);
  return numbered.map(([, n]) => n);
}
