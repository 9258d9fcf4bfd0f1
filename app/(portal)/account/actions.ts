'use server';

import { z } from 'zod';
import { action } from '@/lib/auth/guard';
import { signOutEverywhere } from '@/lib/auth/session-account';

/**
 * "Sign out everywhere": every session of the signed-in account ends, on every device, this one included (its cookie
 * stays behind but no longer counts; the browser goes to sign-in).
 */
export const signOutEverywhereAction = action(
  z.object({}),
  { permission: 'session.end_all' },
  async (_input, { user, db, requestId, sourceIp }) => {
    await signOutEverywhere(db, user, { requestId, sourceIp });
    return { signedOut: true };
  },
);
