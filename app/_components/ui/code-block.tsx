import { CopyButton } from './copy-button';

/** A copy-ready snippet (shell, Terraform, SQL) with its title. */
export function CodeBlock({ title, code }: { title: string; code: string }) {
  return (
    <figure className="overflow-hidden rounded-md ring-1 ring-slate-300">
      <figcaption className="flex items-center justify-between gap-2 bg-slate-100 px-3 py-1.5 text-xs font-semibold text-slate-800">
        <span>{title}</span>
        <CopyButton value={code} label={title} />
      </figcaption>
      <pre className="overflow-x-auto bg-slate-900 p-3 text-xs leading-relaxed text-slate-100">
        <code>{code}</code>
      </pre>
    </figure>
  );
}
