/**
 * localtrail/testing: a localtrail per test file or worker, and matchers that assert what it recorded.
 *
 *   import { startLocaltrail, localtrailMatchers } from "localtrail/testing";
 *   expect.extend(localtrailMatchers);
 *   const trail = await startLocaltrail({ ephemeral: true });
 *   await new IAMClient(trail.clientConfig).send(new CreateUserCommand({ UserName: "John" }));
 *   await expect(trail).toHaveRecorded({ eventName: "CreateUser", requestParameters: { userName: "John" } });
 *   await trail.stop();
 */
export { startLocaltrail, type Localtrail, type StartOptions, type TrailClock, type Credentials } from "./start-localtrail.js";
export { localtrailMatchers, type LocaltrailMatchers } from "./matchers.js";
export { matchesFilter, differences, type RecordFilter, type DeepPartial, type FieldDifference } from "./record-filter.js";
export type { CloudTrailRecord } from "../types/cloudtrail-record.js";
