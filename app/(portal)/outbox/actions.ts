'use server';

import { revalidatePath } from 'next/cache';
import { action } from '@/lib/auth/guard';
import { resendMessage, resendSchema } from '@/lib/outbox/admin';

/** Send a failed (or held) message again, under the same delivery id (audited). */
export const resendMessageAction = action(
  resendSchema,
  { permission: 'outbox.resend' },
  async (input, { user, db, requestId, sourceIp }) => {
    const row = await resendMessage(db, user, input, { requestId, sourceIp });
    revalidatePath('/outbox');
    return { id: row.id, state: row.state };
  },
);
