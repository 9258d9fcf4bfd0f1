'use client';

import { useActionState } from 'react';
import { createWorkspaceAction } from '../actions';
import { errorsOf, FormMessage, initialFormState, SubmitButton, submitTo, TextField } from './form';

const submit = submitTo(createWorkspaceAction);

/** New customer workspace: a name and an optional short name; the beta limits start at their defaults. */
export function CreateWorkspaceForm() {
  const [state, formAction] = useActionState(submit, initialFormState);
  // After a success the form starts empty again; after a refusal it keeps what was typed.
  const typed = state.result?.ok ? {} : state.values;
  return (
    <form
      action={formAction}
      noValidate
      aria-labelledby="new-workspace-heading"
      className="space-y-3 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200"
    >
      <h3 id="new-workspace-heading" className="text-base font-semibold text-slate-900">
        New workspace
      </h3>
      <FormMessage
        state={state}
        testId="workspace-form-message"
        success={
          state.result?.ok
            ? `Workspace “${state.result.data.name}” (${state.result.data.slug}) created with the beta limits: 2 endpoints, 300 GB a month.`
            : null
        }
      />
      <TextField
        name="name"
        label="Name"
        defaultValue={typed.name}
        errors={errorsOf(state, 'name')}
        help="The customer’s name as staff know it, like “Acme Analytics”."
      />
      <TextField
        name="slug"
        label="Short name (optional)"
        defaultValue={typed.slug}
        errors={errorsOf(state, 'slug')}
        help="Lower-case letters, digits and hyphens. Made from the name when left empty."
      />
      <SubmitButton label="Create workspace" pendingLabel="Creating…" />
    </form>
  );
}
