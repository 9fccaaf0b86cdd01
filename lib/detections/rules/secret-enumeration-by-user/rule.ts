import { CONTAINER_API_CREDENTIALS } from '../../mitre';
import type { RuleMetadata } from '../../types';

export const metadata: RuleMetadata = {
  id: 'secret-enumeration-by-user',
  name: 'Secret enumeration by a user',
  description:
    'A single user accessed many distinct secrets with get, list or watch within 30 minutes. Severity is high when any read succeeded and medium when every read was denied.',
  severity: 'medium',
  riskScore: 47,
  mitre: [CONTAINER_API_CREDENTIALS],
  upstream: {
    source: 'Panther panther-analysis',
    reference: 'rules/kubernetes_rules/k8s_secret_enumeration.yml (Kubernetes.BulkSecretAccess)',
    version: 'daa10c88',
  },
  defaultParameters: { windowMinutes: 30, minDistinctValues: 15 },
};
