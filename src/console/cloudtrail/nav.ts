import { href, type NavSection } from "../layout.js";

export type CloudTrailPage = "events" | "insights" | "trails" | "query";

/** CloudTrail's side navigation, with the current page marked. */
export function cloudTrailNav(current: CloudTrailPage): NavSection {
  return {
    title: "CloudTrail",
    titleHref: href("cloudtrail/events"),
    items: [
      { label: "Event history", href: href("cloudtrail/events"), active: current === "events" },
      { label: "Insights", href: href("cloudtrail/insights"), active: current === "insights" },
      { label: "Trails", href: href("cloudtrail/trails"), active: current === "trails" },
      { label: "Lake: Query", href: href("cloudtrail/query"), active: current === "query" },
    ],
  };
}

export const eventHref = (eventId: string) => href(`cloudtrail/events/${encodeURIComponent(eventId)}`);
export const trailHref = (name: string) => href(`cloudtrail/trails/${encodeURIComponent(name)}`);
