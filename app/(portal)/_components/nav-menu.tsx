'use client';

import { usePathname } from 'next/navigation';
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { cn } from '@/app/_components/ui/cn';

/**
 * The navigation's content behind a "Menu" disclosure button at phone width (below Tailwind's `md`, 768 px), always
 * shown from `md` up. The content is rendered once, so links and the notification badge exist once in the page.
 * Escape closes it and returns focus to the button; following a link closes it.
 */
export function NavMenu({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const button = useRef<HTMLButtonElement>(null);
  const pathname = usePathname();
  // biome-ignore lint/correctness/useExhaustiveDependencies: `pathname` is the trigger: a new page closes the menu
  useEffect(() => setOpen(false), [pathname]);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);
  return (
    <>
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
        className="ml-auto inline-flex items-center gap-2 rounded-md px-2.5 py-1.5 text-sm font-medium text-slate-100 ring-1 ring-inset ring-slate-600 hover:bg-slate-800 md:hidden"
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4" fill="currentColor">
          {open ? (
            <path d="M5.3 4.3 10 9l4.7-4.7 1 1L11 10l4.7 4.7-1 1L10 11l-4.7 4.7-1-1L9 10 4.3 5.3z" />
          ) : (
            <path d="M3 5h14v1.5H3zm0 4.25h14v1.5H3zM3 13.5h14V15H3z" />
          )}
        </svg>
        Menu
      </button>
      <div
        id={id}
        data-testid="nav-menu"
        className={cn(
          open ? 'flex' : 'hidden',
          'w-full min-w-0 flex-col gap-3 border-t border-slate-700 pt-3 md:flex md:w-auto md:flex-1 md:flex-row md:flex-wrap md:items-center md:gap-x-6 md:border-0 md:pt-0',
        )}
      >
        {children}
      </div>
    </>
  );
}
