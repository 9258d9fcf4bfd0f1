import type { ReactNode } from 'react';
import { AddressNotice } from '@/app/_components/address-notice';
import { requirePageFrame } from '@/lib/auth/session';
import { publicOrigin } from '@/lib/public-url';
import { Nav } from './_components/nav';

// The portal frame. Signed-out visitors are redirected by proxy.ts; each page checks its own permission.
export default async function PortalLayout({ children }: { children: ReactNode }) {
  // One statement for the account, its workspace's name and the notifications badge, shared with the page.
  const frame = await requirePageFrame();
  return (
    <>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-slate-900"
      >
        Skip to content
      </a>
      <AddressNotice expected={publicOrigin()} />
      <Nav frame={frame} />
      <main id="main" className="mx-auto max-w-7xl px-4 py-8">
        {children}
      </main>
    </>
  );
}
