'use client';

import { useActionState } from 'react';
import { overrideLimitsAction } from '../actions';
import { errorsOf, FormMessage, initialFormState, SubmitButton, submitTo, TextAreaField, TextField } from './form';

const submit = submitTo(overrideLimitsAction);

/** Override one workspace's beta limits; a reason is required (kept with the workspace and in the audit log). */
export function LimitsForm({
  workspaceId,
  endpointLimit,
  monthlyTransferLimitGib,
}: {
  workspaceId: string;
  endpointLimit: number;
  monthlyTransferLimitGib: number;
}) {
  const [state, formAction] = useActionState(submit, initialFormState);
  const saved = state.result?.ok ? state.result.data : null;
  return (
    <form
      action={formAction}
      noValidate
      aria-labelledby="limits-heading"
      className="space-y-3 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200"
    >
      <h2 id="limits-heading" className="text-base font-semibold text-slate-900">
        Override limits
      </h2>
      <p className="text-sm text-slate-700">
        The private beta allows each workspace 2 endpoints and 300 GB a month. A higher or lower limit needs a reason.
      </p>
      <FormMessage
        state={state}
        testId="limits-form-message"
        success={saved ? `Limits saved: ${saved.endpointLimit} endpoints and ${saved.monthlyTransferLimitGib} GB a month.` : null}
      />
      <input type="hidden" name="workspaceId" value={workspaceId} />
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField
          name="endpointLimit"
          label="Endpoint limit"
          inputMode="numeric"
          defaultValue={saved?.endpointLimit ?? state.values.endpointLimit ?? endpointLimit}
          errors={errorsOf(state, 'endpointLimit')}
          help="PrivateLink endpoints at once, 0–100."
        />
        <TextField
          name="monthlyTransferLimitGib"
          label="Monthly transfer limit (GB)"
          inputMode="numeric"
          defaultValue={saved?.monthlyTransferLimitGib ?? state.values.monthlyTransferLimitGib ?? monthlyTransferLimitGib}
          errors={errorsOf(state, 'monthlyTransferLimitGib')}
          help="GB (2³⁰ bytes) per UTC month, 0–100,000."
        />
      </div>
      <TextAreaField
        name="reason"
        label="Reason"
        // The next override needs its own reason: empty after a save, kept after a refusal.
        defaultValue={saved ? '' : state.values.reason}
        errors={errorsOf(state, 'reason')}
        help="Why this workspace gets different limits, like “Enterprise pilot signed 2026-03-01 (ticket 4411)”. At least 5 characters."
      />
      <SubmitButton label="Save limits" pendingLabel="Saving…" />
    </form>
  );
}
