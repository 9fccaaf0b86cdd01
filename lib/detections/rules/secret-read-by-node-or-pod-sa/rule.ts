import { CONTAINER_API_CREDENTIALS } from '../../mitre';
import type { RuleMetadata } from '../../types';

export const metadata: RuleMetadata = {
  id: 'secret-read-by-node-or-pod-sa',
  name: 'Secret get or list from node or pod service account',
  description:
    'A node identity (system:node:*) or a pod service account (system:serviceaccount:*) read or listed secrets from a non-loopback address. Workload credentials reading secrets is a common first step after a pod or node is compromised.',
  severity: 'medium',
  riskScore: 47,
  mitre: [CONTAINER_API_CREDENTIALS],
  upstream: {
    source: 'Elastic detection-rules',
    reference:
      'credential_access_kubernetes_secret_read_by_node_or_pod_service_account.toml (f8a31c62-0d4e-4b9a-b7e1-6c2a9d4e8f10)',
    version: '3',
  },
  defaultParameters: { suppressionWindowMinutes: 60 },
};
