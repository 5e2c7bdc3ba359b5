/**
 * The shape of a generated descriptor (src/generated/descriptors/<service>.json): a botocore service model
 * without its documentation. Codecs, the input validator and the recorder walk these shapes; no code
 * hard-codes a member name that the model already knows.
 */
export type Protocol = "query" | "ec2" | "rest-xml" | "rest-json" | "json";

export interface ServiceMetadata {
  apiVersion: string;
  protocol: Protocol;
  endpointPrefix: string;
  serviceId: string;
  signingName?: string;
  jsonVersion?: string;
  targetPrefix?: string;
  xmlNamespace?: string;
  globalEndpoint?: string;
}

export interface HttpBinding {
  method: string;
  requestUri: string;
  responseCode?: number;
}

export interface OperationModel {
  name: string;
  http: HttpBinding;
  input?: { shape: string; locationName?: string; xmlNamespace?: { uri: string } };
  output?: { shape: string; resultWrapper?: string };
  errors?: { shape: string }[];
  httpChecksum?: { requestChecksumRequired?: boolean; requestAlgorithmMember?: string };
  /** `none`: the operation takes no AWS credentials (STS AssumeRoleWithWebIdentity, AssumeRoleWithSAML). */
  authtype?: string;
}

export interface MemberRef {
  shape: string;
  location?: "uri" | "querystring" | "header" | "headers" | "statusCode";
  locationName?: string;
  queryName?: string;
  flattened?: boolean;
  xmlAttribute?: boolean;
  xmlNamespace?: { uri: string; prefix?: string };
  streaming?: boolean;
  jsonvalue?: boolean;
  idempotencyToken?: boolean;
  hostLabel?: boolean;
  timestampFormat?: TimestampFormat;
  eventpayload?: boolean;
}

export type TimestampFormat = "iso8601" | "rfc822" | "unixTimestamp";

interface ShapeBase {
  min?: number;
  max?: number;
  sensitive?: boolean;
  locationName?: string;
}

export interface StructureShape extends ShapeBase {
  type: "structure";
  members: Record<string, MemberRef>;
  required?: string[];
  payload?: string;
  exception?: boolean;
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
  /** A namespace the structure's element declares (S3's Grantee declares xsi for its xsi:type attribute). */
  xmlNamespace?: { uri: string; prefix?: string };
  document?: boolean;
  union?: boolean;
}

export interface ListShape extends ShapeBase {
  type: "list";
  member: MemberRef;
  flattened?: boolean;
}

export interface MapShape extends ShapeBase {
  type: "map";
  key: MemberRef;
  value: MemberRef;
  flattened?: boolean;
}

export interface ScalarShape extends ShapeBase {
  type: "string" | "boolean" | "integer" | "long" | "float" | "double" | "timestamp" | "blob" | "bigdecimal" | "biginteger";
  enum?: string[];
  pattern?: string;
  timestampFormat?: TimestampFormat;
  streaming?: boolean;
}

export type Shape = StructureShape | ListShape | MapShape | ScalarShape;

export interface ServiceModel {
  metadata: ServiceMetadata;
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}
