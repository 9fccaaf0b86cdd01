import './auth-card.css';

/** The centred card of the pages people see before they are signed in. */
export function AuthCard({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <main className="auth-page">
      <div className="auth-card">
        <p className="auth-brand">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>{' '}
          Vigil
        </p>
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}
