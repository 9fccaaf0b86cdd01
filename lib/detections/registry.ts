import { metadata as rapidSecretGets } from './rules/rapid-secret-get-multiple-objects/rule';
import { metadata as tokenAccessThenApi } from './rules/sa-token-access-then-api-request/rule';
import { metadata as secretEnumeration } from './rules/secret-enumeration-by-user/rule';
import { metadata as nodeOrPodSecretRead } from './rules/secret-read-by-node-or-pod-sa/rule';
import type { RuleMetadata } from './types';

/** Every rule Vigil ships, in the order the Rules page lists them. */
export const ruleCatalog: readonly RuleMetadata[] = [
  nodeOrPodSecretRead,
  rapidSecretGets,
  secretEnumeration,
  tokenAccessThenApi,
];
