import { AwsError } from "../types/aws-error.js";

/** One element of a parsed request body: its local name, attributes, text and child elements in order. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  text: string;
  children: XmlElement[];
}

/** xml2js's element form with explicitChildren + preserveChildrenOrder (children in `$$`, name in `#name`). */
interface RawElement {
  "#name"?: string;
  _?: string;
  $?: Record<string, string>;
  $$?: RawElement[];
}

/**
 * xml2js (sax) in strict mode, as reference/protocols.md §6.1 settles: entities of a DOCTYPE are never
 * expanded (no billion laughs, no XXE), whitespace is kept (S3 keys may start or end with spaces),
 * namespace prefixes are dropped, children keep their order.
 */
const OPTIONS = (stripPrefix: (name: string) => string) => ({
  strict: true,
  trim: false,
  normalize: false,
  explicitRoot: true,
  explicitArray: true,
  explicitCharkey: true,
  explicitChildren: true,
  preserveChildrenOrder: true,
  emptyTag: "",
  tagNameProcessors: [stripPrefix],
  async: false,
});

// xml2js and the xmlbuilder it brings cost a tenth of the start-up: loaded with the first XML body instead.
let xml2js: Promise<typeof import("xml2js")> | undefined;
const loadXml2js = () => (xml2js ??= import("xml2js"));

// sax parses synchronously: a cap keeps one request from holding the event loop (10,000 multipart parts
// are about 1 MB; S3 caps DeleteObjects at 1,000 keys of up to 1,024 bytes each).
export const XML_BODY_LIMIT = 2 << 20;

export const malformedXml = () =>
  new AwsError("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema", { status: 400 });

/** The root element of a request body; undefined for an empty body; MalformedXML for anything else sax rejects. */
export async function parseXml(body: Buffer, limit = XML_BODY_LIMIT): Promise<XmlElement | undefined> {
  if (body.length > limit) throw malformedXml();
  const text = body.toString("utf8");
  if (text.trim() === "") return undefined;
  let parsed: unknown;
  try {
    const { parseStringPromise, processors } = await loadXml2js();
    parsed = await parseStringPromise(text, OPTIONS(processors.stripPrefix));
  } catch {
    throw malformedXml();
  }
  if (!parsed || typeof parsed !== "object") throw malformedXml();
  const [root] = Object.values(parsed as Record<string, RawElement>);
  if (!root) throw malformedXml();
  return toElement(root);
}

function toElement(raw: RawElement): XmlElement {
  return {
    name: raw["#name"] ?? "",
    attributes: { ...raw.$ },
    text: raw._ ?? "",
    children: (raw.$$ ?? []).map(toElement),
  };
}

/** The children of an element with a given local name. */
export const childrenNamed = (element: XmlElement, name: string): XmlElement[] => element.children.filter((c) => c.name === name);
