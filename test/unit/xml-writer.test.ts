import { describe, expect, it } from "vitest";
import { escapeXml, XmlWriter } from "../../src/protocols/xml-writer.js";

describe("XmlWriter", () => {
  it("escapes markup and keeps carriage returns", () => {
    expect(escapeXml(`a&b<c>d"e'f\r`)).toBe("a&amp;b&lt;c&gt;d&quot;e'f&#xD;");
  });

  it("replaces characters XML 1.0 cannot carry instead of failing", () => {
    expect(escapeXml("a\u0000b\u0001c\uFFFEd\uD800e")).toBe("a\uFFFDb\uFFFDc\uFFFDd\uFFFDe");
    expect(escapeXml("ok \u{1F600} \t\n")).toBe("ok \u{1F600} \t\n");
  });

  it("writes empty elements for empty text", () => {
    expect(new XmlWriter().open("A", { xmlns: "urn:x" }).leaf("B", "").leaf("C", "1").close("A").toString()).toBe('<A xmlns="urn:x"><B/><C>1</C></A>');
  });

  it("closes an element with nothing inside as AWS does, and ends the declaration with a newline", () => {
    expect(new XmlWriter(true).open("V", { xmlns: "urn:x" }).close("V").toString()).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<V xmlns="urn:x"/>');
    expect(new XmlWriter().open("A").open("groupSet").close("groupSet").open("B").leaf("C", "1").close("B").close("A").toString()).toBe("<A><groupSet/><B><C>1</C></B></A>");
  });
});
