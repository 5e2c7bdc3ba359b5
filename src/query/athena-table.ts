/**
 * The `cloudtrail_logs` table exactly as AWS's Athena documentation defines it ("Create a table for
 * CloudTrail logs in Athena using manual partitioning"): every column a STRING except the structs and the
 * resources array, each field lower-case. One description serves three uses: the JSON structure DuckDB
 * reads a record by (the record's own camelCase keys), the SQL type the columns are cast to (Athena's
 * lower-case names), and the README's DDL for Athena over an export (the same columns, as Hive types).
 */
export type Field = [recordKey: string, type: ColumnType];
export type ColumnType = "string" | "json" | "timestamp" | { struct: Field[] } | { array: ColumnType } | "map";

const s = "string" as const;
/** requestParameters and the like: objects in the record, their JSON text in the table (Athena's STRING). */
const j = "json" as const;
const struct = (...fields: Field[]): ColumnType => ({ struct: fields });

export const ATHENA_COLUMNS: Field[] = [
  ["eventVersion", s],
  [
    "userIdentity",
    struct(
      ["type", s],
      ["principalId", s],
      ["arn", s],
      ["accountId", s],
      ["invokedBy", s],
      ["accessKeyId", s],
      ["userName", s],
      ["onBehalfOf", struct(["userId", s], ["identityStoreArn", s])],
      [
        "sessionContext",
        struct(
          ["attributes", struct(["mfaAuthenticated", s], ["creationDate", s])],
          ["sessionIssuer", struct(["type", s], ["principalId", s], ["arn", s], ["accountId", s], ["userName", s])],
          ["ec2RoleDelivery", s],
          ["webIdFederationData", struct(["federatedProvider", s], ["attributes", "map"])],
        ),
      ],
    ),
  ],
  ["eventTime", s],
  ["eventSource", s],
  ["eventName", s],
  ["awsRegion", s],
  ["sourceIPAddress", s],
  ["userAgent", s],
  ["errorCode", s],
  ["errorMessage", s],
  ["requestParameters", j],
  ["responseElements", j],
  ["additionalEventData", j],
  ["requestID", s],
  ["eventID", s],
  ["resources", { array: struct(["ARN", s], ["accountId", s], ["type", s]) }],
  ["eventType", s],
  ["apiVersion", s],
  ["readOnly", s],
  ["recipientAccountId", s],
  ["serviceEventDetails", j],
  ["sharedEventID", s],
  ["vpcEndpointId", s],
  ["vpcEndpointAccountId", s],
  ["eventCategory", s],
  ["addendum", struct(["reason", s], ["updatedFields", s], ["originalRequestID", s], ["originalEventID", s])],
  ["sessionCredentialFromConsole", s],
  ["edgeDeviceDetails", j],
  ["tlsDetails", struct(["tlsVersion", s], ["cipherSuite", s], ["clientProvidedHostHeader", s])],
];

/** The structure json_transform reads a record with: the record's keys, DuckDB types. */
export function jsonStructure(fields: Field[] = ATHENA_COLUMNS): string {
  return jsonStructureOf({ struct: fields });
}

/** The json_transform structure of one type. */
export function jsonStructureOf(type: ColumnType): string {
  const of = (t: ColumnType): unknown => {
    if (t === "string") return "VARCHAR";
    if (t === "json") return "JSON";
    if (t === "timestamp") return "TIMESTAMP";
    if (t === "map") return "MAP(VARCHAR, VARCHAR)";
    if ("array" in t) return [of(t.array)];
    return Object.fromEntries(t.struct.map(([k, v]) => [k, of(v)]));
  };
  return JSON.stringify(of(type));
}

/** The DuckDB type of the whole row, Athena's lower-case names: casting the read struct to it renames by position. */
export function duckType(t: ColumnType): string {
  if (t === "string" || t === "json") return "VARCHAR";
  if (t === "timestamp") return "TIMESTAMP";
  if (t === "map") return "MAP(VARCHAR, VARCHAR)";
  if ("array" in t) return `${duckType(t.array)}[]`;
  return `STRUCT(${t.struct.map(([k, v]) => `"${k.toLowerCase()}" ${duckType(v)}`).join(", ")})`;
}

export const ATHENA_ROW_TYPE = duckType({ struct: ATHENA_COLUMNS });
export const ATHENA_COLUMN_NAMES = ATHENA_COLUMNS.map(([k]) => k.toLowerCase());

/**
 * SQL that turns a column `r` (of the rows `from` gives) holding a record's JSON text into Athena's columns plus `eventjson`, the
 * record itself (kept so an export gives back every field, not only the table's), and the `carried` columns of `from`.
 */
export function athenaProjection(recordColumn: string, from: string, carried: string[] = []): string {
  // The struct is made once, behind an UNNEST that filters cannot be pushed through: otherwise DuckDB copies
  // the expression into each condition on a column and parses the record once per condition.
  const more = carried.map((c) => `, ${c}`).join("");
  return `SELECT unnest(athena_row), eventjson${more} FROM (SELECT unnest([CAST(json_transform(${recordColumn}, '${jsonStructure()}') AS ${ATHENA_ROW_TYPE})]) AS athena_row, CAST(${recordColumn} AS VARCHAR) AS eventjson${more} ${from})`;
}
