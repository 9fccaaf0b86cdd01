/** What an action answered, announced: green when it worked, red with the reason when not. */
export function ResultText({ result }: { result: { ok: boolean; message: string } | null }) {
  if (!result) return null;
  return (
    <span role="status" className={result.ok ? 'ok-text' : 'error-text'}>
      {result.message}
    </span>
  );
}
