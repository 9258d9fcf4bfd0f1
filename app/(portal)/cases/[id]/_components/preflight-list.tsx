import { CodeBlock } from '@/app/_components/ui/code-block';
import { formatDateTime } from '@/app/_components/ui/format';
import type { PreflightCheck, StoredPreflight } from '@/lib/preflight';

const STATUS: Record<PreflightCheck['status'], { word: string; mark: string; tone: string }> = {
  passed: { word: 'Passed', mark: '✓', tone: 'text-emerald-800' },
  failed: { word: 'Failed', mark: '✗', tone: 'text-red-800' },
  could_not_run: { word: 'Could not run', mark: '!', tone: 'text-amber-800' },
};

const TRIGGER: Record<StoredPreflight['trigger'], string> = {
  check: 'checked on request',
  submit: 'checked on submit',
  provide_details: 'checked when the details were sent',
  approve: 'checked on approval',
};

/** The checks of a preflight run, each with its result, what to fix and the command; the same list for everyone. */
export function PreflightList({ preflight, checks }: { preflight: StoredPreflight; checks: PreflightCheck[] }) {
  return (
    <div data-testid="preflight-results">
      <p className="text-xs text-slate-700">
        Seen from the edge account {formatDateTime(new Date(preflight.at))} ({TRIGGER[preflight.trigger]}).
      </p>
      {checks.length === 0 ? (
        <p className="mt-2 text-sm text-slate-700">Nothing to check yet for this step.</p>
      ) : (
        <ul className="mt-2 space-y-3">
          {checks.map((k) => {
            const s = STATUS[k.status];
            return (
              <li key={k.id} data-check={k.id} data-status={k.status} className="text-sm">
                <p className="font-medium text-slate-900">
                  <span aria-hidden="true" className={`mr-1 ${s.tone}`}>
                    {s.mark}
                  </span>
                  <span className={s.tone}>{s.word}:</span> {k.label}
                </p>
                <p className="mt-0.5 text-slate-800">{k.detail}</p>
                {k.command ? (
                  <div className="mt-2">
                    <CodeBlock title={k.status === 'passed' ? 'If you want to' : 'To fix it'} code={k.command} />
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
