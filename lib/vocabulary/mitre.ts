/** One MITRE ATT&CK mapping of a rule. */
export type MitreEntry = {
  tactic: { id: string; name: string };
  technique: { id: string; name: string };
  subtechnique?: { id: string; name: string };
};
