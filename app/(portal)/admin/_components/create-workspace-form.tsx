'use client';

import { Button } from '@/app/_components/ui/button';
import { createWorkspaceAction } from '../actions';
import { FormMessage, TextField, useServerForm } from './form';

/** New customer workspace: a name and an optional short name; the beta limits start at their defaults. */
export function CreateWorkspaceForm() {
  const f = useServerForm(createWorkspaceAction, { onSuccess: (_data, form) => form.reset() });
  return (
    <form
      ref={f.formRef}
      onSubmit={f.onSubmit}
      noValidate
      aria-labelledby="new-workspace-heading"
      className="space-y-3 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200"
    >
      <h3 id="new-workspace-heading" className="text-base font-semibold text-slate-900">
        New workspace
      </h3>
      <FormMessage
        result={f.result}
        messageRef={f.messageRef}
        testId="workspace-form-message"
        success={
          f.result?.ok
            ? `Workspace “${f.result.data.name}” (${f.result.data.slug}) created with the beta limits: 2 endpoints, 300 GB a month.`
            : null
        }
      />
      <TextField
        name="name"
        label="Name"
        errors={f.errorsFor('name')}
        help="The customer’s name as staff know it, like “Acme Analytics”."
      />
      <TextField
        name="slug"
        label="Short name (optional)"
        errors={f.errorsFor('slug')}
        help="Lower-case letters, digits and hyphens. Made from the name when left empty."
      />
      <Button type="submit" disabled={f.pending}>
        {f.pending ? 'Creating…' : 'Create workspace'}
      </Button>
    </form>
  );
}
