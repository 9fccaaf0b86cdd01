/** One colour per severity, the same as the severity badges (CSS variables: each theme picks readable ones). */
export const severityColors = {
  low: 'var(--sev-low)',
  medium: 'var(--sev-medium)',
  high: 'var(--sev-high)',
  critical: 'var(--sev-critical)',
} as const;

/** One colour per ingest source. */
export const ingestSourceColors = {
  upload: 'var(--accent)',
  webhook: 'var(--ok)',
  cli: 'var(--sev-medium)',
  demo: 'var(--outcome-other)',
} as const;
