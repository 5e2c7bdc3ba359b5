import type { Step } from "../types/step.js";
import type { Ids, RegisteredService } from "../types/service.js";
import type { Protocol } from "../types/model.js";
import { formParams } from "../protocols/form-params.js";
import { shapeOf } from "../protocols/shapes.js";
import { ServiceCatalog } from "./resolve-service.js";
import { RestRouter } from "./rest-routes.js";
import { bufferBody } from "./read-body.js";
import { queryParams } from "./query-params.js";
import { unknownOperation, unknownService } from "./gateway-errors.js";
import type { Call } from "../types/request-context.js";
import type { Config } from "../config.js";

/** Bodies held in memory: Lambda's CreateFunction carries a zip of up to 50 MB as base64 JSON. */
const BODY_LIMIT: Record<Protocol, number> = {
  query: 16 << 20,
  ec2: 16 << 20,
  json: 16 << 20,
  "rest-xml": 16 << 20,
  "rest-json": 80 << 20,
};

export interface ResolveOperationOptions {
  catalog: ServiceCatalog;
  services: Map<string, RegisteredService>;
  ids: Ids;
  config: Config;
}

/**
 * Which service and operation a request is for (reference/protocols.md §1.1). Reads the body when the
 * operation is named inside it (awsQuery's Action) and for every operation without a streaming payload.
 */
export function resolveOperation(options: ResolveOperationOptions): Step {
  const routers = new Map<string, RestRouter>();
  return async function resolveOperation(call, next) {
    // A call made inside the emulator names its service and operation itself.
    if (call.internal) return next();
    const query = queryParams(call.raw);
    let match = options.catalog.serviceFor(call.raw, query);
    if ((!match || "unknown" in match || match.service === "s3") && ServiceCatalog.mayCarryAction(call.raw)) {
      await bufferBody(call, BODY_LIMIT.query);
      match = options.catalog.serviceFor(call.raw, query, formParams(call)) ?? match;
    }
    if (!match) throw unknownService("this request");
    if ("unknown" in match) throw unknownService(match.unknown);
    const service = options.services.get(match.service);
    if (!service) throw unknownService(match.service);
    const model = service.model();
    const codec = service.codec();
    call.service = service;
    call.model = model;
    call.codec = codec;
    call.requestId = service.definition.requestId?.(options.ids) ?? call.requestId;
    const limit = BODY_LIMIT[codec.protocol];

    let name: string | undefined;
    if (codec.operationName) {
      await bufferBody(call, limit);
      name = codec.operationName(call);
      if (!name || !model.operations[name]) throw unknownOperation(codec.protocol, name, model.metadata.apiVersion);
    } else {
      let router = routers.get(service.definition.name);
      if (!router) routers.set(service.definition.name, (router = new RestRouter(model)));
      const path = service.definition.routingPath?.(call.raw, options.config) ?? call.raw.path;
      const found = router.match(call.raw.method, path, query);
      name = service.definition.chooseOperation?.(found.operations, call.raw, query) ?? found.operations[0];
      if (!name) throw unknownOperation(codec.protocol, undefined, model.metadata.apiVersion);
      call.pathLabels = found.labels.get(name);
    }
    // An operation of the model that is not emulated goes on: it is authenticated and recorded like any failed
    // call (AWS records every call it attributes), and the handler step answers NotImplemented.
    call.operation = model.operations[name];
    if (!hasStreamingInput(call) || declaredLength(call) <= SMALL_STREAMED_BODY) await bufferBody(call, limit);
    await next();
  };
}

/**
 * A streamed payload this small is read at once: for a few KiB, streams and the transforms that check and
 * hash them cost more than the bytes.
 */
const SMALL_STREAMED_BODY = 64 * 1024;

const declaredLength = (call: Call): number => {
  const header = call.raw.headers["content-length"];
  return header !== undefined && /^\d+$/.test(header) ? Number(header) : Infinity;
};

/** Operations whose payload member is a streaming blob (S3 PutObject, UploadPart) read their body as a stream. */
function hasStreamingInput(call: Call): boolean {
  const inputName = call.operation?.input?.shape;
  if (!inputName || !call.model) return false;
  const input = shapeOf(call.model, inputName);
  if (input.type !== "structure" || !input.payload) return false;
  const payload = input.members[input.payload];
  if (!payload) return false;
  const shape = shapeOf(call.model, payload.shape);
  return shape.type === "blob" && (shape.streaming === true || payload.streaming === true);
}

