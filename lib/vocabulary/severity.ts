// Severities, lowest first: the one list the rules, alerts, filters, charts and the database enum share.
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
