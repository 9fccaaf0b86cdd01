import Link from 'next/link';
import './forbidden.css';

export default function Forbidden() {
  return (
    <section className="panel forbidden" aria-label="Not allowed">
      <h1>Not allowed</h1>
      <p>Your role does not allow this page. An admin can change your role under Users.</p>
      <p>
        <Link href="/">Back to the overview</Link>
      </p>
    </section>
  );
}
