/**
 * A small XML writer. The codecs walk the model and know every element name, so they write text directly;
 * xml2js's Builder would render Date and undefined as empty elements and throw on characters XML 1.0
 * cannot hold (reference/protocols.md §6.2), which a handler's data (an S3 key) can contain.
 */
export class XmlWriter {
  // One string appended to (V8 joins the pieces once, when it is read): no array of parts per document.
  private text = "";
  /** The length right after the last open(): unchanged at close() means an empty element. */
  private afterOpen = -1;

  constructor(declaration = false) {
    // S3 ends the declaration with a newline (reference/protocols.md §2.4), as EC2's pretty-printed answers
    // do; it counts in S3's bytesTransferredOut.
    if (declaration) this.text = '<?xml version="1.0" encoding="UTF-8"?>\n';
  }

  open(name: string, attributes?: Record<string, string>): this {
    this.text += attributes ? `<${name}${renderAttributes(attributes)}>` : `<${name}>`;
    this.afterOpen = this.text.length;
    return this;
  }

  /** Closes an element; one with nothing inside becomes `<name/>`, as AWS writes it (`<groupSet/>`). */
  close(name: string): this {
    if (this.afterOpen === this.text.length) this.text = `${this.text.slice(0, -1)}/>`;
    else this.text += `</${name}>`;
    this.afterOpen = -1;
    return this;
  }

  /** `<name>text</name>`, or `<name/>` for an empty string. */
  leaf(name: string, text: string, attributes?: Record<string, string>): this {
    const open = attributes ? `<${name}${renderAttributes(attributes)}` : `<${name}`;
    this.text += text === "" ? `${open}/>` : `${open}>${escapeXml(text)}</${name}>`;
    return this;
  }

  empty(name: string): this {
    this.text += `<${name}/>`;
    return this;
  }

  toString(): string {
    return this.text;
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

function renderAttributes(attributes: Record<string, string>): string {
  let out = "";
  for (const k in attributes) out += ` ${k}="${escapeXml(attributes[k]!)}"`;
  return out;
}
