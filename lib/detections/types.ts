export type Severity = 'low' | 'medium' | 'high' | 'critical';

export type MitreEntry = {
  tactic: { id: string; name: string };
  technique: { id: string; name: string };
  subtechnique?: { id: string; name: string };
};

/** What every rule declares about itself; the detection logic is added beside it. */
export type RuleMetadata = {
  id: string;
  name: string;
  description: string;
  severity: Severity;
  riskScore: number;
  mitre: MitreEntry[];
  /** Where the logic comes from upstream. */
  upstream: { source: string; reference: string; version: string };
  defaultParameters: Record<string, number>;
};
