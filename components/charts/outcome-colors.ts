/** One colour per outcome, the same in every chart. */
export const outcomeColors = { allowed: '#1f8a4c', forbidden: '#c0392b', other: '#8a94a3' } as const;

/** "other": no authorization decision and no success or denial code (e.g. a RequestReceived stage). */
export const outcomeLabels = { allowed: 'allowed', forbidden: 'forbidden', other: 'no outcome' } as const;

/** The outcome stack of every requests-over-time chart. */
export const outcomeSeries = (['allowed', 'forbidden', 'other'] as const).map((outcome) => ({
  key: outcome,
  label: outcomeLabels[outcome],
  color: outcomeColors[outcome],
}));
