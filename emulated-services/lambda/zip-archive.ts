import { unzipSync } from "fflate";

/** AWS's quota on a function's unzipped deployment package, including layers. */
export const UNZIPPED_LIMIT = 262_144_000;

export interface ZipEntry {
  name: string;
  /** The uncompressed size the central directory declares. */
  size: number;
}

/** Why a zip cannot be a deployment package, in the words AWS uses for each case. */
export class ZipProblem extends Error {}

const UNREADABLE = "Could not unzip uploaded file. Please check your file, then try to upload again.";

/**
 * The files of a zip, read from its central directory without inflating anything. A zip that is not one,
 * uses a compression other than stored or deflate, names a file outside its own root (`../x`, `/etc/x`: it
 * will be unpacked, and must never write elsewhere) or unpacks to more than AWS allows is refused.
 */
export function zipEntries(zip: Uint8Array): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let unsupported = false;
  try {
    unzipSync(zip, {
      filter: (file) => {
        if (file.compression !== 0 && file.compression !== 8) unsupported = true;
        entries.push({ name: file.name, size: file.originalSize });
        return false;
      },
    });
  } catch {
    throw new ZipProblem(UNREADABLE);
  }
  if (unsupported || entries.some((e) => !isSafeName(e.name)) || fileAsDirectory(entries)) throw new ZipProblem(UNREADABLE);
  const total = entries.reduce((sum, e) => sum + e.size, 0);
  if (total > UNZIPPED_LIMIT) throw new ZipProblem(`Unzipped size must be smaller than ${UNZIPPED_LIMIT} bytes`);
  return entries;
}

/**
 * Inflates the given files of a zip already checked by zipEntries, a batch at a time, so that memory holds
 * at most about `batchBytes` of unpacked data (or one larger file) at once. fflate inflates each file into a
 * buffer of its declared size, so a file cannot unpack to more than the central directory said.
 */
export function* inflateInBatches(zip: Uint8Array, entries: ZipEntry[], batchBytes = 32 << 20): Generator<[string, Uint8Array]> {
  const files = entries.filter((e) => !e.name.endsWith("/"));
  let i = 0;
  while (i < files.length) {
    const batch = new Set<string>();
    let bytes = 0;
    while (i < files.length && (batch.size === 0 || bytes + files[i]!.size <= batchBytes)) {
      bytes += files[i]!.size;
      batch.add(files[i]!.name);
      i++;
    }
    const inflated = unzipSync(zip, { filter: (file) => batch.has(file.name) });
    for (const name of batch) {
      const data = inflated[name];
      if (data) yield [name, data];
    }
  }
}

/** A relative path that stays inside the directory it is unpacked into. */
function isSafeName(name: string): boolean {
  if (name === "" || name.includes("\0") || name.startsWith("/") || name.startsWith("\\")) return false;
  return !name.split(/[/\\]/).some((segment) => segment === "..");
}

/** A file that another entry treats as a directory (`a` and `a/b`) cannot be unpacked. */
function fileAsDirectory(entries: ZipEntry[]): boolean {
  const files = new Set(entries.filter((e) => !e.name.endsWith("/")).map((e) => e.name));
  return entries.some((e) => {
    const parts = e.name.split("/");
    return parts.slice(1).some((_, i) => files.has(parts.slice(0, i + 1).join("/")));
  });
}
