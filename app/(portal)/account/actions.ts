'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { action } from '@/lib/auth/guard';
import { signOutEverywhere } from '@/lib/auth/session-account';
import { preferencesSchema, setEmailPreferences } from '@/lib/outbox/admin';

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

/** Which kinds of e-mail the signed-in user gets (in-app notifications always stay). Audited when it changes. */
export const setEmailPreferencesAction = action(
  preferencesSchema,
  { permission: 'account.email_preferences' },
  async (input, { user, db, requestId, sourceIp }) => {
    const r = await setEmailPreferences(db, user, input, { requestId, sourceIp });
    revalidatePath('/account');
    return r;
  },
);
