import { Fragment, type ReactNode } from 'react';

/** Code-point order, the same in every browser and on the server, so identical alerts list alike. */
export const sortValues = (values: readonly string[]) => [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** An identifier on one line, cut with an ellipsis, the full value in its tooltip. */
export function ClipText({ value, className }: { value: string; className?: string }) {
  return (
    <span className={className ? `clip-text ${className}` : 'clip-text'} title={value}>
      {value}
    </span>
  );
}

/** The first `max` values, sorted, then "+N" whose tooltip lists them all. */
export function ValueList({
  values,
  max = 3,
  render = (value) => <ClipText value={value} />,
}: {
  values: readonly string[];
  max?: number;
  /** Each shown value; give it the `clip-text` class and a title. */
  render?: (value: string) => ReactNode;
}) {
  const sorted = sortValues(values);
  const shown = sorted.length > max + 1 ? sorted.slice(0, max) : sorted;
  const rest = sorted.length - shown.length;
  return (
    <span className="value-list">
      {shown.map((value, index) => (
        <Fragment key={value}>
          {index ? ', ' : ''}
          {render(value)}
        </Fragment>
      ))}
      {rest ? (
        <span
          className="more-count"
          title={sorted.join('\n')}
          aria-label={`${rest} more: ${sorted.slice(max).join(', ')}`}
        >
          +{rest}
        </span>
      ) : null}
    </span>
  );
}
