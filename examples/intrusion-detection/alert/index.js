// Intrusion detection, near real time: EventBridge rules on CloudTrail's "AWS API Call via CloudTrail"
// events invoke this function; it writes one alert per event to the log group ALERT_LOG_GROUP.
const { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } = require("@aws-sdk/client-cloudwatch-logs");

const logs = new CloudWatchLogsClient({});

exports.handler = async (event) => {
  const detail = event.detail;
  const alert = {
    alert: `${detail.eventSource.replace(".amazonaws.com", "")}:${detail.eventName}`,
    actor: detail.userIdentity.arn || detail.userIdentity.type,
    sourceIPAddress: detail.sourceIPAddress,
    target: detail.requestParameters,
    failed: detail.errorCode || null,
    eventTime: detail.eventTime,
    eventID: detail.eventID,
  };
  const logGroupName = process.env.ALERT_LOG_GROUP;
  const logStreamName = `${detail.eventName}-${detail.eventID}`;
  await logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName }));
  await logs.send(new PutLogEventsCommand({ logGroupName, logStreamName, logEvents: [{ timestamp: Date.parse(detail.eventTime), message: JSON.stringify(alert) }] }));
  return alert;
};
