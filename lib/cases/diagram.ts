import 'server-only';
import dagre from '@dagrejs/dagre';
import { CASE_STATES, type CaseState } from '@/lib/domain/case-states';
import type { Warehouse } from '@/lib/domain/warehouses';
import { TRANSITIONS, type Transition, transitionsForFlow } from './machine';

/**
 * Lays out the state-machine diagram from the transition table (never drawn by hand) with dagre's layered layout
 * (docs/design.md#the-state-diagram): states in ranks top to bottom, crossings reduced by dagre, edge labels placed
 * by it. Server-only: the page sends the finished coordinates, the layout library never reaches the browser.
 */

export const NODE_W = 150;
export const NODE_H = 40;
const LABEL_H = 14;
// Roughly the width of one character of the 10 px label font; dagre needs the label's box to keep it clear of nodes.
const LABEL_CHAR_W = 5.4;

export interface DiagramNode {
  state: CaseState;
  /** Top-left corner. */
  x: number;
  y: number;
  usedByFlow: boolean;
}
export interface DiagramEdge {
  from: CaseState;
  to: CaseState;
  event: string;
  label: string;
  path: string;
  /** Where the label's centre goes. */
  labelX: number;
  labelY: number;
  usedByFlow: boolean;
}
export interface Diagram {
  width: number;
  height: number;
  nodes: DiagramNode[];
  edges: DiagramEdge[];
}

// The way most cases go: heavier edges that dagre keeps short and straight, so the main line reads top to bottom.
const HAPPY_PATH: CaseState[] = [
  'draft',
  'submitted',
  'awaiting_customer',
  'ready_to_provision',
  'pending_approval',
  'provisioning',
  'awaiting_customer_action',
  'active',
];
const onHappyPath = (from: CaseState, to: CaseState) => {
  const i = HAPPY_PATH.indexOf(from);
  return i >= 0 && (HAPPY_PATH[i + 1] === to || (from === 'provisioning' && to === 'active'));
};

/**
 * The transitions a flow can take: those of its flow whose guard does not refuse the warehouse itself. The guards are
 * asked with a reason and two different people, so that only the flow's own rules (no customer action after
 * provisioning, nothing to send, details needed) count.
 */
function usedByFlow(warehouse: Warehouse): Transition[] {
  return transitionsForFlow(warehouse).filter(
    (t) => !t.guard?.({ warehouse, actorId: 'approver', requestedBy: 'requester', note: 'a reason given' }),
  );
}

// The layout depends only on the warehouse (the table is fixed at build time): computed once per process and flow,
// since dagre takes tens of milliseconds and every render of a staff case page draws it.
const laidOut = new Map<Warehouse | 'all', Diagram>();

/** The whole machine laid out, with the states and transitions the warehouse's flow never uses marked as such. */
export function layoutDiagram(warehouse?: Warehouse): Diagram {
  const key = warehouse ?? 'all';
  const cached = laidOut.get(key);
  if (cached) return cached;
  const d = computeLayout(warehouse);
  laidOut.set(key, d);
  return d;
}

function computeLayout(warehouse?: Warehouse): Diagram {
  const used = new Set(warehouse ? usedByFlow(warehouse) : TRANSITIONS);
  const usedStates = new Set<CaseState>(['draft', ...[...used].flatMap((t) => [t.from, t.to])]);

  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 28, edgesep: 12, ranksep: 46, marginx: 12, marginy: 12 });
  for (const s of CASE_STATES) g.setNode(s, { width: NODE_W, height: NODE_H });
  for (const t of TRANSITIONS) {
    g.setEdge(
      t.from,
      t.to,
      { width: t.label.length * LABEL_CHAR_W + 6, height: LABEL_H, labelpos: 'c', weight: onHappyPath(t.from, t.to) ? 8 : 1 },
      t.event,
    );
  }
  dagre.layout(g);

  const nodes: DiagramNode[] = CASE_STATES.map((state) => {
    const n = g.node(state) as { x: number; y: number };
    return { state, x: n.x - NODE_W / 2, y: n.y - NODE_H / 2, usedByFlow: usedStates.has(state) };
  });
  const edges: DiagramEdge[] = TRANSITIONS.map((t) => {
    const e = g.edge({ v: t.from, w: t.to, name: t.event }) as { points: { x: number; y: number }[]; x: number; y: number };
    return {
      from: t.from,
      to: t.to,
      event: t.event,
      label: t.label,
      path: smoothPath(e.points),
      labelX: e.x,
      labelY: e.y,
      usedByFlow: used.has(t),
    };
  });
  const graph = g.graph() as { width: number; height: number };
  return { width: Math.ceil(graph.width), height: Math.ceil(graph.height), nodes, edges };
}

/** A curve through dagre's route points: straight ends, quadratic bends through the midpoints in between. */
function smoothPath(points: { x: number; y: number }[]): string {
  const f = (n: number) => Math.round(n * 10) / 10;
  const [first, ...rest] = points;
  if (!first) return '';
  let d = `M ${f(first.x)} ${f(first.y)}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const p = rest[i]!;
    const q = rest[i + 1]!;
    d += ` Q ${f(p.x)} ${f(p.y)} ${f((p.x + q.x) / 2)} ${f((p.y + q.y) / 2)}`;
  }
  const last = rest[rest.length - 1];
  if (last) d += ` L ${f(last.x)} ${f(last.y)}`;
  return d;
}
