import type { AdvancedEventSelector } from "../../../src/generated/types/cloudtrail.js";
import { duckType, jsonStructureOf, type ColumnType } from "../../../src/query/athena-table.js";
import { rewriteCode, sqlSegments } from "../../../src/query/trino-dialect.js";
import type { StoredEventDataStore } from "./lake-state.js";

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Lake's map<string,string> columns: each member's value as text (nested objects as their JSON). */
const lakeMap = (json: string, name: string) => `json_transform(${json}, '"MAP(VARCHAR, VARCHAR)"') AS ${name}`;
const member = (key: string) => `json_extract(eventjson, '$.${key}')`;
const s = "string" as const;

/** Lake's userIdentity (awsdocs query-limitations.md): lower-case fields, the session's creation date a timestamp. */
const USER_IDENTITY: ColumnType = {
  struct: [
    ["type", s],
    ["principalId", s],
    ["arn", s],
    ["accountId", s],
    ["accessKeyId", s],
    ["userName", s],
    [
      "sessionContext",
      {
        struct: [
          ["attributes", { struct: [["creationDate", "timestamp"], ["mfaAuthenticated", s]] }],
          ["sessionIssuer", { struct: [["type", s], ["principalId", s], ["arn", s], ["accountId", s], ["userName", s]] }],
          ["webIdFederationData", { struct: [["federatedProvider", s], ["attributes", "map"]] }],
          ["sourceIdentity", s],
          ["ec2RoleDelivery", s],
          ["ec2IssuedInVPC", s],
        ],
      },
    ],
    ["onBehalfOf", { struct: [["userId", s], ["identityStoreArn", s]] }],
    ["inScopeOf", { struct: [["sourceArn", s], ["sourceAccount", s], ["issuerType", s], ["credentialsIssuedTo", s]] }],
    ["invokedBy", s],
    ["identityProvider", s],
  ],
};
const RESOURCES: ColumnType = { array: { struct: [["accountId", s], ["type", s], ["ARN", s], ["ARNPrefix", s]] } };
/** A member of the record in Lake's type: read from the record's JSON, renamed to Lake's lower-case fields by the cast. */
const lakeStruct = (key: string, type: ColumnType, name: string) => `CAST(json_transform(${member(key)}, '${jsonStructureOf(type)}') AS ${duckType(type)}) AS ${name}`;

/**
 * An event data store as a table, in Lake's schema (awsdocs query-limitations.md, "Supported schema for
 * CloudTrail event record fields"): Lake's columns are named as the record's fields are (eventName,
 * userIdentity, eventTime: a query's result keys are these names, as Lake's are), eventTime a timestamp,
 * readOnly and managementEvent booleans, requestParameters and the other free-form members
 * map<string,string>, userIdentity and resources Lake's structs with lower-case fields. It holds the events
 * its selectors take, of its account (and region, unless multi-region), from its creation on.
 */
export function eventDataStoreView(eds: StoredEventDataStore): string {
  const columns = [
    "eventversion AS eventVersion",
    lakeStruct("userIdentity", USER_IDENTITY, "userIdentity"),
    "CAST(CAST(eventtime AS TIMESTAMPTZ) AS TIMESTAMP) AS eventTime",
    "eventsource AS eventSource",
    "eventname AS eventName",
    "awsregion AS awsRegion",
    "sourceipaddress AS sourceIPAddress",
    "useragent AS userAgent",
    "errorcode AS errorCode",
    "errormessage AS errorMessage",
    lakeMap("requestparameters", "requestParameters"),
    lakeMap("responseelements", "responseElements"),
    lakeMap("additionaleventdata", "additionalEventData"),
    "requestid AS requestID",
    "eventid AS eventID",
    "CAST(readonly AS BOOLEAN) AS readOnly",
    lakeStruct("resources", RESOURCES, "resources"),
    "eventtype AS eventType",
    "apiversion AS apiVersion",
    `TRY_CAST(json_extract_string(eventjson, '$.managementEvent') AS BOOLEAN) AS managementEvent`,
    "recipientaccountid AS recipientAccountId",
    "sharedeventid AS sharedEventID",
    `json_extract_string(eventjson, '$.annotation') AS annotation`,
    "vpcendpointid AS vpcEndpointId",
    lakeMap("serviceeventdetails", "serviceEventDetails"),
    lakeMap(member("addendum"), "addendum"),
    lakeMap("edgedevicedetails", "edgeDeviceDetails"),
    lakeMap(member("insightDetails"), "insightDetails"),
    "eventcategory AS eventCategory",
    "tlsdetails AS tlsDetails",
    "sessioncredentialfromconsole AS sessionCredentialFromConsole",
    "eventjson AS eventJson",
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
