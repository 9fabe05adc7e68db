import type { ReactNode } from 'react';

export const metadata = {
  title: 'Acme — shop',
  description: 'Everything for home and garden, delivered tomorrow.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
