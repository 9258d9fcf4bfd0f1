'use client';

import { Button } from '@/app/_components/ui/button';
import { overrideLimitsAction } from '../actions';
import { FormMessage, TextAreaField, TextField, useServerForm } from './form';

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
  const f = useServerForm(overrideLimitsAction, {
    // The next override needs its own reason.
    onSuccess: (_d, form) => {
      const reason = form.elements.namedItem('reason');
      if (reason instanceof HTMLTextAreaElement) reason.value = '';
    },
  });
  return (
    <form
      ref={f.formRef}
      onSubmit={f.onSubmit}
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
        result={f.result}
        messageRef={f.messageRef}
        testId="limits-form-message"
        success={
          f.result?.ok
            ? `Limits saved: ${f.result.data.endpointLimit} endpoints and ${f.result.data.monthlyTransferLimitGib} GB a month.`
            : null
        }
      />
      <input type="hidden" name="workspaceId" value={workspaceId} />
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField
          name="endpointLimit"
          label="Endpoint limit"
          inputMode="numeric"
          defaultValue={endpointLimit}
          errors={f.errorsFor('endpointLimit')}
          help="PrivateLink endpoints at once, 0–100."
        />
        <TextField
          name="monthlyTransferLimitGib"
          label="Monthly transfer limit (GB)"
          inputMode="numeric"
          defaultValue={monthlyTransferLimitGib}
          errors={f.errorsFor('monthlyTransferLimitGib')}
          help="GB (2³⁰ bytes) per UTC month, 0–100,000."
        />
      </div>
      <TextAreaField
        name="reason"
        label="Reason"
        errors={f.errorsFor('reason')}
        help="Why this workspace gets different limits, like “Enterprise pilot signed 2026-03-01 (ticket 4411)”. At least 5 characters."
      />
      <Button type="submit" disabled={f.pending}>
        {f.pending ? 'Saving…' : 'Save limits'}
      </Button>
    </form>
  );
}
