import type { ServiceDefinition } from "../src/types/service.js";
import type { AuthScheme } from "../src/auth/auth-scheme.js";
import { iam } from "./iam/index.js";
import { sts } from "./sts/index.js";
import { cloudtrail } from "./cloudtrail/index.js";

/** Every emulated service. The engine knows them only through this list (wired in by src/main.ts). */
export const services: ServiceDefinition[] = [iam, sts, cloudtrail];

/** Signature schemes beyond SigV4 that some service needs. */
export const authSchemes: AuthScheme[] = [];
