/**
 * The one failure type. A handler (or any step) throws an AwsError; the codec of the service's protocol
 * renders it in that protocol's envelope and the recorder writes it as errorCode/errorMessage.
 *
 * `name` is the error as the model names it: a shape name such as `NoSuchEntityException` (which is also
 * what CloudTrail writes in errorCode) or, for unmodelled errors, the wire code itself (`AccessDenied`,
 * `InvalidInstanceID.NotFound`). The wire code and HTTP status come from the model's error shape unless
 * given here.
 */
export class AwsError extends Error {
  readonly code: string;
  readonly status?: number;
  /** Extra protocol fields some errors carry (S3 `<Key>`, `<BucketName>`; clock-skew `ServerTime`). */
  readonly fields?: Record<string, string>;
  readonly senderFault: boolean;
  /** errorCode in the record when CloudTrail spells it differently from the wire code. */
  readonly recordedCode?: string;
  /** A refusal for want of permission: CloudTrail records such a call without its requestParameters. */
  readonly unauthorized: boolean;
  /** Response headers an error carries beside its envelope (S3 `x-amz-delete-marker`, `x-amz-version-id`). */
  readonly headers?: Record<string, string>;

  constructor(
    code: string,
    message: string,
    options: { status?: number; fields?: Record<string, string>; senderFault?: boolean; recordedCode?: string; unauthorized?: boolean; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = "AwsError";
    this.code = code;
    this.status = options.status;
    this.fields = options.fields;
    this.recordedCode = options.recordedCode;
    this.unauthorized = options.unauthorized ?? false;
    this.headers = options.headers;
    this.senderFault = options.senderFault ?? (options.status === undefined || options.status < 500);
  }
}

export const isAwsError = (e: unknown): e is AwsError => e instanceof AwsError;
