'use client';

// Any error while rendering a portal page: what happened and what to do, never the error's own text (it may hold SQL
// or an address). Route handlers answer 503 for the same outage; a page can only show this.
export default function PortalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-6">
      <h1 className="text-lg font-semibold text-red-900">This page is unavailable right now</h1>
      <p className="mt-2 text-sm text-red-900">
        Nothing was changed. The portal could not load this page — usually its database is briefly unreachable. Try again in a moment
        {error.digest ? `; if it keeps failing, quote reference ${error.digest} to support` : ''}.
      </p>
      <button type="button" onClick={reset} className="mt-4 rounded-md bg-red-700 px-3 py-2 text-sm font-semibold text-white">
        Try again
      </button>
    </div>
  );
}
