import type { Hono } from "hono";
import type { Child } from "hono/jsx";
import type { GetTrailStatusResponse, Trail } from "../../generated/types/cloudtrail.js";
import type { ListObjectsV2Output } from "../../generated/types/s3.js";
import { validateTrailFiles, type ValidationReport } from "../../delivery/validate-files.js";
import { awsCall } from "../aws-call.js";
import type { ConsoleContext, ConsoleEnv } from "../context.js";
import { Container, CsrfField, EmptyRow, KeyValues, PageHeader, consoleTime, href } from "../layout.js";
import { page } from "../render.js";
import { CloudTrailFrame, consoleRegion, ctCall, errorText } from "./ct-call.js";
import { trailHref } from "./nav.js";
import { CreateStepFailed, createTrailFromForm, defaultTrailForm, trailFormOf, type TrailForm } from "./trail-create.js";

const trailsCrumb = { label: "Trails", href: href("cloudtrail/trails") };

/** Trails: the list, create, a trail's details (status, selectors, delivered files, Validate), logging, delete. */
export function addTrailRoutes(app: Hono<ConsoleEnv>): void {
  app.get(href("cloudtrail/trails"), listTrails);
  app.get(href("cloudtrail/trails/create"), async (c) => showCreateForm(c, defaultTrailForm(c.var.session.principal.accountId)));
  app.post(href("cloudtrail/trails/create"), createTrail);
  app.get(href("cloudtrail/trails/:name"), (c) => trailDetails(c));
  app.post(href("cloudtrail/trails/:name/logging"), setLogging);
  app.post(href("cloudtrail/trails/:name/validate"), validateTrail);
  app.get(href("cloudtrail/trails/:name/delete"), showDelete);
  app.post(href("cloudtrail/trails/:name/delete"), deleteTrail);
}

const Status = ({ on, children }: { on: boolean; children: Child }) => <span class={`status ${on ? "status-ok" : "status-off"}`}>{children}</span>;

async function listTrails(c: ConsoleContext) {
  const described = await ctCall(c, "DescribeTrails", {});
  const trails = described.output?.trailList ?? [];
  const statuses = await Promise.all(trails.map(async (t) => (await ctCall(c, "GetTrailStatus", { Name: t.TrailARN ?? t.Name ?? "" })).output));
  return page(
    c,
    <CloudTrailFrame c={c} title="Trails" current="trails" crumbs={[{ label: "Trails" }]} notice={described.error && { kind: "error", message: errorText(described.error) }}>
      <PageHeader
        title="Trails"
        counter={trails.length}
        description="A trail delivers the events of your account to an S3 bucket as log files, and to CloudWatch Logs."
        actions={
          <a class="btn btn-primary" href={href("cloudtrail/trails/create")}>
            Create trail
          </a>
        }
      />
      <Container>
        <table class="table" aria-label="Trails">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Home region</th>
              <th scope="col">Multi-region trail</th>
              <th scope="col">Insights</th>
              <th scope="col">S3 bucket</th>
              <th scope="col">Log file prefix</th>
              <th scope="col">CloudWatch Logs log group</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {trails.length === 0 && (
              <EmptyRow columns={8} title="No trails">
                Create a trail to deliver events to an S3 bucket.
              </EmptyRow>
            )}
            {trails.map((t, i) => (
              <tr>
                <td>
                  <a href={trailHref(t.Name ?? "")}>{t.Name}</a>
                </td>
                <td>{t.HomeRegion}</td>
                <td>{t.IsMultiRegionTrail ? "Yes" : "No"}</td>
                <td>{t.HasInsightSelectors ? "Enabled" : "Disabled"}</td>
                <td>{t.S3BucketName}</td>
                <td>{t.S3KeyPrefix ?? "-"}</td>
                <td>{t.CloudWatchLogsLogGroupArn?.split(":log-group:")[1]?.replace(/:\*$/, "") ?? "-"}</td>
                <td>
                  <Status on={statuses[i]?.IsLogging === true}>{statuses[i]?.IsLogging ? "Logging" : "Off"}</Status>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Container>
    </CloudTrailFrame>,
  );
}

const Check = ({ name, checked, label, hint }: { name: string; checked: boolean; label: string; hint?: string }) => (
  <label class="checkbox">
    <input type="checkbox" name={name} checked={checked} />
    <span>
      {label}
      {hint && <small>{hint}</small>}
    </span>
  </label>
);

const Text = ({ name, label, value, hint }: { name: string; label: string; value: string; hint?: string }) => (
  <div class="field">
    <label for={`f-${name}`}>{label}</label>
    <input id={`f-${name}`} type="text" name={name} value={value} autocomplete="off" />
    {hint && <span class="hint">{hint}</span>}
  </div>
);

async function showCreateForm(c: ConsoleContext, form: TrailForm, error?: string) {
  const buckets = (await awsCall<{ Buckets?: { Name?: string }[] }>(c, { service: "s3", operation: "ListBuckets", input: {}, region: consoleRegion(c) })).output?.Buckets ?? [];
  return page(
    c,
    <CloudTrailFrame c={c} title="Create trail" current="trails" crumbs={[trailsCrumb, { label: "Create trail" }]} notice={error ? { kind: "error", message: error } : undefined}>
      <PageHeader title="Create trail" description="A trail of all Regions: management events by default, data events and Insights when chosen." />
      <form method="post" action={href("cloudtrail/trails/create")} class="form ct-form">
        <CsrfField session={c.var.session} />
        <Container title="General details">
          <fieldset>
            <Text name="name" label="Trail name" value={form.name} hint="3-128 characters: letters, digits, periods, underscores and hyphens." />
          </fieldset>
          <fieldset>
            <legend>Storage location</legend>
            <div class="ct-radios" role="radiogroup" aria-label="Storage location">
              <label>
                <input type="radio" name="bucketMode" value="new" checked={form.bucketMode === "new"} /> Create new S3 bucket
              </label>
              <label>
                <input type="radio" name="bucketMode" value="existing" checked={form.bucketMode === "existing"} /> Use existing S3 bucket
              </label>
            </div>
            <div class="ct-new-bucket-only">
              <Text name="bucket" label="Trail log bucket name" value={form.bucket} hint="A new bucket, with the bucket policy CloudTrail needs to write to it." />
            </div>
            <div class="field ct-existing-bucket-only">
              <label for="f-existingBucket">Existing bucket</label>
              <select id="f-existingBucket" name="existingBucket">
                <option value="">Choose a bucket</option>
                {buckets.map((b) => (
                  <option value={b.Name} selected={b.Name === form.existingBucket}>
                    {b.Name}
                  </option>
                ))}
              </select>
              <span class="hint">Its bucket policy must already let CloudTrail write to it.</span>
            </div>
            <Text name="prefix" label="Prefix - optional" value={form.prefix} />
          </fieldset>
          <fieldset>
            <legend>Log file SSE-KMS encryption</legend>
            <Check name="kms" checked={form.kms} label="Enabled" hint="Log files are encrypted with a KMS key; digest files stay SSE-S3." />
            <div class="ct-kms-only">
              <Text name="kmsAlias" label="AWS KMS alias" value={form.kmsAlias} hint="An existing alias, or a new one: a key is then created with the policy CloudTrail needs." />
            </div>
          </fieldset>
          <fieldset>
            <legend>Log file validation</legend>
            <Check name="validation" checked={form.validation} label="Enabled" hint="CloudTrail delivers signed digest files, so changes to log files can be detected." />
          </fieldset>
        </Container>
        <Container title="CloudWatch Logs - optional">
          <Check name="cloudWatch" checked={form.cloudWatch} label="Enabled" hint="Every event is also sent to a CloudWatch Logs log group." />
          <div class="ct-cw-only">
            <Text name="logGroup" label="Log group name" value={form.logGroup} hint="An existing log group, or a new one." />
            <Text name="roleName" label="IAM role" value={form.roleName} hint="An existing role CloudTrail can assume, or a new one (default CloudTrailRoleForCloudWatchLogs_<trail name>)." />
          </div>
        </Container>
        <Container title="Events">
          <fieldset>
            <legend>Management events</legend>
            <Check name="management" checked={form.management} label="Management events" hint="Operations performed on resources in your account." />
            <div class="field">
              <label for="f-readWrite">API activity</label>
              <select id="f-readWrite" name="readWrite">
                <option value="All" selected={form.readWrite === "All"}>
                  Read and write
                </option>
                <option value="ReadOnly" selected={form.readWrite === "ReadOnly"}>
                  Read
                </option>
                <option value="WriteOnly" selected={form.readWrite === "WriteOnly"}>
                  Write
                </option>
              </select>
            </div>
          </fieldset>
          <fieldset>
            <legend>Data events</legend>
            <Check name="s3Data" checked={form.s3Data} label="S3: all current and future buckets" />
            <Check name="lambdaData" checked={form.lambdaData} label="Lambda: all current and future functions" />
          </fieldset>
          <fieldset>
            <legend>Insights events</legend>
            <Check name="apiCallRateInsight" checked={form.apiCallRateInsight} label="API call rate" />
            <Check name="apiErrorRateInsight" checked={form.apiErrorRateInsight} label="API error rate" />
          </fieldset>
        </Container>
        <div class="form-actions">
          <a class="btn btn-link" href={href("cloudtrail/trails")}>
            Cancel
          </a>
          <button type="submit" class="btn btn-primary">
            Create trail
          </button>
        </div>
      </form>
    </CloudTrailFrame>,
  );
}

async function createTrail(c: ConsoleContext) {
  const form = trailFormOf(await c.req.parseBody());
  try {
    const name = await createTrailFromForm(c, form);
    c.var.session.notice = { kind: "success", message: `Trail ${name} created and logging.` };
    return c.redirect(trailHref(name), 303);
  } catch (e) {
    if (e instanceof CreateStepFailed) return showCreateForm(c, form, `${e.step} failed. ${errorText(e.error)}`);
    throw e;
  }
}

/** A trail's files under `[prefix/]AWSLogs/<account>/`, listed through S3 as the session (newest first). */
async function deliveredFiles(c: ConsoleContext, trail: Trail): Promise<{ key: string; size: number; lastModified?: Date }[]> {
  const prefix = `${trail.S3KeyPrefix ? `${trail.S3KeyPrefix}/` : ""}AWSLogs/${c.var.session.principal.accountId}/`;
  const files: { key: string; size: number; lastModified?: Date }[] = [];
  let token: string | undefined;
  do {
    const out = await awsCall<ListObjectsV2Output>(c, { service: "s3", operation: "ListObjectsV2", input: { Bucket: trail.S3BucketName, Prefix: prefix, ContinuationToken: token }, region: consoleRegion(c) });
    if (out.error) break;
    for (const o of out.output?.Contents ?? []) files.push({ key: o.Key ?? "", size: o.Size ?? 0, lastModified: o.LastModified });
    token = out.output?.IsTruncated ? out.output.NextContinuationToken : undefined;
  } while (token && files.length < 5000);
  return files.sort((a, b) => (b.lastModified?.getTime() ?? 0) - (a.lastModified?.getTime() ?? 0) || b.key.localeCompare(a.key));
}

const kindOf = (key: string) => (key.includes("/CloudTrail-Digest/") ? "Digest file" : key.includes("/CloudTrail-Insight/") ? "Insights file" : "Log file");

const VERDICTS: Record<string, { label: string; cls: string }> = {
  valid: { label: "Valid", cls: "status-ok" },
  modified: { label: "Modified", cls: "status-bad" },
  missing: { label: "Missing", cls: "status-bad" },
  invalid: { label: "Invalid", cls: "status-bad" },
};

async function trailDetails(c: ConsoleContext, validation?: ValidationReport, validateStart?: string) {
  const name = c.req.param("name") ?? "";
  const got = await ctCall(c, "GetTrail", { Name: name });
  const trail = got.output?.Trail;
  if (!trail) {
    return page(c, <CloudTrailFrame c={c} title="Trail not found" current="trails" crumbs={[trailsCrumb, { label: name }]} notice={{ kind: "error", message: got.error ? errorText(got.error) : `Trail ${name} not found.` }} />, 404);
  }
  const [status, selectors, insights, files] = await Promise.all([
    ctCall(c, "GetTrailStatus", { Name: trail.TrailARN ?? name }),
    ctCall(c, "GetEventSelectors", { TrailName: trail.TrailARN ?? name }),
    ctCall(c, "GetInsightSelectors", { TrailName: trail.TrailARN ?? name }),
    deliveredFiles(c, trail),
  ]);
  const s: GetTrailStatusResponse = status.output ?? {};
  const verdicts = new Map<string, string>();
  for (const d of validation?.digests ?? []) verdicts.set(d.key, d.verdict);
  for (const l of validation?.logs ?? []) verdicts.set(l.key, l.verdict);
  const missing = (validation?.logs ?? []).filter((l) => l.verdict === "missing").map((l) => l.key).concat((validation?.digests ?? []).filter((d) => d.verdict === "missing").map((d) => d.key));
  const rows = [...missing.map((key) => ({ key, size: undefined as number | undefined, lastModified: undefined as Date | undefined })), ...files];
  const logging = s.IsLogging === true;
  const shownSince = validateStart ?? new Date(c.var.deps.env.now().getTime() - 86_400_000).toISOString().slice(0, 16);
  return page(
    c,
    <CloudTrailFrame c={c} title={name} current="trails" crumbs={[trailsCrumb, { label: name }]}>
      <PageHeader
        title={name}
        actions={
          <>
            <form method="post" action={`${trailHref(name)}/logging`}>
              <CsrfField session={c.var.session} />
              <input type="hidden" name="logging" value={logging ? "stop" : "start"} />
              <button type="submit" class="btn">
                {logging ? "Stop logging" : "Start logging"}
              </button>
            </form>
            <a class="btn btn-danger" href={`${trailHref(name)}/delete`}>
              Delete
            </a>
          </>
        }
      />
      <Container title="General details">
        <KeyValues
          items={[
            ["Trail logging", <Status on={logging}>{logging ? "Logging" : "Off"}</Status>],
            ["Trail name", trail.Name],
            ["Trail ARN", <span class="mono">{trail.TrailARN}</span>],
            ["Multi-region trail", trail.IsMultiRegionTrail ? "Yes" : "No"],
            ["Trail log location", `${trail.S3BucketName}/${trail.S3KeyPrefix ? `${trail.S3KeyPrefix}/` : ""}AWSLogs/${c.var.session.principal.accountId}`],
            ["Log file validation", trail.LogFileValidationEnabled ? "Enabled" : "Disabled"],
            ["Log file SSE-KMS encryption", trail.KmsKeyId ? <span class="mono">{trail.KmsKeyId}</span> : "Not enabled"],
            ["CloudWatch Logs log group", trail.CloudWatchLogsLogGroupArn ?? "-"],
            ["Insights", (insights.output?.InsightSelectors ?? []).map((i) => i.InsightType).join(", ") || "Disabled"],
            ["Event selectors", (selectors.output?.EventSelectors ?? []).map((e) => `${e.IncludeManagementEvents ? `Management (${e.ReadWriteType ?? "All"})` : "No management"}${(e.DataResources ?? []).map((d) => `, ${d.Type}`).join("")}`).join("; ") || (selectors.output?.AdvancedEventSelectors ? "Advanced event selectors" : "-")],
          ]}
        />
      </Container>
      <Container title="Delivery status">
        <KeyValues
          items={[
            ["Last log file delivered", consoleTime(s.LatestDeliveryTime)],
            ["Last delivery error", s.LatestDeliveryError ? <span class="status status-bad">{s.LatestDeliveryError}</span> : "None"],
            ["Last digest file delivered", consoleTime(s.LatestDigestDeliveryTime)],
            ["Last digest delivery error", s.LatestDigestDeliveryError ? <span class="status status-bad">{s.LatestDigestDeliveryError}</span> : "None"],
            ["Last CloudWatch Logs delivery", consoleTime(s.LatestCloudWatchLogsDeliveryTime)],
            ["CloudWatch Logs delivery error", s.LatestCloudWatchLogsDeliveryError ?? "None"],
            ["Logging started", consoleTime(s.StartLoggingTime)],
            ["Logging stopped", consoleTime(s.StopLoggingTime)],
          ]}
        />
      </Container>
      <Container
        id="files"
        title="Delivered files"
        counter={files.length}
        description="Log and digest files in the trail's bucket. Validate checks them as aws cloudtrail validate-logs does."
        actions={
          <form method="post" action={`${trailHref(name)}/validate`} class="ct-row">
            <CsrfField session={c.var.session} />
            <div class="field">
              <label for="validate-start">Since (UTC)</label>
              <input id="validate-start" type="datetime-local" name="start" value={shownSince} />
            </div>
            <button type="submit" class="btn btn-primary">
              Validate
            </button>
          </form>
        }
      >
        {validation && <ValidationSummary report={validation} />}
        <table class="table" aria-label="Delivered files">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Type</th>
              <th scope="col">Size</th>
              <th scope="col">Delivered</th>
              {validation && <th scope="col">Validation</th>}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && <EmptyRow columns={validation ? 5 : 4} title="No files yet">CloudTrail delivers log files about every 5 minutes (POST /_localtrail/flush delivers now).</EmptyRow>}
            {rows.map((f) => {
              const verdict = verdicts.get(f.key);
              return (
                <tr>
                  <td class="mono">{f.key}</td>
                  <td>{kindOf(f.key)}</td>
                  <td>{f.size === undefined ? "-" : `${f.size} B`}</td>
                  <td>{f.lastModified ? consoleTime(f.lastModified) : "-"}</td>
                  {validation && <td>{verdict ? <span class={`status ${VERDICTS[verdict]!.cls}`}>{VERDICTS[verdict]!.label}</span> : <span class="muted">Not checked</span>}</td>}
                </tr>
              );
            })}
          </tbody>
        </table>
      </Container>
    </CloudTrailFrame>,
  );
}

function ValidationSummary({ report }: { report: ValidationReport }) {
  const bad = report.exitCode !== 0;
  return (
    <div class={`flash ${report.failure ? "flash-error" : bad ? "flash-error" : "flash-success"}`} role="status" aria-label="Validation result">
      {report.failure ?? (bad ? "Validation found files that were modified, deleted or are invalid." : "Every digest and log file is valid.")}
      <div class="ct-cli-title">aws cloudtrail validate-logs --verbose would print:</div>
      <pre class="ct-cli">{`${report.stdout}${report.stderr ? `\n${report.stderr}` : ""}`}</pre>
    </div>
  );
}

async function validateTrail(c: ConsoleContext) {
  const name = c.req.param("name") ?? "";
  const body = await c.req.parseBody();
  const got = await ctCall(c, "GetTrail", { Name: name });
  const trail = got.output?.Trail;
  const objects = c.var.deps.objects;
  if (!trail?.TrailARN || !trail.S3BucketName || !objects) return trailDetails(c);
  const startText = typeof body.start === "string" && body.start ? body.start : "";
  const start = startText ? new Date(/Z$/.test(startText) ? startText : `${startText}Z`) : new Date(c.var.deps.env.now().getTime() - 86_400_000);
  const report = await validateTrailFiles(
    { trailArn: trail.TrailARN, bucket: trail.S3BucketName, prefix: trail.S3KeyPrefix, start: Number.isNaN(start.getTime()) ? new Date(0) : start, end: c.var.deps.env.now(), sourceRegion: consoleRegion(c) },
    {
      objects,
      // The keys come from ListPublicKeys, called as the session (recorded, as the CLI's call is).
      publicKeys: async (from, to) => {
        const out = await ctCall(c, "ListPublicKeys", { StartTime: from, EndTime: to });
        return (out.output?.PublicKeyList ?? []).map((k) => ({ fingerprint: k.Fingerprint ?? "", der: Buffer.from(k.Value ?? []) }));
      },
    },
  );
  return trailDetails(c, report, startText || undefined);
}

async function setLogging(c: ConsoleContext) {
  const name = c.req.param("name") ?? "";
  const body = await c.req.parseBody();
  const stop = body.logging === "stop";
  const out = stop ? await ctCall(c, "StopLogging", { Name: name }) : await ctCall(c, "StartLogging", { Name: name });
  c.var.session.notice = out.error ? { kind: "error", message: errorText(out.error) } : { kind: "success", message: `Logging ${stop ? "stopped" : "started"} for trail ${name}.` };
  return c.redirect(trailHref(name), 303);
}

async function showDelete(c: ConsoleContext) {
  const name = c.req.param("name") ?? "";
  return page(
    c,
    <CloudTrailFrame c={c} title={`Delete ${name}`} current="trails" crumbs={[trailsCrumb, { label: name, href: trailHref(name) }, { label: "Delete" }]}>
      <PageHeader title={`Delete trail ${name}?`} description="Deleting a trail stops its delivery. Files already delivered stay in the bucket; events stay in Event history." />
      <Container>
        <form method="post" action={`${trailHref(name)}/delete`} class="form">
          <CsrfField session={c.var.session} />
          <div class="field">
            <label for="confirm">To confirm, enter the trail's name</label>
            <input id="confirm" type="text" name="confirm" data-confirm={name} autocomplete="off" />
          </div>
          <div class="form-actions">
            <a class="btn btn-link" href={trailHref(name)}>
              Cancel
            </a>
            <button type="submit" class="btn btn-danger">
              Delete
            </button>
          </div>
        </form>
      </Container>
    </CloudTrailFrame>,
  );
}

async function deleteTrail(c: ConsoleContext) {
  const name = c.req.param("name") ?? "";
  const body = await c.req.parseBody();
  if (body.confirm !== name) return showDelete(c);
  const out = await ctCall(c, "DeleteTrail", { Name: name });
  c.var.session.notice = out.error ? { kind: "error", message: errorText(out.error) } : { kind: "success", message: `Trail ${name} deleted.` };
  return c.redirect(out.error ? trailHref(name) : href("cloudtrail/trails"), 303);
}
