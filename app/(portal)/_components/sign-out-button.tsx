'use client';

import { signOut } from 'next-auth/react';

export function SignOutButton() {
  return (
    <button type="button" onClick={() => signOut({ callbackUrl: '/signin' })}
      className="rounded-md px-2.5 py-1.5 text-sm font-medium text-slate-200 hover:bg-slate-800 hover:text-white">
      Sign out
    </button>
  );
}
