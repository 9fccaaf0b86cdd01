/** One colour per outcome, the same in every chart; CSS variables, so each theme picks readable ones. */
export const outcomeColors = {
  allowed: 'var(--outcome-allowed)',
  forbidden: 'var(--outcome-forbidden)',
  other: 'var(--outcome-other)',
} as const;

/** "other": no authorization decision and no success or denial code (e.g. a RequestReceived stage). */
export const outcomeLabels = { allowed: 'allowed', forbidden: 'forbidden', other: 'no outcome' } as const;

/** The outcome stack of every requests-over-time chart. */
export const outcomeSeries = (['allowed', 'forbidden', 'other'] as const).map((outcome) => ({
  key: outcome,
  label: outcomeLabels[outcome],
  color: outcomeColors[outcome],
}));
