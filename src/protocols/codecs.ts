import type { Codec } from "../types/codec.js";
import type { Protocol } from "../types/model.js";
import { ec2Codec } from "./ec2.js";
import { jsonCodec } from "./json.js";
import { queryCodec } from "./query.js";
import { restXmlCodec } from "./rest-xml.js";
import { restJsonCodec } from "./rest-json.js";

/** The codec of each wire protocol; a service's model says which one it speaks. */
const codecs: Partial<Record<Protocol, Codec>> = {
  query: queryCodec,
  ec2: ec2Codec,
  json: jsonCodec,
  "rest-json": restJsonCodec,
  "rest-xml": restXmlCodec,
};

export function codecFor(protocol: Protocol): Codec {
  const codec = codecs[protocol];
  if (!codec) throw new Error(`no codec for the ${protocol} protocol yet`);
  return codec;
}
