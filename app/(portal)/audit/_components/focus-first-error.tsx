'use client';

import { useEffect } from 'react';

/** After a server-rendered refusal, put the keyboard focus on the first field in error of the given form. */
export function FocusFirstError({ formId }: { formId: string }) {
  useEffect(() => {
    document.getElementById(formId)?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [formId]);
  return null;
}
