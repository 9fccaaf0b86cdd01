import type { MitreEntry } from '../vocabulary/mitre';

/** The ATT&CK entries the rules share. */
export const CONTAINER_API_CREDENTIALS: MitreEntry = {
  tactic: { id: 'TA0006', name: 'Credential Access' },
  technique: { id: 'T1552', name: 'Unsecured Credentials' },
  subtechnique: { id: 'T1552.007', name: 'Container API' },
};
