import type { ReactNode } from 'react';
import { getWorkspaceName } from '@/db/queries/workspaces';
import { requirePageUser } from '@/lib/auth/session';
import { Nav } from './_components/nav';

// The portal frame. Signed-out visitors are redirected by proxy.ts; each page checks its own permission.
export default async function PortalLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  const workspaceName = user.workspaceId ? await getWorkspaceName(user.workspaceId) : null;
  return (
    <>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-slate-900"
      >
        Skip to content
      </a>
      <Nav user={user} workspaceName={workspaceName} />
      <main id="main" className="mx-auto max-w-7xl px-4 py-8">
        {children}
      </main>
    </>
  );
}
