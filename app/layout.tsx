import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { ThemeProvider } from 'next-themes';
import './globals.css';
import '@/components/ui/forms.css';

export const metadata: Metadata = {
  title: { default: 'Vigil', template: '%s · Vigil' },
  description: 'Investigation dashboard for Kubernetes audit logs',
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // The theme script runs before the first paint (no flash of the wrong theme); the CSP lets it by its nonce.
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <body>
        <ThemeProvider attribute="class" defaultTheme="system" enableSystem disableTransitionOnChange nonce={nonce}>
          {children}
        </ThemeProvider>
      </body>
    </html>
  );
}
