import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/protocols/models.js";
import { RestRouter } from "../../src/gateway/rest-routes.js";

const s3 = new RestRouter(loadModel("s3"));
const lambda = new RestRouter(loadModel("lambda"));
const q = (s: string) => new URLSearchParams(s);

describe("RestRouter", () => {
  it("prefers the template with the most query keys, then literals", () => {
    expect(s3.match("GET", "/bkt", q("list-type=2")).operations[0]).toBe("ListObjectsV2");
    expect(s3.match("GET", "/bkt", q("")).operations[0]).toBe("ListObjects");
    expect(s3.match("PUT", "/bkt", q("policy")).operations[0]).toBe("PutBucketPolicy");
    expect(s3.match("GET", "/", q("")).operations).toContain("ListBuckets");
  });

  it("keeps S3 keys literally: slashes, dot segments, encoded slashes", () => {
    const m = s3.match("GET", "/bkt/a//b/../c%2Fd%20e", q(""));
    expect(m.operations[0]).toBe("GetObject");
    expect(m.labels.get("GetObject")).toEqual({ Bucket: "bkt", Key: "a//b/../c/d e" });
  });

  it("treats a trailing slash after the bucket as a bucket operation", () => {
    expect(s3.match("PUT", "/bkt/", q("")).operations[0]).toBe("CreateBucket");
  });

  it("decodes encoded ARNs in Lambda labels once", () => {
    const m = lambda.match("POST", "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Af/invocations", q(""));
    expect(m.operations[0]).toBe("Invoke");
    expect(m.labels.get("Invoke")).toEqual({ FunctionName: "arn:aws:lambda:us-east-1:000000000000:function:f" });
  });
});
