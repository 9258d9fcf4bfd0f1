'use client';

import './globals.css';

// When even the root layout fails: a whole document of its own (Next replaces the layout with it), the same plain
// message, no internals.
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <main className="flex min-h-screen items-center justify-center px-4 py-12">
          <div role="alert" className="w-full max-w-md rounded-lg border border-red-200 bg-red-50 p-6">
            <h1 className="text-lg font-semibold text-red-900">The portal is unavailable right now</h1>
            <p className="mt-2 text-sm text-red-900">
              Nothing was changed. Try again in a moment
              {error.digest ? `; if it keeps failing, quote reference ${error.digest} to support` : ''}.
            </p>
            <button type="button" onClick={reset} className="mt-4 rounded-md bg-red-700 px-3 py-2 text-sm font-semibold text-white">
              Try again
            </button>
          </div>
        </main>
      </body>
    </html>
  );
}
