import type { RuleMetadata } from '../../types';

export const metadata: RuleMetadata = {
  id: 'sa-token-access-then-api-request',
  name: 'Service account token or certificate read, then API request from the same pod',
  description:
    'An interactive process in a container opened the mounted service-account token or CA certificate, and the same pod called the Kubernetes API within 60 seconds: a hands-on-keyboard attacker using stolen workload credentials.',
  severity: 'medium',
  riskScore: 47,
  mitre: [
    {
      tactic: { id: 'TA0002', name: 'Execution' },
      technique: { id: 'T1059', name: 'Command and Scripting Interpreter' },
      subtechnique: { id: 'T1059.004', name: 'Unix Shell' },
    },
    {
      tactic: { id: 'TA0006', name: 'Credential Access' },
      technique: { id: 'T1528', name: 'Steal Application Access Token' },
    },
    {
      tactic: { id: 'TA0006', name: 'Credential Access' },
      technique: { id: 'T1552', name: 'Unsecured Credentials' },
      subtechnique: { id: 'T1552.001', name: 'Credentials In Files' },
    },
    {
      tactic: { id: 'TA0007', name: 'Discovery' },
      technique: { id: 'T1613', name: 'Container and Resource Discovery' },
    },
    {
      tactic: { id: 'TA0008', name: 'Lateral Movement' },
      technique: { id: 'T1550', name: 'Use Alternate Authentication Material' },
      subtechnique: { id: 'T1550.001', name: 'Application Access Token' },
    },
  ],
  upstream: {
    source: 'Elastic detection-rules',
    reference:
      'execution_d4c_k8s_mda_service_account_token_access_followed_by_kubernetes_api_request.toml (4bd306f9-ee89-4083-91af-e61ed5c42b9a)',
    version: '3',
  },
  defaultParameters: { maxSpanSeconds: 60 },
};
