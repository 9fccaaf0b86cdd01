import './figures.css';

export type Figure = { label: string; value: string; state?: string };

/** Large numbers in a row of cards, each with its label underneath. */
export function Figures({ label, figures }: { label: string; figures: Figure[] }) {
  return (
    <section className="figures" aria-label={label}>
      {figures.map((figure) => (
        <div className="figure" key={figure.label} data-state={figure.state}>
          <span className="figure-value">{figure.value}</span>
          <span className="figure-label">{figure.label}</span>
        </div>
      ))}
    </section>
  );
}
