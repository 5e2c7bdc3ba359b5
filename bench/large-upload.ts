/**
 * `npm run bench:upload -- --gb 4`: streams one object of that size to S3 through SDK v3 (the body is made
 * on the fly, never held by the client either) and reports the server's peak resident memory, which must
 * stay bounded whatever the size. CI runs it with `--mb 64`.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { parseArgs } from "node:util";
import { S3Client, CreateBucketCommand, PutObjectCommand, HeadObjectCommand } from "@aws-sdk/client-s3";
import { startProcess } from "../test/helpers/process.js";
import { RssSampler } from "./measure.js";

const { values } = parseArgs({ options: { gb: { type: "string" }, mb: { type: "string" }, out: { type: "string" } } });
const mib = values.gb ? Number(values.gb) * 1024 : Number(values.mb ?? 1024);
const size = mib * 1024 * 1024;
const dataDir = mkdtempSync(join(tmpdir(), "localtrail-upload-"));
const server = await startProcess(["--port", "0", "--data-dir", dataDir]);
const rss = new RssSampler(server.proc.pid!);
try {
  const s3 = new S3Client({ endpoint: server.url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, forcePathStyle: true, maxAttempts: 1 });
  await s3.send(new CreateBucketCommand({ Bucket: "large" }));
  const md5 = createHash("md5");
  const chunk = 1024 * 1024;
  const body = Readable.from(
    (function* () {
      for (let i = 0; i < mib; i++) {
        const part = Buffer.alloc(chunk, i % 251);
        md5.update(part);
        yield part;
      }
    })(),
  );
  const started = performance.now();
  const put = await s3.send(new PutObjectCommand({ Bucket: "large", Key: "large.bin", Body: body, ContentLength: size }));
  const seconds = (performance.now() - started) / 1000;
  const head = await s3.send(new HeadObjectCommand({ Bucket: "large", Key: "large.bin" }));
  const result = {
    mib,
    seconds: Math.round(seconds * 10) / 10,
    mibPerSecond: Math.round(mib / seconds),
    etagMatches: put.ETag === `"${md5.digest("hex")}"`,
    storedBytes: head.ContentLength,
    peakRssMb: rss.peakMb(),
  };
  console.log(JSON.stringify(result));
  if (values.out) writeFileSync(values.out, JSON.stringify(result, null, 2) + "\n");
} finally {
  rss.stop();
  server.proc.kill("SIGTERM");
  await server.exited;
  rmSync(dataDir, { recursive: true, force: true });
}
