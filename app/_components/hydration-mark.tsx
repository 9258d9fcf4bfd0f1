'use client';

import { useEffect } from 'react';

/**
 * Marks the document (`<html data-hydrated>`) once React has hydrated it. Until then a typed value can be replaced by
 * the component's own state, so browser tests wait for the mark before they type (e2e/wizard-support.ts `openCase`).
 */
export function HydrationMark() {
  useEffect(() => {
    document.documentElement.dataset.hydrated = '';
  }, []);
  return null;
}
