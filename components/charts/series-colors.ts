/** One colour per severity, the same as the severity badges. */
export const severityColors = { low: '#5d6b7a', medium: '#b7791f', high: '#c0392b', critical: '#7b1fa2' } as const;

/** One colour per ingest source. */
export const ingestSourceColors = { upload: '#2457c5', webhook: '#1f8a4c', cli: '#b7791f', demo: '#8a94a3' } as const;
