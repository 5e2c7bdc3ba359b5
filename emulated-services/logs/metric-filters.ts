import type { MetricFilter, MetricFilterMatchRecord } from "../../src/generated/types/logs.js";
import { AwsError } from "../../src/types/aws-error.js";
import { invalidParameter, notFound } from "./errors.js";
import { compileFilterMatcher, FilterPatternError, type MessageMatcher } from "./filter-pattern.js";
import type { Op } from "./op.js";
import { pageOf } from "./pagination.js";
import { findGroup, logsState } from "./state.js";

/** A log group has at most 100 metric filters (PutMetricFilter, API Reference). */
const FILTERS_PER_GROUP = 100;

/** A metric filter has at most three dimensions (MetricTransformation, API Reference). */
const DIMENSIONS_PER_FILTER = 3;

/** The pattern compiled by the one matcher FilterLogEvents and subscription filters use; an unreadable one is InvalidParameterException. */
export function matcherOf(pattern: string | undefined): MessageMatcher {
  try {
    return compileFilterMatcher(pattern);
  } catch (e) {
    if (e instanceof FilterPatternError) throw invalidParameter(`Invalid metric filter pattern: ${e.message}`);
    throw e;
  }
}

/**
 * Metric filters are stored, listed and tested; localtrail emulates no CloudWatch metrics, so nothing is
 * published for the events they match (CloudWatch Logs keeps no per-filter count of its own either: the
 * counts live in CloudWatch as the metric). TestMetricFilter runs the same matcher as FilterLogEvents.
 */
export const putMetricFilter: Op<"PutMetricFilter"> = (input, ctx) => {
  const group = findGroup(ctx, { logGroupName: input.logGroupName });
  matcherOf(input.filterPattern);
  const [transformation] = input.metricTransformations;
  if (transformation && Object.keys(transformation.dimensions ?? {}).length > DIMENSIONS_PER_FILTER) {
    throw invalidParameter(`A metric filter can have at most ${DIMENSIONS_PER_FILTER} dimensions.`);
  }
  const filters = (group.metricFilters ??= {});
  if (!Object.hasOwn(filters, input.filterName) && Object.keys(filters).length >= FILTERS_PER_GROUP) throw new AwsError("LimitExceededException", "Resource limit exceeded.");
  filters[input.filterName] = {
    filterName: input.filterName,
    filterPattern: input.filterPattern,
    metricTransformations: input.metricTransformations,
    creationTime: filters[input.filterName]?.creationTime ?? ctx.now.getTime(),
    logGroupName: group.name,
    ...(input.applyOnTransformedLogs !== undefined && { applyOnTransformedLogs: input.applyOnTransformedLogs }),
    ...(input.fieldSelectionCriteria !== undefined && { fieldSelectionCriteria: input.fieldSelectionCriteria }),
    ...(input.emitSystemFieldDimensions !== undefined && { emitSystemFieldDimensions: input.emitSystemFieldDimensions }),
  };
};

/**
 * The account's metric filters in the region, ASCII-sorted by filter name (API Reference): of one group
 * (filterNamePrefix applies only with logGroupName) or of all, or those publishing one metric (metricName
 * and metricNamespace go together).
 */
export const describeMetricFilters: Op<"DescribeMetricFilters"> = (input, ctx) => {
  if ((input.metricName === undefined) !== (input.metricNamespace === undefined)) {
    throw invalidParameter("If you specify a metric name, you must also specify a metric namespace, and vice versa.");
  }
  const groups = input.logGroupName !== undefined ? [findGroup(ctx, { logGroupName: input.logGroupName })] : Object.values(logsState(ctx).groups);
  const filters: MetricFilter[] = groups
    .flatMap((g) => Object.values(g.metricFilters ?? {}))
    .filter((f) => input.logGroupName === undefined || input.filterNamePrefix === undefined || f.filterName!.startsWith(input.filterNamePrefix))
    .filter((f) => input.metricName === undefined || f.metricTransformations!.some((t) => t.metricName === input.metricName && t.metricNamespace === input.metricNamespace))
    .sort((a, b) => cmp(a.filterName!, b.filterName!) || cmp(a.logGroupName!, b.logGroupName!));
  const page = pageOf(filters, (f) => `${f.filterName!}\u0000${f.logGroupName!}`, input.nextToken, input.limit ?? 50);
  return { metricFilters: page.items, nextToken: page.nextToken };
};

export const deleteMetricFilter: Op<"DeleteMetricFilter"> = (input, ctx) => {
  const group = findGroup(ctx, { logGroupName: input.logGroupName });
  if (!group.metricFilters || !Object.hasOwn(group.metricFilters, input.filterName)) throw notFound("The specified metric filter does not exist.");
  delete group.metricFilters[input.filterName];
};

/** The messages the pattern matches, numbered from 0 in the order given, with what it extracts from each. */
export const testMetricFilter: Op<"TestMetricFilter"> = (input) => {
  const matches = matcherOf(input.filterPattern);
  const records: MetricFilterMatchRecord[] = [];
  input.logEventMessages.forEach((message, eventNumber) => {
    const extractedValues = matches(message);
    if (extractedValues) records.push({ eventNumber, eventMessage: message, extractedValues });
  });
  return { matches: records };
};

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
