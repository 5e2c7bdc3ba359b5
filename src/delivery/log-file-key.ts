/**
 * Where a trail's files go in its bucket (reference/cloudtrail.md §6.1, §7.1). Pure.
 *
 * `[prefix/]AWSLogs/[o-orgId/]{account}/{kind}/{region}/{YYYY}/{MM}/{DD}/{file}`: the trail's prefix joined
 * with exactly one `/`, an organization's id only for organization trails, the region whose events the file
 * holds, and the date folders of the delivery time (UTC).
 */
export interface FileLocation {
  prefix?: string;
  orgId?: string;
  accountId: string;
  region: string;
}

/** The folder kinds CloudTrail delivers into. */
export type FileKind = "CloudTrail" | "CloudTrail-Digest" | "CloudTrail-Insight";

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** `YYYY/MM/DD` of a UTC time. */
export const dateFolders = (at: Date) => `${at.getUTCFullYear()}/${pad(at.getUTCMonth() + 1)}/${pad(at.getUTCDate())}`;

/** `YYYYMMDDTHHmm` of a UTC time (minutes: log files). */
export const minuteStamp = (at: Date) => `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}T${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}`;

/** The folder of a kind of file delivered at `at`, ending in `/`. */
export function folderOf(location: FileLocation, kind: FileKind, at: Date): string {
  const prefix = location.prefix ? `${location.prefix}/` : "";
  const org = location.orgId ? `${location.orgId}/` : "";
  return `${prefix}AWSLogs/${org}${location.accountId}/${kind}/${location.region}/${dateFolders(at)}/`;
}

const UNIQUE = /^[A-Za-z0-9]{16}$/;

/**
 * A log file's key: `{account}_CloudTrail_{region}_{YYYYMMDD}T{HHmm}Z_{unique}.json.gz`, named for the
 * delivery time to the minute; `unique` is 16 random letters and digits that keep files of one minute apart.
 * @example logFileKey({ accountId: "111122223333", region: "us-east-2" }, new Date("2015-08-01T02:10:00Z"), "Mu0KsOhtH1ar15ZZ")
 *   // "AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz"
 */
export function logFileKey(location: FileLocation, deliveredAt: Date, unique: string, kind: "CloudTrail" | "CloudTrail-Insight" = "CloudTrail"): string {
  if (!UNIQUE.test(unique)) throw new Error(`a log file's unique part is 16 letters and digits, not ${unique}`);
  return `${folderOf(location, kind, deliveredAt)}${location.accountId}_${kind}_${location.region}_${minuteStamp(deliveredAt)}Z_${unique}.json.gz`;
}
