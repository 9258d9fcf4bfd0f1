import { formatGb } from '@/app/_components/ui/format';
import { GIB } from '@/lib/domain/units';

/**
 * An endpoint's own month-to-date transfer, and its workspace's total against the workspace's monthly limit (the
 * beta's limit is per workspace, over all of its endpoints: docs/program-rules.md#beta-limits) as a bar.
 */
export function UsageBar({
  bytes,
  workspaceBytes,
  limitGib,
  workspaceName,
}: {
  bytes: number;
  workspaceBytes: number;
  limitGib: number;
  workspaceName: string;
}) {
  const pct = limitGib > 0 ? Math.min(100, (workspaceBytes / (limitGib * GIB)) * 100) : 100;
  const tone = pct >= 100 ? 'bg-red-600' : pct >= 80 ? 'bg-amber-500' : 'bg-emerald-600';
  return (
    <div className="w-40">
      <p className="text-sm text-slate-900" data-testid="endpoint-month">
        This endpoint: {formatGb(bytes)} GB
      </p>
      {/* biome-ignore lint/a11y/useSemanticElements: a styled bar; <meter> cannot be styled the same way in every browser */}
      <div
        className="mt-1 h-2 overflow-hidden rounded-full bg-slate-200"
        role="meter"
        aria-valuemin={0}
        aria-valuemax={limitGib}
        aria-valuenow={Number(formatGb(workspaceBytes))}
        aria-label={`${workspaceName}: ${formatGb(workspaceBytes)} of its ${limitGib} GB this month`}
      >
        <div className={`h-full ${tone}`} style={{ width: `${pct}%` }} />
      </div>
      <p className="mt-1 text-xs text-slate-700" data-testid="workspace-month">
        Workspace: {formatGb(workspaceBytes)} of {limitGib} GB
      </p>
    </div>
  );
}
