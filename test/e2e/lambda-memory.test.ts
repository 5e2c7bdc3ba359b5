import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateFunctionCommand, InvokeCommand, LambdaClient, type CreateFunctionCommandInput } from "@aws-sdk/client-lambda";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig } from "../helpers/clients.js";
import { createRole, zipOf } from "../fixtures/lambda/functions.js";

/** Long enough for a busy machine; the tests wait for the invocation's answer, never for a time. */
const GENEROUS = 300;
const hasPython = (() => {
  try {
    execFileSync("python3", ["-c", "pass"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

// Memory outside V8's heap: 8 MB Buffers written to (so the pages are really used), kept, up to `mb` MB in all;
// with `hold` the function then keeps them until it is stopped, so the limit is met however busy the machine is.
const nodeBuffers = `const kept = [];
exports.handler = async (event) => {
  for (let i = 0; i < event.mb / 8; i++) { kept.push(Buffer.alloc(8 << 20, 1)); await new Promise((r) => setImmediate(r)); }
  if (event.hold) await new Promise(() => {});
  return { kept: kept.length * 8 };
};`;
const pythonBytes = `import time
kept = []
def handler(event, context):
    for _ in range(event["mb"] // 8):
        kept.append(b"\\x01" * (8 << 20))
    while event.get("hold"):
        time.sleep(1)
    return {"kept": len(kept) * 8}
`;
// A peak that comes and goes in one statement: no sample of the running process need see it.
const pythonPeak = `def handler(event, context):
    size = len(b"\\x01" * (event["mb"] << 20))
    return {"peak": size >> 20}
`;

describe("a function's MemorySize holds for all the memory its process uses", () => {
  let server: TestServer;
  let lambda: LambdaClient;
  let role: string;
  const deploy = (name: string, input: Partial<CreateFunctionCommandInput>) =>
    lambda.send(new CreateFunctionCommand({ FunctionName: name, Role: role, Timeout: GENEROUS, MemorySize: 128, ...input } as CreateFunctionCommandInput));
  const invoke = async (name: string, mb: number, hold = false) => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify({ mb, hold })), LogType: "Tail" }));
    return { functionError: out.FunctionError, payload: JSON.parse(Buffer.from(out.Payload!).toString("utf8")) as Record<string, unknown>, log: Buffer.from(out.LogResult!, "base64").toString("utf8"), requestId: out.$metadata.requestId };
  };
  const outOfMemory = (requestId: string | undefined) => ({
    functionError: "Unhandled",
    payload: { errorType: "Runtime.OutOfMemory", errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed` },
  });

  beforeAll(async () => {
    server = await startTestServer();
    lambda = new LambdaClient(clientConfig(server.url));
    role = await createRole(server.url, "memory-role");
    await deploy("node-buffers", { Runtime: "nodejs20.x", Handler: "index.handler", Code: { ZipFile: zipOf({ "index.js": nodeBuffers }) } });
    await deploy("node-roomy", { Runtime: "nodejs20.x", Handler: "index.handler", MemorySize: 512, Code: { ZipFile: zipOf({ "index.js": nodeBuffers }) } });
    if (hasPython) {
      await deploy("python-peak", { Runtime: "python3.12", Handler: "lambda_function.handler", Code: { ZipFile: zipOf({ "lambda_function.py": pythonPeak }) } });
      await deploy("python-bytes", { Runtime: "python3.12", Handler: "lambda_function.handler", Code: { ZipFile: zipOf({ "lambda_function.py": pythonBytes }) } });
    }
  });
  afterAll(() => server.close());

  it("kills a Node.js function whose Buffers go over its memory size: Runtime.OutOfMemory, signal: killed", async () => {
    const out = await invoke("node-buffers", 256, true);
    expect(out).toMatchObject(outOfMemory(out.requestId));
    expect(out.log).toContain(`RequestId: ${out.requestId} Error: Runtime exited with error: signal: killed\nRuntime.OutOfMemory\n`);
    expect(out.log).toMatch(/Memory Size: 128 MB\tMax Memory Used: 128 MB\t(Init Duration: [\d.]+ ms\t)?Status: error\tError Type: Runtime.OutOfMemory\t\n$/);
    // The next invocation gets a fresh process.
    expect(await invoke("node-buffers", 16)).toMatchObject({ functionError: undefined, payload: { kept: 16 } });
  });

  it("lets a function with room for them keep its Buffers, and reports what it used", async () => {
    const out = await invoke("node-roomy", 128);
    expect(out).toMatchObject({ functionError: undefined, payload: { kept: 128 } });
    const used = Number(/Max Memory Used: (\d+) MB/.exec(out.log)![1]);
    expect(used).toBeGreaterThan(128);
    expect(used).toBeLessThanOrEqual(512);
  });

  it.runIf(hasPython)("catches a peak over the memory size that is gone by the time the function returns", async () => {
    const out = await invoke("python-peak", 400);
    expect(out).toMatchObject(outOfMemory(out.requestId));
    // Under the limit, the same function answers, and the next invocation's peak is its own, not the last one's.
    expect(await invoke("python-peak", 16)).toMatchObject({ functionError: undefined, payload: { peak: 16 } });
    expect(await invoke("python-peak", 16)).toMatchObject({ functionError: undefined, payload: { peak: 16 } });
  });

  it.runIf(hasPython)("kills a Python function that goes over its memory size", async () => {
    const out = await invoke("python-bytes", 256, true);
    expect(out).toMatchObject(outOfMemory(out.requestId));
    expect(out.log).toContain("Status: error\tError Type: Runtime.OutOfMemory\t");
  });
});
