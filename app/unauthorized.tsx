import Link from 'next/link';

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
