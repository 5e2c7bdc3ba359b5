import type { Operations } from "../../src/generated/types/cloudtrail.js";
import { defineService } from "../../src/registry.js";
import { cloudtrailAuthorization } from "./authorization.js";
import { startTrailDelivery } from "./delivery/trail-delivery.js";
import { getEventSelectors, putEventSelectors } from "./event-selectors.js";
import { getInsightSelectors, putInsightSelectors } from "./insight-selectors.js";
import { listPublicKeys } from "./list-public-keys.js";
import { lookupEvents } from "./lookup-events.js";
import { createEventDataStore, deleteEventDataStore, getEventDataStore, listEventDataStores, updateEventDataStore } from "./lake/event-data-stores.js";
import { cancelQuery, describeQuery, getQueryResults, listQueries, startQuery } from "./lake/lake-queries.js";
import { insightsScope } from "./insights-scope.js";
import { getTrailStatus, startLogging, stopLogging } from "./trail-status.js";
import { addTags, listTags, removeTags } from "./trail-tags.js";
import { createTrail, deleteTrail, describeTrails, getTrail, listTrails, updateTrail } from "./trails.js";

/** CloudTrail: the operation table. */
export const cloudtrail = defineService<Operations>({
  name: "cloudtrail",
  eventSource: "cloudtrail.amazonaws.com",
  // CloudTrail checks its inputs itself, with its own exceptions (InvalidMaxResultsException, ...).
  validation: { code: "InvalidParameterException", constraints: false },
  authorization: cloudtrailAuthorization,
  audit: { resourceMembers: { Name: "AWS::CloudTrail::Trail", TrailName: "AWS::CloudTrail::Trail", EventDataStore: "AWS::CloudTrail::EventDataStore" } },
  // Trails deliver log files, digests and CloudWatch Logs events in the background (delivery/).
  start: startTrailDelivery,
  // Insights are analysed by the engine (src/insights/) where trails enable them.
  insightsScope,
  operations: {
    LookupEvents: { handler: lookupEvents },

    CreateTrail: { handler: createTrail },
    UpdateTrail: { handler: updateTrail },
    DeleteTrail: { handler: deleteTrail },
    GetTrail: { handler: getTrail },
    DescribeTrails: { handler: describeTrails },
    ListTrails: { handler: listTrails },

    GetTrailStatus: { handler: getTrailStatus },
    StartLogging: { handler: startLogging },
    StopLogging: { handler: stopLogging },

    PutEventSelectors: { handler: putEventSelectors },
    GetEventSelectors: { handler: getEventSelectors },
    PutInsightSelectors: { handler: putInsightSelectors },
    GetInsightSelectors: { handler: getInsightSelectors },

    AddTags: { handler: addTags },
    RemoveTags: { handler: removeTags },
    ListTags: { handler: listTags },

    ListPublicKeys: { handler: listPublicKeys },

    // CloudTrail Lake (lake/): event data stores over the history, queried with SQL.
    CreateEventDataStore: { handler: createEventDataStore },
    GetEventDataStore: { handler: getEventDataStore },
    ListEventDataStores: { handler: listEventDataStores },
    UpdateEventDataStore: { handler: updateEventDataStore },
    DeleteEventDataStore: { handler: deleteEventDataStore },
    StartQuery: { handler: startQuery },
    DescribeQuery: { handler: describeQuery },
    GetQueryResults: { handler: getQueryResults },
    ListQueries: { handler: listQueries },
    CancelQuery: { handler: cancelQuery },
  },
});
