'use server';

import { revalidatePath } from 'next/cache';
import { action } from '@/lib/auth/guard';
import { markRead, markReadSchema } from '@/lib/notifications/read';

/** Mark one notification (id) or all of the signed-in user's notifications read. */
export const markNotificationsReadAction = action(
  markReadSchema,
  { permission: 'notification.mark_read' },
  async (input, { user, db, requestId, sourceIp }) => {
    const count = await markRead(db, user, input, { requestId, sourceIp });
    revalidatePath('/', 'layout'); // the unread badge in the navigation of every page
    return { count };
  },
);
