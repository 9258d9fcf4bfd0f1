import { redirect } from 'next/navigation';
import { landingPath } from '@/lib/auth/policy';
import { currentUser } from '@/lib/auth/session';

// / – send each role to its landing page (customers: cases, CSMs: queue, engineers: endpoints, admins: admin).
export default async function Home() {
  const user = await currentUser();
  redirect(user ? landingPath(user.role) : '/signin');
}
