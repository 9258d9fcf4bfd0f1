import Link from 'next/link';

export default function Forbidden() {
  return (
    <main className="mx-auto max-w-xl px-4 py-24 text-center">
      <p className="text-sm font-semibold text-red-700">403 · Not allowed</p>
      <h1 className="mt-2 text-2xl font-semibold text-slate-900">This page is not available to your role</h1>
      <p className="mt-3 text-sm text-slate-700">
        Your account does not have permission to open it. If you think it should, ask an administrator.
      </p>
      <Link href="/" className="mt-6 inline-block text-sm font-semibold text-indigo-700 underline">
        Go to your home page
      </Link>
    </main>
  );
}
