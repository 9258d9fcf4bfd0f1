import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="mx-auto max-w-xl px-4 py-24 text-center">
      <p className="text-sm font-semibold text-slate-700">404 · Not found</p>
      <h1 className="mt-2 text-2xl font-semibold text-slate-900">We could not find that page</h1>
      <p className="mt-3 text-sm text-slate-700">It may have moved, or it is not part of your workspace.</p>
      <Link href="/" className="mt-6 inline-block text-sm font-semibold text-indigo-700 underline">
        Go to your home page
      </Link>
    </main>
  );
}
