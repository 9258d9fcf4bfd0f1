'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { setAutoRequestAction } from '../../workspace-actions';

/** A CSM's switch: does this workspace's case request provisioning by itself once every check passed? */
export function AutoRequestToggle({
  workspaceId,
  workspaceName,
  enabled,
}: {
  workspaceId: string;
  workspaceName: string;
  enabled: boolean;
}) {
  const router = useRouter();
  const [on, setOn] = useState(enabled);
  const [message, setMessage] = useState<string | null>(null);
  async function change(next: boolean) {
    setOn(next);
    const res = await setAutoRequestAction({ workspaceId, enabled: next });
    if (!res.ok) {
      setOn(!next);
      setMessage(res.message);
      return;
    }
    setMessage(next ? 'Saved: checked cases request provisioning themselves.' : 'Saved: a CSM requests provisioning for each case.');
    router.refresh();
  }
  return (
    <div className="text-sm">
      <label className="flex items-center gap-2 text-slate-900">
        <input type="checkbox" checked={on} onChange={(e) => void change(e.target.checked)} className="h-4 w-4" />
        Cases of {workspaceName} request provisioning by themselves once every check from the edge account passed
      </label>
      <p aria-live="polite" className="mt-1 min-h-4 text-xs text-slate-700">
        {message ?? 'An engineer still approves each one.'}
      </p>
    </div>
  );
}
