/** A cell or field with nothing to show. */
export function NoValue() {
  return <span className="muted">—</span>;
}
