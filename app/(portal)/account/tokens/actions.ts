'use server';

import { revalidatePath } from 'next/cache';
import { action } from '@/lib/auth/guard';
import { createToken, createTokenSchema, revokeToken, revokeTokenSchema } from '@/lib/tokens';

/** Make an API token for the signed-in person: its text is answered this once and never stored. */
export const createTokenAction = action(
  createTokenSchema,
  { permission: 'token.manage' },
  async (input, { user, db, requestId, sourceIp }) => {
    const { token, listing } = await createToken(db, user, input, { requestId, sourceIp });
    revalidatePath('/account/tokens');
    return { token, name: listing.name };
  },
);

/** Revoke one of the signed-in person's tokens: refused from its next request on. */
export const revokeTokenAction = action(
  revokeTokenSchema,
  { permission: 'token.manage' },
  async (input, { user, db, requestId, sourceIp }) => {
    await revokeToken(db, user, input, { requestId, sourceIp });
    revalidatePath('/account/tokens');
    return { revoked: true };
  },
);
