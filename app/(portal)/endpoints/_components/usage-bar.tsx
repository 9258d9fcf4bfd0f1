import { formatGb } from '@/app/_components/ui/format';
import { GIB } from '@/lib/domain/units';

/** Month-to-date bytes against the workspace's monthly limit, as a bar with the numbers in words. */
export function UsageBar({ bytes, limitGib }: { bytes: number; limitGib: number }) {
  const pct = limitGib > 0 ? Math.min(100, (bytes / (limitGib * GIB)) * 100) : 100;
  const tone = pct >= 100 ? 'bg-red-600' : pct >= 80 ? 'bg-amber-500' : 'bg-emerald-600';
  return (
    <div className="w-36">
      {/* biome-ignore lint/a11y/useSemanticElements: a styled bar; <meter> cannot be styled the same way in every browser */}
      <div
        className="h-2 overflow-hidden rounded-full bg-slate-200"
        role="meter"
        aria-valuemin={0}
        aria-valuemax={limitGib}
        aria-valuenow={Number(formatGb(bytes))}
        aria-label={`${formatGb(bytes)} of ${limitGib} GB this month`}
      >
        <div className={`h-full ${tone}`} style={{ width: `${pct}%` }} />
      </div>
      <p className="mt-1 text-xs text-slate-700">
        {formatGb(bytes)} of {limitGib} GB
      </p>
    </div>
  );
}
