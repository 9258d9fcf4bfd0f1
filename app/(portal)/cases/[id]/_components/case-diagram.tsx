import { type Diagram, type DiagramNode, layoutDiagram, NODE_H, NODE_W } from '@/lib/cases/diagram';
import { STATE_LABEL } from '@/lib/cases/states';
import type { CaseState } from '@/lib/domain/case-states';
import type { Warehouse } from '@/lib/domain/warehouses';

/**
 * The case's state machine, generated from the transition table: the current state lit, the states and transitions
 * this case went through marked, states the warehouse's flow never uses dashed.
 */
export function CaseDiagram({
  warehouse,
  current,
  visited,
  taken,
}: {
  warehouse: Warehouse;
  current: CaseState;
  visited: CaseState[];
  taken: { from: CaseState; to: CaseState }[];
}) {
  const d = layoutDiagram(warehouse);
  const wasVisited = new Set(visited);
  const wasTaken = (from: CaseState, to: CaseState) => taken.some((t) => t.from === from && t.to === to);
  return (
    <figure className="min-w-0 rounded-lg bg-white p-2 ring-1 ring-slate-200">
      {/* Wider than a phone: the drawing scrolls inside its own box, which the keyboard can scroll too. */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable to be scrolled without a mouse */}
      <section className="overflow-x-auto" tabIndex={0} aria-label="State diagram, scrolls sideways">
        <svg
          viewBox={`0 0 ${d.width} ${d.height}`}
          width={d.width}
          height={d.height}
          role="img"
          data-testid="state-diagram"
          aria-label={`State machine of this case. Current state: ${STATE_LABEL[current]}.`}
          className="max-w-none"
          fontFamily="ui-sans-serif, system-ui, sans-serif"
        >
          <defs>
            <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" fill="#64748b" />
            </marker>
            <marker id="arrow-taken" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" fill="#047857" />
            </marker>
          </defs>
          {d.edges.map((e) => {
            const on = wasTaken(e.from, e.to);
            return (
              <path
                key={`${e.from}-${e.event}`}
                d={e.path}
                fill="none"
                data-edge={`${e.from}:${e.event}:${e.to}`}
                data-taken={on}
                stroke={on ? '#047857' : '#94a3b8'}
                strokeWidth={on ? 2.5 : 1.2}
                strokeDasharray={e.usedByFlow ? undefined : '4 3'}
                markerEnd={on ? 'url(#arrow-taken)' : 'url(#arrow)'}
              >
                <title>{`${e.label}: ${STATE_LABEL[e.from]} → ${STATE_LABEL[e.to]}`}</title>
              </path>
            );
          })}
          {d.edges.map((e) => {
            const on = wasTaken(e.from, e.to);
            return (
              <text
                key={`label-${e.from}-${e.event}`}
                x={e.labelX}
                y={e.labelY}
                textAnchor="middle"
                dominantBaseline="central"
                fontSize="10"
                fontWeight={on ? 600 : 400}
                fill={on ? '#065f46' : e.usedByFlow ? '#475569' : '#94a3b8'}
                stroke="#ffffff"
                strokeWidth={3}
                paintOrder="stroke"
              >
                {e.label}
              </text>
            );
          })}
          {d.nodes.map((n) => {
            const isCurrent = n.state === current;
            const seen = wasVisited.has(n.state);
            const fill = isCurrent ? '#4338ca' : seen ? '#d1fae5' : n.usedByFlow ? '#ffffff' : '#f8fafc';
            const stroke = isCurrent ? '#312e81' : seen ? '#047857' : '#94a3b8';
            return (
              <g key={n.state} data-state={n.state} data-current={isCurrent} data-visited={seen}>
                <rect
                  x={n.x}
                  y={n.y}
                  width={NODE_W}
                  height={NODE_H}
                  rx={8}
                  fill={fill}
                  stroke={stroke}
                  strokeWidth={isCurrent ? 3 : 1.2}
                  strokeDasharray={n.usedByFlow ? undefined : '4 3'}
                />
                <text
                  x={n.x + NODE_W / 2}
                  y={n.y + NODE_H / 2}
                  textAnchor="middle"
                  dominantBaseline="central"
                  fontSize="11.5"
                  fontWeight={isCurrent ? 700 : 500}
                  fill={isCurrent ? '#ffffff' : n.usedByFlow ? '#0f172a' : '#64748b'}
                >
                  {STATE_LABEL[n.state].length > 20 ? (
                    <Wrapped text={STATE_LABEL[n.state]} x={n.x + NODE_W / 2} y={n.y + NODE_H / 2} />
                  ) : (
                    STATE_LABEL[n.state]
                  )}
                </text>
              </g>
            );
          })}
        </svg>
      </section>
      <figcaption className="mt-2 flex flex-wrap gap-4 px-2 text-xs text-slate-700">
        <span>
          <span aria-hidden="true" className="mr-1 inline-block h-3 w-3 rounded-sm bg-indigo-700 align-middle" />
          Current state
        </span>
        <span>
          <span aria-hidden="true" className="mr-1 inline-block h-3 w-3 rounded-sm bg-emerald-100 ring-1 ring-emerald-700 align-middle" />
          Path taken
        </span>
        <span>
          <span aria-hidden="true" className="mr-1 inline-block h-3 w-3 rounded-sm border border-dashed border-slate-500 align-middle" />
          Not used by this warehouse
        </span>
      </figcaption>
      <DiagramInWords d={d} current={current} visited={wasVisited} wasTaken={wasTaken} />
    </figure>
  );
}

/** The same diagram as text, for screen readers and for anyone who prefers a list to arrows. */
function DiagramInWords({
  d,
  current,
  visited,
  wasTaken,
}: {
  d: Diagram;
  current: CaseState;
  visited: Set<CaseState>;
  wasTaken: (from: CaseState, to: CaseState) => boolean;
}) {
  const status = (n: DiagramNode) =>
    [n.state === current ? 'current state' : visited.has(n.state) ? 'passed' : null, n.usedByFlow ? null : 'not used by this warehouse']
      .filter(Boolean)
      .join(', ');
  return (
    <details className="mt-2 px-2 text-sm text-slate-800" data-testid="state-diagram-text">
      <summary className="cursor-pointer font-medium text-indigo-800">The diagram in words</summary>
      <ul className="mt-2 space-y-2">
        {d.nodes.map((n) => {
          const out = d.edges.filter((e) => e.from === n.state);
          return (
            <li key={n.state}>
              <span className={n.state === current ? 'font-semibold' : undefined}>{STATE_LABEL[n.state]}</span>
              {status(n) ? <span className="text-slate-700"> ({status(n)})</span> : null}
              {out.length ? (
                <ul className="list-disc pl-5">
                  {out.map((e) => (
                    <li key={e.event}>
                      {e.label} → {STATE_LABEL[e.to]}
                      {wasTaken(e.from, e.to) ? ' (taken)' : e.usedByFlow ? '' : ' (not used by this warehouse)'}
                    </li>
                  ))}
                </ul>
              ) : (
                <span className="text-slate-700">: no way out</span>
              )}
            </li>
          );
        })}
      </ul>
    </details>
  );
}

function Wrapped({ text, x, y }: { text: string; x: number; y: number }) {
  const words = text.split(' ');
  const half = Math.ceil(words.length / 2);
  return (
    <>
      <tspan x={x} y={y - 7}>
        {words.slice(0, half).join(' ')}
      </tspan>
      <tspan x={x} y={y + 8}>
        {words.slice(half).join(' ')}
      </tspan>
    </>
  );
}
