'use client';

// Any error while rendering a page outside the portal frame (sign-in, the landing redirect): the same plain message
// as app/(portal)/error.tsx, never the error's own text.
export default function AppError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div role="alert" className="w-full max-w-md rounded-lg border border-red-200 bg-red-50 p-6">
        <h1 className="text-lg font-semibold text-red-900">The portal is unavailable right now</h1>
        <p className="mt-2 text-sm text-red-900">
          Nothing was changed. Usually its database is briefly unreachable. Try again in a moment
          {error.digest ? `; if it keeps failing, quote reference ${error.digest} to support` : ''}.
        </p>
        <button type="button" onClick={reset} className="mt-4 rounded-md bg-red-700 px-3 py-2 text-sm font-semibold text-white">
          Try again
        </button>
      </div>
    </main>
  );
}
