import type { HistoryRow } from "./history-query.js";
import { consoleTime } from "../layout.js";

/**
 * Event history's columns in the console's fixed order (reference/console.md §5): the six shown by default,
 * then those the column chooser ("Select visible columns") can add.
 */
export interface Column {
  id: keyof HistoryRow & string;
  label: string;
  shown: boolean;
}

export const COLUMNS: Column[] = [
  { id: "eventName", label: "Event name", shown: true },
  { id: "eventTime", label: "Event time", shown: true },
  { id: "username", label: "User name", shown: true },
  { id: "eventSource", label: "Event source", shown: true },
  { id: "resourceType", label: "Resource type", shown: true },
  { id: "resourceName", label: "Resource name", shown: true },
  { id: "accessKeyId", label: "AWS access key", shown: false },
  { id: "awsRegion", label: "AWS region", shown: false },
  { id: "errorCode", label: "Error code", shown: false },
  { id: "eventId", label: "Event ID", shown: false },
  { id: "readOnly", label: "Read-only", shown: false },
  { id: "sourceIPAddress", label: "Source IP address", shown: false },
];

/** The columns a `cols` parameter chooses (comma-separated ids), in the fixed order; the defaults without one. */
export function chosenColumns(cols: string | undefined): Column[] {
  if (cols === undefined) return COLUMNS.filter((c) => c.shown);
  const ids = new Set(cols.split(","));
  const chosen = COLUMNS.filter((c) => ids.has(c.id));
  return chosen.length > 0 ? chosen : COLUMNS.filter((c) => c.shown);
}

/** A cell's text: a missing value shows as a dash, as in the AWS console. */
export function cellText(row: HistoryRow, column: Column): string {
  const value = row[column.id];
  if (column.id === "eventTime") return consoleTime(row.eventTime);
  if (column.id === "resourceName" && row.resources.length > 1) return row.resources.map((r) => r.name).join(", ");
  if (column.id === "resourceType" && row.resources.length > 1) return [...new Set(row.resources.map((r) => r.type ?? "-"))].join(", ");
  return typeof value === "string" && value !== "" ? value : "-";
}
