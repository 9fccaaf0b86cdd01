import Link from 'next/link';
import './figures.css';

export type Figure = { label: string; value: string; state?: string; href?: string };

/** Large numbers in a row of cards, each with its label underneath (and a link to what it counts, when given). */
export function Figures({ label, figures }: { label: string; figures: Figure[] }) {
  return (
    <section className="figures" aria-label={label}>
      {figures.map((figure) => (
        <div className="figure" key={figure.label} data-state={figure.state}>
          {figure.href ? (
            <Link className="figure-value" href={figure.href}>
              {figure.value}
            </Link>
          ) : (
            <span className="figure-value">{figure.value}</span>
          )}
          <span className="figure-label">{figure.label}</span>
        </div>
      ))}
    </section>
  );
}
