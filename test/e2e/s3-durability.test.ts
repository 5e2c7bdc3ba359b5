import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, paginateListObjectsV2 } from "@aws-sdk/client-s3";
import { clientConfig } from "../helpers/clients.js";
import { startProcess } from "../helpers/process.js";

const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "localtrail-s3-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Peak resident memory of a process, in MiB (Linux /proc). */
const peakMemoryMiB = (pid: number) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;

describe("S3 durability and large bodies", () => {
  it("loses no object whose PutObject was answered 2xx when the server is killed -9", async () => {
    const dir = dataDir();
    const acknowledged = new Map<string, string>();
    for (let round = 0; round < 2; round++) {
      const server = await startProcess(["--port", "0", "--data-dir", dir]);
      const s3 = new S3Client(clientConfig(server.url));
      if (round === 0) await s3.send(new CreateBucketCommand({ Bucket: "durable" }));
      const writers = Array.from({ length: 16 }, async (_, w) => {
        for (let i = 0; ; i++) {
          const key = `r${round}/w${w}/${i}`;
          const body = `${key} `.repeat(40);
          try {
            await s3.send(new PutObjectCommand({ Bucket: "durable", Key: key, Body: body }));
            acknowledged.set(key, body);
          } catch {
            return;
          }
        }
      });
      while (acknowledged.size < (round + 1) * 200) await new Promise((r) => setTimeout(r, 5));
      server.proc.kill("SIGKILL");
      await Promise.all(writers);
      await server.exited;
    }

    const server = await startProcess(["--port", "0", "--data-dir", dir]);
    try {
      const s3 = new S3Client(clientConfig(server.url));
      const listed = new Set<string>();
      for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: "durable" })) for (const c of page.Contents ?? []) listed.add(c.Key!);
      for (const key of acknowledged.keys()) expect(listed.has(key), key).toBe(true);
      for (const [key, body] of [...acknowledged].filter((_, i) => i % 25 === 0)) {
        expect(await (await s3.send(new GetObjectCommand({ Bucket: "durable", Key: key }))).Body!.transformToString(), key).toBe(body);
      }
      // The journal goes on where it stopped.
      await s3.send(new PutObjectCommand({ Bucket: "durable", Key: "after-restart", Body: "x" }));
      expect((await s3.send(new ListObjectsV2Command({ Bucket: "durable", Prefix: "after" }))).KeyCount).toBe(1);
    } finally {
      server.proc.kill("SIGTERM");
      await server.exited;
    }
  });

  it("streams a 300 MB upload to disk without holding it in memory", async () => {
    const server = await startProcess(["--port", "0", "--data-dir", dataDir()]);
    try {
      const s3 = new S3Client(clientConfig(server.url));
      await s3.send(new CreateBucketCommand({ Bucket: "large" }));
      const size = 300 * 1024 * 1024;
      const chunk = 1024 * 1024;
      const md5 = createHash("md5");
      // Generated on the fly: the test never holds the body either.
      const body = Readable.from(
        (function* () {
          for (let i = 0; i < size / chunk; i++) {
            const part = Buffer.alloc(chunk, i % 251);
            md5.update(part);
            yield part;
          }
        })(),
      );
      const put = await s3.send(new PutObjectCommand({ Bucket: "large", Key: "big.bin", Body: body, ContentLength: size }));
      expect(put.ETag).toBe(`"${md5.digest("hex")}"`);
      const head = await s3.send(new HeadObjectCommand({ Bucket: "large", Key: "big.bin", ChecksumMode: "ENABLED" }));
      expect(head.ContentLength).toBe(size);
      expect(head.ChecksumCRC32).toBe(put.ChecksumCRC32);
      expect(peakMemoryMiB(server.proc.pid!)).toBeLessThan(250);
    } finally {
      server.proc.kill("SIGTERM");
      await server.exited;
    }
  });
});
