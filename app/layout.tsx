import type { Metadata } from 'next';
import './globals.css';
import '@/components/ui/forms.css';

export const metadata: Metadata = {
  title: { default: 'Vigil', template: '%s · Vigil' },
  description: 'Investigation dashboard for Kubernetes audit logs',
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
