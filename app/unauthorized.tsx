import Link from 'next/link';
import '@/components/auth-card.css';

export default function Unauthorized() {
  return (
    <main className="auth-page">
      <div className="auth-card">
        <h1>Signed out</h1>
        <p>Your session has ended.</p>
        <p>
          <Link href="/sign-in">Sign in again</Link>
        </p>
      </div>
    </main>
  );
}
