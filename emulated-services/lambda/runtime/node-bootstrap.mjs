// The Node.js runtime of an execution environment: a child process per warm environment, started by
// execution-environment.ts as `node node-bootstrap.mjs <nonce> <sdk root>` in the unpacked code's directory.
// It loads the handler module once (Lambda's init phase), then runs invocations one at a time. Invocations
// arrive as JSON lines on fd 3; answers go to stdout as lines starting with "\x1eLT<nonce> ", between the
// function's own log lines, so a log line written before an answer is read before it. This file runs as plain
// JavaScript in the child: it is not compiled with the emulator.
import { existsSync } from "node:fs";
import { register } from "node:module";
import { Socket } from "node:net";
import { basename, dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { format } from "node:util";

const [nonce, sdkRoot] = process.argv.slice(2);
const taskRoot = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
const CONTROL = `\x1eLT${nonce} `;

// ES modules ignore NODE_PATH: a bare import the function's own node_modules lack (`@aws-sdk/client-s3`) is
// resolved from localtrail's, as Lambda's runtime provides the AWS SDK v3 to every Node.js function.
if (sdkRoot) {
  const hook = `
    let fallback;
    export function initialize(data) { fallback = data.fallback; }
    export async function resolve(specifier, context, next) {
      try { return await next(specifier, context); }
      catch (e) {
        if (e?.code !== "ERR_MODULE_NOT_FOUND" || /^(\\.|\\/|[a-z]+:)/i.test(specifier)) throw e;
        return next(specifier, { ...context, parentURL: fallback });
      }
    }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`, import.meta.url, { data: { fallback: pathToFileURL(join(sdkRoot, "package.json")).href } });
}

// Everything the function writes goes to stdout, stderr included, so that it keeps its order with the answers.
let requestId;
let atLineStart = true;
const rawWrite = process.stdout.write.bind(process.stdout);
function write(chunk) {
  const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
  if (text === "") return;
  rawWrite(text);
  atLineStart = text.endsWith("\n");
}
for (const stream of [process.stdout, process.stderr]) {
  stream.write = (chunk, encoding, callback) => {
    write(chunk);
    const done = typeof encoding === "function" ? encoding : callback;
    if (typeof done === "function") process.nextTick(done);
    return true;
  };
}
function send(message) {
  rawWrite(`${atLineStart ? "" : "\n"}${CONTROL}${JSON.stringify(message)}\n`);
  atLineStart = true;
}

// Lambda's console: `<time>\t<request id>\t<LEVEL>\t<message>`; the request id reads `undefined` during init.
const levels = { log: "INFO", info: "INFO", warn: "WARN", error: "ERROR", debug: "DEBUG", trace: "TRACE" };
// The emulator's clock may have been moved ahead of the machine's: log times follow the emulated clock.
let clockOffsetMs = 0;
for (const [method, level] of Object.entries(levels)) {
  console[method] = (...args) => write(`${new Date(Date.now() + clockOffsetMs).toISOString()}\t${requestId}\t${level}\t${format(...args)}\n`);
}

/** The runtime's error document: `{errorType, errorMessage, trace}`; a thrown non-Error is named by its type. */
function errorDocument(error) {
  if (error instanceof Error || (error && typeof error === "object" && "message" in error && "stack" in error)) {
    return { errorType: error.name ?? "Error", errorMessage: String(error.message), trace: String(error.stack ?? "").split("\n") };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

function logError(label, doc) {
  const { errorType, errorMessage, trace } = doc;
  write(`${new Date(Date.now() + clockOffsetMs).toISOString()}\t${requestId}\tERROR\t${label} \t${JSON.stringify({ errorType, errorMessage, stack: trace })}\n`);
}

function failure(errorType, errorMessage, trace = []) {
  return Object.assign(new Error(errorMessage), { lambdaDocument: { errorType, errorMessage, trace } });
}

/** `dir/module.path.to.fn`: the module is the file up to the first dot, the rest a path inside its exports. */
async function loadHandler(handler) {
  const base = basename(handler);
  const dot = base.indexOf(".");
  if (dot <= 0 || dot === base.length - 1) throw failure("Runtime.MalformedHandlerName", "Bad handler");
  const modulePath = join(dirname(handler), base.slice(0, dot));
  const file = [".js", ".mjs", ".cjs"].map((ext) => join(taskRoot, modulePath + ext)).find((f) => existsSync(f));
  if (!file) {
    throw failure("Runtime.ImportModuleError", `Error: Cannot find module '${modulePath}'\nRequire stack:\n- /var/runtime/index.mjs`);
  }
  let loaded;
  try {
    loaded = await import(pathToFileURL(file).href);
  } catch (e) {
    if (e instanceof SyntaxError) throw failure("Runtime.UserCodeSyntaxError", `SyntaxError: ${e.message}`, String(e.stack).split("\n"));
    throw e;
  }
  let fn = loaded;
  for (const key of base.slice(dot + 1).split(".")) fn = fn?.[key] ?? (fn === loaded ? loaded.default?.[key] : undefined);
  if (typeof fn !== "function") throw failure("Runtime.HandlerNotFound", `${handler} is undefined or not exported`);
  return fn;
}

/** Calls the handler async or callback style; a plain function that neither returns a promise nor calls back answers null. */
function callHandler(fn, event, context) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback = (error, result) => {
      if (settled) return;
      settled = true;
      if (error !== undefined && error !== null) reject(error);
      else resolve(result);
    };
    Object.assign(context, { done: callback, succeed: (result) => callback(null, result), fail: (error) => callback(error ?? "handled") });
    let returned;
    try {
      returned = fn(event, context, callback);
    } catch (e) {
      callback(e);
      return;
    }
    if (returned && typeof returned.then === "function") returned.then((r) => callback(null, r), (e) => callback(e ?? new Error("Promise rejected")));
    else if (fn.length < 3) setImmediate(() => callback(null, null));
  });
}

function memoryUsedMb() {
  return Math.round(process.memoryUsage().rss / 1048576);
}

async function invoke(message) {
  requestId = message.requestId;
  clockOffsetMs = message.clockOffsetMs ?? 0;
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: message.invokedFunctionArn,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: message.requestId,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    identity: undefined,
    clientContext: message.clientContext,
    getRemainingTimeInMillis: () => Math.max(0, message.deadline - Date.now()),
  };
  try {
    const result = await callHandler(handler, JSON.parse(message.payload), context);
    send({ type: "result", requestId: message.requestId, payload: JSON.stringify(result === undefined ? null : result), memoryMb: memoryUsedMb() });
  } catch (e) {
    const doc = e?.lambdaDocument ?? errorDocument(e);
    logError("Invoke Error", doc);
    send({ type: "error", requestId: message.requestId, error: doc, memoryMb: memoryUsedMb() });
  }
}

// A crash between or during invocations ends the environment, as in Lambda.
function crash(label, errorType, error) {
  const doc = errorType ? { ...errorDocument(error), errorType, errorMessage: `${error?.name ?? "Error"}: ${error?.message ?? error}` } : errorDocument(error);
  logError(label, doc);
  send({ type: "error", requestId, error: doc, memoryMb: memoryUsedMb(), fatal: true });
  process.exit(1);
}
process.on("uncaughtException", (e) => crash("Uncaught Exception", undefined, e));
process.on("unhandledRejection", (e) => crash("Unhandled Promise Rejection", "Runtime.UnhandledPromiseRejection", e));

let handler;
const initStarted = performance.now();
try {
  handler = await loadHandler(process.env._HANDLER ?? "");
  send({ type: "ready", initMs: performance.now() - initStarted });
} catch (e) {
  const doc = e?.lambdaDocument ?? errorDocument(e);
  logError("Uncaught Exception", doc);
  send({ type: "ready", initMs: performance.now() - initStarted, error: doc });
}

const control = createInterface({ input: new Socket({ fd: 3, readable: true, writable: false }) });
// Invocations are handed over one at a time; the parent waits for each answer before sending the next.
control.on("line", (line) => void invoke(JSON.parse(line)));
control.on("close", () => process.exit(0));
