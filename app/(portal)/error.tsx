'use client';

export default function PortalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-6">
      <h1 className="text-lg font-semibold text-red-900">This page could not be loaded</h1>
      <p className="mt-2 text-sm text-red-900">
        Nothing was changed. Try again in a moment{error.digest ? ` (reference ${error.digest})` : ''}.
      </p>
      <button type="button" onClick={reset} className="mt-4 rounded-md bg-red-700 px-3 py-2 text-sm font-semibold text-white">
        Try again
      </button>
    </div>
  );
}
