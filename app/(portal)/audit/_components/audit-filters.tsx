import Link from 'next/link';
import { buttonClass } from '@/app/_components/ui/button';
import { cn } from '@/app/_components/ui/cn';
import type { FieldErrors } from '@/lib/errors';
import { FocusFirstError } from './focus-first-error';

export interface FilterValues {
  actor?: string;
  action?: string;
  workspace?: string;
  autosaves?: string;
  from?: string;
  to?: string;
}

const inputClass = (invalid: boolean) =>
  cn('mt-1 block w-full rounded-md border px-3 py-2 text-sm shadow-sm', invalid ? 'border-red-600' : 'border-slate-400');

function Field({
  name,
  label,
  help,
  errors,
  children,
}: {
  name: string;
  label: string;
  help?: string;
  errors: string[];
  children: (a11y: Record<string, string | boolean | undefined>) => React.ReactNode;
}) {
  const id = `audit-${name}`;
  const describedBy = [help ? `${id}-help` : null, errors.length ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-900">
        {label}
      </label>
      {children({ id, name, 'aria-invalid': errors.length > 0, 'aria-describedby': describedBy })}
      {help ? (
        <p id={`${id}-help`} className="mt-1 text-xs text-slate-700">
          {help}
        </p>
      ) : null}
      {errors.length ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-800">
          {errors.join(' ')}
        </p>
      ) : null}
    </div>
  );
}

/** The audit log's filters: a plain GET form, so every filtered view is a link that can be shared and bookmarked. */
export function AuditFilters({
  values,
  errors,
  actions,
  workspaces,
  actors,
}: {
  values: FilterValues;
  errors: FieldErrors;
  actions: string[];
  workspaces: { id: string; name: string }[];
  actors: string[];
}) {
  const families = [...new Set(actions.map((a) => a.split('.')[0]!))];
  const e = (k: string) => errors[k] ?? [];
  const invalid = Object.keys(errors).length > 0;
  return (
    // biome-ignore lint/a11y/useSemanticElements: <search> is not yet announced by every screen reader; the role is
    <form
      id="audit-filters"
      method="get"
      action="/audit"
      role="search"
      aria-label="Filter the audit log"
      className="mb-6 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
    >
      {invalid ? (
        <div role="alert" className="mb-3 rounded-md bg-red-50 p-3 text-sm text-red-900 ring-1 ring-red-200" data-testid="filter-error">
          Some filters are not valid, so nothing is listed: fix them below and apply again.
        </div>
      ) : null}
      {invalid ? <FocusFirstError formId="audit-filters" /> : null}
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
        <Field name="actor" label="Actor" errors={e('actor')} help="Part of an e-mail, or a role like “reconciler”.">
          {(a) => (
            <input
              {...a}
              type="search"
              list="audit-actors"
              defaultValue={values.actor ?? ''}
              autoComplete="off"
              className={inputClass(e('actor').length > 0)}
            />
          )}
        </Field>
        <datalist id="audit-actors">
          {actors.map((x) => (
            <option key={x} value={x} />
          ))}
        </datalist>
        <Field name="action" label="Action" errors={e('action')}>
          {(a) => (
            <select {...a} defaultValue={values.action ?? ''} className={inputClass(e('action').length > 0)}>
              <option value="">All actions</option>
              <optgroup label="Every action of a kind">
                {families.map((f) => (
                  <option key={f} value={`${f}.*`}>
                    {f}.* (all)
                  </option>
                ))}
              </optgroup>
              <optgroup label="One action">
                {actions.map((x) => (
                  <option key={x} value={x}>
                    {x}
                  </option>
                ))}
              </optgroup>
              {values.action && !actions.includes(values.action) && !values.action.endsWith('.*') ? (
                <option value={values.action}>{values.action}</option>
              ) : null}
            </select>
          )}
        </Field>
        <Field name="workspace" label="Workspace" errors={e('workspace')}>
          {(a) => (
            <select {...a} defaultValue={values.workspace ?? ''} className={inputClass(e('workspace').length > 0)}>
              <option value="">All workspaces</option>
              {workspaces.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="from" label="From (UTC day)" errors={e('from')}>
          {(a) => <input {...a} type="date" defaultValue={values.from ?? ''} className={inputClass(e('from').length > 0)} />}
        </Field>
        <Field name="to" label="To (UTC day, included)" errors={e('to')}>
          {(a) => <input {...a} type="date" defaultValue={values.to ?? ''} className={inputClass(e('to').length > 0)} />}
        </Field>
      </div>
      <label className="mt-3 flex items-center gap-2 text-sm text-slate-900">
        <input type="checkbox" name="autosaves" value="1" defaultChecked={values.autosaves === '1'} className="h-4 w-4" />
        Include autosaves of wizard answers (case.save_inputs)
      </label>
      {e('before').length || e('after').length ? (
        <p className="mt-3 text-sm text-red-800">{[...e('before'), ...e('after')].join(' ')}</p>
      ) : null}
      <div className="mt-4 flex flex-wrap gap-2">
        <button type="submit" className={buttonClass('primary')}>
          Apply filters
        </button>
        <Link href="/audit" className={buttonClass('secondary')}>
          Clear
        </Link>
      </div>
    </form>
  );
}
