/**
 * A small XML writer. The codecs walk the model and know every element name, so they write text directly;
 * xml2js's Builder would render Date and undefined as empty elements and throw on characters XML 1.0
 * cannot hold (reference/protocols.md §6.2), which a handler's data (an S3 key) can contain.
 */
export class XmlWriter {
  private readonly parts: string[] = [];

  constructor(declaration = false) {
    if (declaration) this.parts.push('<?xml version="1.0" encoding="UTF-8"?>');
  }

  open(name: string, attributes?: Record<string, string>): this {
    this.parts.push(`<${name}${renderAttributes(attributes)}>`);
    return this;
  }

  close(name: string): this {
    this.parts.push(`</${name}>`);
    return this;
  }

  /** `<name>text</name>`, or `<name/>` for an empty string. */
  leaf(name: string, text: string, attributes?: Record<string, string>): this {
    this.parts.push(text === "" ? `<${name}${renderAttributes(attributes)}/>` : `<${name}${renderAttributes(attributes)}>${escapeXml(text)}</${name}>`);
    return this;
  }

  empty(name: string): this {
    this.parts.push(`<${name}/>`);
    return this;
  }

  toString(): string {
    return this.parts.join("");
  }
}

// Characters XML 1.0 cannot carry at all: C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const NEEDS_ESCAPE = /[&<>"\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

export function escapeXml(text: string): string {
  // Most text (names, ids, dates) has nothing to escape.
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/\r/g, "&#xD;")
    .replace(NOT_XML, "\uFFFD");
}

function renderAttributes(attributes: Record<string, string> | undefined): string {
  if (!attributes) return "";
  return Object.entries(attributes)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join("");
}
