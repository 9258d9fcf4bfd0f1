import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { HydrationMark } from './_components/hydration-mark';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'PrivateLink Portal', template: '%s · PrivateLink Portal' },
  description: 'Private AWS connectivity from the edge account to your warehouse.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        {children}
        <HydrationMark />
      </body>
    </html>
  );
}
