import type { ServiceDefinition } from "../src/types/service.js";
import type { AuthScheme } from "../src/auth/auth-scheme.js";
import { sigV2Scheme } from "../src/auth/sigv2.js";
import { iam } from "./iam/index.js";
import { s3 } from "./s3/index.js";
import { sts } from "./sts/index.js";
import { cloudtrail } from "./cloudtrail/index.js";
import { ec2 } from "./ec2/index.js";
import { kms } from "./kms/index.js";
import { logs } from "./logs/index.js";
import { lambda } from "./lambda/index.js";
import { events } from "./events/index.js";

/** Every emulated service. The engine knows them only through this list (wired in by src/main.ts). */
export const services: ServiceDefinition[] = [iam, s3, sts, cloudtrail, ec2, kms, logs, lambda, events];

/** Signature schemes beyond SigV4 that some service needs. */
export const authSchemes: AuthScheme[] = [sigV2Scheme];
