import type { AdvancedEventSelector } from "../../../src/generated/types/cloudtrail.js";
import { rewriteCode, sqlSegments } from "../../../src/query/trino-dialect.js";
import type { StoredEventDataStore } from "./lake-state.js";

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Lake's map<string,string> columns: each member's value as text (nested objects as their JSON). */
const lakeMap = (column: string) => `json_transform(${column}, '"MAP(VARCHAR, VARCHAR)"') AS ${column}`;

/**
 * An event data store as a table, in Lake's schema (awsdocs query-supported-event-schemas): eventtime a
 * timestamp, readonly and managementevent booleans, requestparameters, responseelements,
 * additionaleventdata, serviceeventdetails and edgedevicedetails maps, the rest as Athena's table has them.
 * It holds the events its selectors take, of its account (and region, unless multi-region), from its creation on.
 */
export function eventDataStoreView(eds: StoredEventDataStore): string {
  const columns = [
    "eventversion",
    "useridentity",
    "CAST(CAST(eventtime AS TIMESTAMPTZ) AS TIMESTAMP) AS eventtime",
    "eventsource",
    "eventname",
    "awsregion",
    "sourceipaddress",
    "useragent",
    "errorcode",
    "errormessage",
    lakeMap("requestparameters"),
    lakeMap("responseelements"),
    lakeMap("additionaleventdata"),
    "requestid",
    "eventid",
    "CAST(readonly AS BOOLEAN) AS readonly",
    "resources",
    "eventtype",
    "apiversion",
    "TRY_CAST(json_extract_string(eventjson, '$.managementEvent') AS BOOLEAN) AS managementevent",
    "recipientaccountid",
    "sharedeventid",
    "vpcendpointid",
    lakeMap("serviceeventdetails"),
    "addendum",
    lakeMap("edgedevicedetails"),
    "eventcategory",
    "tlsdetails",
    "sessioncredentialfromconsole",
    "eventjson",
  ];
  const where = [
    `recipientaccountid = ${quote(eds.accountId)}`,
    eds.multiRegionEnabled ? "true" : `awsregion = ${quote(eds.region)}`,
    // Records' times are whole seconds: the call that created the store falls in its second.
    `CAST(eventtime AS TIMESTAMPTZ) >= date_trunc('second', CAST(${quote(eds.createdAt)} AS TIMESTAMPTZ))`,
    selection(eds.advancedEventSelectors),
  ];
  return `SELECT ${columns.join(", ")} FROM localtrail_events WHERE ${where.map((w) => `(${w})`).join(" AND ")}`;
}

/** The record fields advanced event selectors can name, as columns of localtrail_events. */
const FIELDS: Record<string, string> = {
  eventCategory: "eventcategory",
  eventSource: "eventsource",
  eventName: "eventname",
  eventType: "eventtype",
  readOnly: "readonly",
  "userIdentity.arn": "useridentity.arn",
  "resources.type": "list_extract(resources, 1).type",
  "resources.ARN": "list_extract(resources, 1).arn",
};

/** Selectors as SQL: an event is taken when any selector's field conditions all hold (CloudTrail's rule). */
function selection(selectors: AdvancedEventSelector[]): string {
  if (selectors.length === 0) return "true";
  return selectors
    .map((s) => {
      const conditions = s.FieldSelectors.flatMap((f) => {
        const column = FIELDS[f.Field];
        if (!column) return [];
        const any = (values: string[] | undefined, test: (v: string) => string) => (values?.length ? [`(${values.map(test).join(" OR ")})`] : []);
        const none = (values: string[] | undefined, test: (v: string) => string) => (values?.length ? [`NOT (${values.map(test).join(" OR ")})`] : []);
        return [
          ...any(f.Equals, (v) => `${column} = ${quote(v)}`),
          ...any(f.StartsWith, (v) => `starts_with(${column}, ${quote(v)})`),
          ...any(f.EndsWith, (v) => `ends_with(${column}, ${quote(v)})`),
          ...none(f.NotEquals, (v) => `${column} = ${quote(v)}`),
          ...none(f.NotStartsWith, (v) => `starts_with(${column}, ${quote(v)})`),
          ...none(f.NotEndsWith, (v) => `ends_with(${column}, ${quote(v)})`),
        ];
      });
      return conditions.length ? conditions.join(" AND ") : "true";
    })
    .map((c) => `(${c})`)
    .join(" OR ");
}

const EDS_REFERENCE = /(?:arn:aws:cloudtrail:[a-z0-9-]+:\d{12}:eventdatastore\/)?\b([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/gi;

/**
 * The event data stores a Lake query names (its tables are event data store ids, or ARNs) and the query
 * with each one quoted, as DuckDB needs a name that starts with a digit. An id in a string literal is data,
 * not a table, and is left alone; a quoted id is already a name.
 */
export function lakeStatement(sql: string): { sql: string; ids: string[] } {
  const ids = new Set<string>();
  const rewritten = rewriteCode(sql, [
    [
      EDS_REFERENCE,
      (_match: string, id: string) => {
        ids.add(id.toLowerCase());
        return `"${id.toLowerCase()}"`;
      },
    ],
  ]);
  for (const seg of sqlSegments(sql)) {
    const quoted = !seg.code && seg.text.startsWith('"') ? /^"([0-9a-f-]{36})"$/i.exec(seg.text) : null;
    if (quoted) ids.add(quoted[1]!.toLowerCase());
  }
  return { sql: rewritten, ids: [...ids] };
}
