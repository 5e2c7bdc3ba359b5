import type { Operations } from "../../src/generated/types/logs.js";
import { defineService } from "../../src/registry.js";
import { logsAuthorization } from "./authorization.js";
import { filterLogEvents } from "./filter-events.js";
import { getLogEvents, putLogEvents } from "./log-events.js";
import { createLogGroup, deleteLogGroup, deleteRetentionPolicy, describeLogGroups, putRetentionPolicy } from "./log-groups.js";
import { createLogStream, deleteLogStream, describeLogStreams } from "./log-streams.js";
import { listTagsForResource, tagResource, untagResource } from "./tags.js";
import { deleteMetricFilter, describeMetricFilters, putMetricFilter, testMetricFilter } from "./metric-filters.js";
import { deleteSubscriptionFilter, describeSubscriptionFilters, putSubscriptionFilter } from "./subscription-filters.js";

// CloudTrail does not log the calls that read and write log events as management events (CloudWatch Logs
// User Guide, "Logging CloudWatch Logs API calls in AWS CloudTrail"); as data events they stay out of
// Event history and no basic selector selects them.
const LOG_EVENT_CALL = { category: "Data" as const };

/** CloudWatch Logs: the operation table. */
export const logs = defineService<Operations>({
  name: "logs",
  eventSource: "logs.amazonaws.com",
  validation: { code: "InvalidParameterException", constraints: true },
  authorization: logsAuthorization,
  // Logs records carry the API version (CloudWatch Logs User Guide, "CloudWatch Logs information in CloudTrail").
  audit: { resourceMembers: { logGroupName: "AWS::Logs::LogGroup" }, apiVersion: "20140328" },
  operations: {
    CreateLogGroup: { handler: createLogGroup },
    DescribeLogGroups: { handler: describeLogGroups },
    DeleteLogGroup: { handler: deleteLogGroup },
    PutRetentionPolicy: { handler: putRetentionPolicy },
    DeleteRetentionPolicy: { handler: deleteRetentionPolicy },

    CreateLogStream: { handler: createLogStream },
    DescribeLogStreams: { handler: describeLogStreams },
    DeleteLogStream: { handler: deleteLogStream },

    PutLogEvents: { handler: putLogEvents, audit: LOG_EVENT_CALL },
    GetLogEvents: { handler: getLogEvents, audit: LOG_EVENT_CALL },
    FilterLogEvents: { handler: filterLogEvents, audit: LOG_EVENT_CALL },

    PutSubscriptionFilter: { handler: putSubscriptionFilter },
    DescribeSubscriptionFilters: { handler: describeSubscriptionFilters },
    DeleteSubscriptionFilter: { handler: deleteSubscriptionFilter },

    PutMetricFilter: { handler: putMetricFilter },
    DescribeMetricFilters: { handler: describeMetricFilters },
    DeleteMetricFilter: { handler: deleteMetricFilter },
    TestMetricFilter: { handler: testMetricFilter },

    TagResource: { handler: tagResource },
    UntagResource: { handler: untagResource },
    ListTagsForResource: { handler: listTagsForResource },
  },
});
