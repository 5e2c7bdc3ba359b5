import type { Call } from "../types/request-context.js";
import { XmlWriter } from "./xml-writer.js";
import { requestIdHeaders } from "./responses.js";

/** The call's outcome as an HTTP response, by the codec of its service. */
export function encodeResponse(call: Call): Response {
  const { codec, model, operation } = call;
  if (call.error) {
    if (codec && model) return codec.encodeError(call, model, call.error);
    return unroutedError(call);
  }
  return codec!.encodeOutput(call, operation!, model!, call.output);
}

/** A request no service could be found for gets the generic AWS XML error envelope. */
function unroutedError(call: Call): Response {
  const error = call.error!;
  const w = new XmlWriter();
  w.open("ErrorResponse")
    .open("Error")
    .leaf("Type", error.senderFault ? "Sender" : "Receiver")
    .leaf("Code", error.code)
    .leaf("Message", error.message)
    .close("Error")
    .leaf("RequestId", call.requestId)
    .close("ErrorResponse");
  return new Response(w.toString(), { status: error.status ?? 400, headers: { "content-type": "text/xml", ...requestIdHeaders(call) } });
}
