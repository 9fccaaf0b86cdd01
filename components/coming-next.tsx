/** The honest placeholder of a page whose feature has not landed yet: what it will show. */
export function ComingNext({ items }: { items: string[] }) {
  return (
    <section className="panel coming-next" aria-label="Planned for this page">
      <h2>Not built yet</h2>
      <p>This page will show:</p>
      <ul>
        {items.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
    </section>
  );
}
