import { randomUUID } from "node:crypto";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve, sep } from "node:path";
import type { BlobStore } from "../../../src/state/blob-store.js";
import { inflateInBatches, zipEntries } from "../zip-archive.js";

/**
 * Deployment packages unpacked for execution (Lambda's /var/task), one directory per package, named by a
 * generated id: inside the data dir, or in the OS temp dir when ephemeral. A cache: it is emptied on reset and
 * at shutdown and rebuilt from the stored zips on demand.
 */
export class CodeDirectories {
  private root: string | undefined;
  private readonly unpacked = new Map<string, Promise<string>>();

  constructor(private readonly dataDir: string | undefined) {}

  /** The directory holding the package stored as blob `blobId`, unpacked on first use. */
  dirFor(blobId: string, blobs: BlobStore): Promise<string> {
    let dir = this.unpacked.get(blobId);
    if (!dir) {
      dir = this.unpack(blobId, blobs);
      this.unpacked.set(blobId, dir);
      dir.catch(() => this.unpacked.delete(blobId));
    }
    return dir;
  }

  /**
   * A writable directory for one execution environment (Lambda's /tmp), given to the function as TMPDIR so
   * that the files it makes stay inside the data dir.
   */
  async scratchDir(): Promise<string> {
    const dir = join(this.rootDir(), "tmp", randomUUID());
    await mkdir(dir, { recursive: true });
    return dir;
  }

  async forget(blobId: string): Promise<void> {
    const dir = this.unpacked.get(blobId);
    this.unpacked.delete(blobId);
    const path = await dir?.catch(() => undefined);
    if (path) await rm(path, { recursive: true, force: true });
  }

  async clear(): Promise<void> {
    const root = this.root;
    this.root = undefined;
    this.unpacked.clear();
    if (root) await rm(root, { recursive: true, force: true });
  }

  private async unpack(blobId: string, blobs: BlobStore): Promise<string> {
    const zip = await blobs.readAll(blobId);
    const dir = join(this.rootDir(), randomUUID());
    await mkdir(dir, { recursive: true });
    for (const [name, data] of inflateInBatches(zip, zipEntries(zip))) {
      const target = resolve(dir, name);
      // zipEntries refused names that leave the directory; this is the last word before a write.
      if (!target.startsWith(dir + sep)) throw new Error(`zip entry ${name} leaves its directory`);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, data, { mode: 0o644 });
    }
    return dir;
  }

  private rootDir(): string {
    if (!this.root) {
      if (this.dataDir) {
        this.root = join(this.dataDir, "lambda-code");
        // What a previous run left is stale: packages are unpacked again from their zips.
        rmSync(this.root, { recursive: true, force: true });
        mkdirSync(this.root, { recursive: true });
      } else {
        this.root = mkdtempSync(join(tmpdir(), "localtrail-lambda-"));
      }
    }
    return this.root;
  }
}
