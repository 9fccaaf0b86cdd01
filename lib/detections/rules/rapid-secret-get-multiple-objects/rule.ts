import { CONTAINER_API_CREDENTIALS } from '../../mitre';
import type { RuleMetadata } from '../../types';

export const metadata: RuleMetadata = {
  id: 'rapid-secret-get-multiple-objects',
  name: 'Rapid secret GETs against multiple objects',
  description:
    'One client fingerprint (user, source IP, user agent) fetched several distinct secrets by name within a few minutes: targeted harvesting of credentials, tokens or certificates.',
  severity: 'high',
  riskScore: 73,
  mitre: [CONTAINER_API_CREDENTIALS],
  upstream: {
    source: 'Elastic detection-rules',
    reference:
      'credential_access_kubernetes_multiple_secret_retrieval_burst.toml (b4c8e2a1-9f3d-4e7c-a2b1-0d5e6f7a8b9c)',
    version: '2',
  },
  defaultParameters: { windowMinutes: 6, minDistinctSecrets: 3 },
};
