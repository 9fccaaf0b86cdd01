/** An event as it arrived, folded away until asked for. */
export function OriginalJson({ source, summary = 'JSON', open }: { source: string; summary?: string; open?: boolean }) {
  return (
    <details className="original" open={open}>
      <summary>{summary}</summary>
      <pre>{source}</pre>
    </details>
  );
}
