import type { ServiceModel } from "../types/model.js";

type Segment = { literal: string } | { label: string; greedy: boolean };

interface Route {
  operation: string;
  method: string;
  segments: Segment[];
  /** Query keys the route requires, with the value when the template fixes one (`?list-type=2`). */
  query: [string, string | undefined][];
  /** Higher is more specific: required query keys first, then literal segments. */
  specificity: number;
}

export interface RestMatch {
  /** Every operation whose template fits, most specific first (S3 needs headers to choose among some). */
  operations: string[];
  /** Path labels, percent-decoded once, per operation. */
  labels: Map<string, Record<string, string>>;
}

/**
 * Matches REST requests to operations by the HTTP bindings of the model (`PUT /{Bucket}/{Key+}?tagging`),
 * for rest-xml and rest-json alike. The path is matched raw, segment by segment, so `%2F` inside a label
 * stays part of it and `..` or `//` in an S3 key are kept literally.
 */
export class RestRouter {
  private readonly routes: Route[];

  constructor(model: ServiceModel) {
    this.routes = Object.values(model.operations)
      .map((op) => parseTemplate(op.name, op.http.method, op.http.requestUri))
      .sort((a, b) => b.specificity - a.specificity);
  }

  match(method: string, rawPath: string, query: URLSearchParams): RestMatch {
    const parts = rawPath.split("/").slice(1);
    const operations: string[] = [];
    const labels = new Map<string, Record<string, string>>();
    for (const route of this.routes) {
      if (route.method !== method) continue;
      if (!route.query.every(([k, v]) => query.has(k) && (v === undefined || query.get(k) === v))) continue;
      const bound = bindPath(route.segments, parts);
      if (!bound) continue;
      operations.push(route.operation);
      labels.set(route.operation, bound);
    }
    return { operations, labels };
  }
}

function parseTemplate(operation: string, method: string, requestUri: string): Route {
  const [path = "", queryPart] = requestUri.split("?");
  const segments: Segment[] = path
    .split("/")
    .slice(1)
    .filter((s, i, all) => s !== "" || i < all.length - 1)
    .map((s) => {
      const m = /^\{([^}+]+)(\+)?\}$/.exec(s);
      return m ? { label: m[1]!, greedy: m[2] === "+" } : { literal: s };
    });
  const query: [string, string | undefined][] = (queryPart ?? "")
    .split("&")
    .filter(Boolean)
    .map((p) => {
      const eq = p.indexOf("=");
      return eq === -1 ? [p, undefined] : [p.slice(0, eq), p.slice(eq + 1)];
    });
  const literals = segments.filter((s) => "literal" in s).length;
  return { operation, method, segments, query, specificity: query.length * 100 + literals };
}

function bindPath(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  let i = 0;
  for (const segment of segments) {
    if ("literal" in segment) {
      if (parts[i] !== segment.literal) return undefined;
      i++;
      continue;
    }
    if (segment.greedy) {
      const rest = parts.slice(i).join("/");
      if (rest === "") return undefined;
      labels[segment.label] = decode(rest);
      return labels;
    }
    const part = parts[i];
    if (part === undefined || part === "") return undefined;
    labels[segment.label] = decode(part);
    i++;
  }
  // A single trailing slash (`PUT /bkt/`, SDK v3's form of a bucket operation) still matches.
  const rest = parts.slice(i);
  return rest.length === 0 || (rest.length === 1 && rest[0] === "") ? labels : undefined;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
