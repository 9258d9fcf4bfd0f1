import { projectMonthEnd } from '@/lib/usage-projection';
import { GIB } from '@/lib/domain/units';
import { niceTicks } from '@/lib/usage/ticks';

const W = 760;
const H = 280;
const PAD = { l: 56, r: 16, t: 16, b: 36 };

/**
 * Daily bytes this month (bars), the running total (line), the monthly limit (red line) and the month-end projection
 * from the trend (dashed), as an SVG drawn on the server.
 */
export function UsageChart({
  daily,
  todayIndex,
  limitGib,
}: {
  daily: { day: string; bytes: number }[];
  todayIndex: number;
  limitGib: number;
}) {
  const p = projectMonthEnd(daily, todayIndex);
  const limit = limitGib * GIB;
  // The axis runs to the first nice tick (1/2/5 × 10^n GB) above the limit, the projection and the month so far.
  const ticks = niceTicks(Math.max(limitGib * 1.05, p.projected / GIB, p.monthToDate / GIB)).map((t) => t * GIB);
  const top = ticks.at(-1)!;
  const x = (i: number) => PAD.l + (i + 0.5) * ((W - PAD.l - PAD.r) / daily.length);
  const y = (b: number) => H - PAD.b - (b / top) * (H - PAD.t - PAD.b);
  const barW = Math.max(2, (W - PAD.l - PAD.r) / daily.length - 3);
  let run = 0;
  const cumulative = daily
    .slice(0, todayIndex + 1)
    .map((d, i) => {
      run += d.bytes;
      return `${i === 0 ? 'M' : 'L'} ${x(i)} ${y(run)}`;
    })
    .join(' ');
  const gb = (b: number) => (b / GIB).toFixed(b / GIB >= 10 ? 0 : 1);
  // A tick prints as its nice value: 0.25 GB stays 0.25, 100 GB stays 100.
  const tickLabel = (b: number) => String(Number((b / GIB).toPrecision(6)));
  return (
    <figure className="rounded-lg bg-white p-4 ring-1 ring-slate-200">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="h-auto w-full"
        role="img"
        data-testid="usage-chart"
        aria-label={`Transfer this month: ${gb(p.monthToDate)} GB so far of ${limitGib} GB; projected ${gb(p.projected)} GB by month end.`}
      >
        {ticks.map((t) => (
          <g key={t} data-testid="usage-tick">
            <line x1={PAD.l} x2={W - PAD.r} y1={y(t)} y2={y(t)} stroke="#e2e8f0" />
            <text x={PAD.l - 6} y={y(t)} textAnchor="end" dominantBaseline="central" fontSize="11" fill="#334155">
              {tickLabel(t)} GB
            </text>
          </g>
        ))}
        {daily.map((d, i) => (
          <rect
            key={d.day}
            x={x(i) - barW / 2}
            y={y(d.bytes)}
            width={barW}
            height={H - PAD.b - y(d.bytes)}
            fill={i <= todayIndex ? '#a5b4fc' : 'transparent'}
          >
            <title>{`${d.day}: ${gb(d.bytes)} GB`}</title>
          </rect>
        ))}
        {daily.map((d, i) =>
          i % 5 === 0 || i === daily.length - 1 ? (
            <text key={`l${d.day}`} x={x(i)} y={H - PAD.b + 16} textAnchor="middle" fontSize="11" fill="#334155">
              {Number(d.day.slice(8))}
            </text>
          ) : null,
        )}
        <line x1={PAD.l} x2={W - PAD.r} y1={y(limit)} y2={y(limit)} stroke="#b91c1c" strokeWidth="2" data-testid="limit-line" />
        <text x={W - PAD.r} y={y(limit) - 6} textAnchor="end" fontSize="11" fill="#b91c1c">
          {limitGib} GB limit
        </text>
        <path d={cumulative} fill="none" stroke="#3730a3" strokeWidth="2.5" />
        <line
          x1={x(todayIndex)}
          y1={y(p.monthToDate)}
          x2={x(daily.length - 1)}
          y2={y(p.projected)}
          stroke="#3730a3"
          strokeWidth="2"
          strokeDasharray="6 4"
          data-testid="projection-line"
        />
      </svg>
      <figcaption className="mt-2 flex flex-wrap gap-x-6 gap-y-1 text-sm text-slate-800">
        <span data-testid="usage-mtd">
          {gb(p.monthToDate)} GB so far of {limitGib} GB
        </span>
        <span>≈ {gb(p.perDay)} GB a day lately</span>
        <span data-testid="usage-projection" className={p.projected >= limit ? 'font-semibold text-red-800' : ''}>
          Projected {gb(p.projected)} GB by month end{p.projected >= limit ? ' — over the limit' : ''}
        </span>
      </figcaption>
    </figure>
  );
}
