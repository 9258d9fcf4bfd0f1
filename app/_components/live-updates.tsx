'use client';

import { useRouter } from 'next/navigation';
import { startTransition, useEffect, useRef } from 'react';

// How often an open, visible page asks whether what it shows changed. A few seconds is "by itself" for a person
// watching a case; each ask is one indexed read answered 304 while nothing changed.
const POLL_MS = 3_000;

/**
 * Keeps a server-rendered page current: asks `src` (GET /api/changes) for the change tag of what the page shows,
 * with the tag the page was rendered from as If-None-Match, and refreshes the page's server components when the
 * answer differs. Polling rather than a push channel because the tag lives in the database: it is right whichever
 * server process renders the page or changes the case, needs no sticky sessions or long-lived connections, and
 * works on PGlite as on PostgreSQL. Paused while the tab is hidden; asks at once when it is shown again.
 */
export function LiveUpdates({ src, tag }: { src: string; tag: string }) {
  const router = useRouter();
  const known = useRef(tag);
  // A refresh renders the page again with its new tag.
  useEffect(() => {
    known.current = tag;
  }, [tag]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let running = false;
    const hidden = () => document.visibilityState === 'hidden';
    const schedule = () => {
      clearTimeout(timer);
      if (!stopped && !hidden()) timer = setTimeout(poll, POLL_MS);
    };
    async function poll() {
      if (running || stopped || hidden()) return;
      running = true;
      try {
        const res = await fetch(src, { cache: 'no-store', headers: { 'If-None-Match': `"${known.current}"` } });
        if (res.status === 200) {
          const body = (await res.json()) as { tag?: string };
          if (body.tag && body.tag !== known.current) {
            known.current = body.tag;
            startTransition(() => router.refresh());
          }
        } else if (res.status === 401 || res.status === 403 || res.status === 404) {
          // Signed out, or the case is no longer this reader's: the page itself says so after a refresh.
          stopped = true;
          startTransition(() => router.refresh());
        }
      } catch {
        // Offline or the server restarting: ask again at the next tick.
      } finally {
        running = false;
        schedule();
      }
    }
    const onVisibility = () => (hidden() ? clearTimeout(timer) : void poll());
    document.addEventListener('visibilitychange', onVisibility);
    schedule();
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [src, router]);

  return null;
}
