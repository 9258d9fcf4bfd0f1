import { TRANSITIONS, transitionsForFlow, type Transition } from './machine';
import { CASE_STATES, type CaseState } from '@/lib/domain/case-states';
import type { Warehouse } from '@/lib/domain/warehouses';

/**
 * Lays out the state-machine diagram from the transition table (never drawn by hand): levels top to bottom by the
 * longest path from `draft` over the table's forward edges, the happy path in the left lane, other states beside it.
 */

export const NODE_W = 150;
export const NODE_H = 40;
const LANE_GAP = 44;
const LEVEL_GAP = 26;
const MARGIN = 16;
// Room on the right for loops back to an earlier level.
const LOOP_ROOM = 56;

export interface DiagramNode {
  state: CaseState;
  x: number;
  y: number;
  col: number;
  row: number;
  usedByFlow: boolean;
}
export interface DiagramEdge {
  from: CaseState;
  to: CaseState;
  event: string;
  label: string;
  path: string;
  back: boolean;
  usedByFlow: boolean;
}
export interface Diagram {
  width: number;
  height: number;
  nodes: DiagramNode[];
  edges: DiagramEdge[];
}

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

/** Edges that close a cycle (found by depth-first search from draft); the rest form a DAG. */
function backEdges(transitions: readonly Transition[]): Set<Transition> {
  const back = new Set<Transition>();
  const state = new Map<CaseState, 'open' | 'done'>();
  const visit = (s: CaseState) => {
    state.set(s, 'open');
    for (const t of transitions.filter((x) => x.from === s)) {
      const seen = state.get(t.to);
      if (seen === 'open') back.add(t);
      else if (!seen) visit(t.to);
    }
    state.set(s, 'done');
  };
  visit('draft');
  return back;
}

export function layoutDiagram(warehouse?: Warehouse): Diagram {
  const back = backEdges(TRANSITIONS);
  const forward = TRANSITIONS.filter((t) => !back.has(t));
  // Longest path from draft over forward edges (a DAG, so relaxation in rounds terminates).
  const col = new Map<CaseState, number>([['draft', 0]]);
  for (let changed = true; changed; ) {
    changed = false;
    for (const t of forward) {
      const c = col.get(t.from);
      if (c !== undefined && (col.get(t.to) ?? -1) < c + 1) {
        col.set(t.to, c + 1);
        changed = true;
      }
    }
  }
  const used = new Set(warehouse ? transitionsForFlow(warehouse) : TRANSITIONS);
  const usedStates = new Set<CaseState>(['draft', ...[...used].flatMap((t) => [t.from, t.to])]);

  const byCol = new Map<number, CaseState[]>();
  for (const s of CASE_STATES) {
    const c = col.get(s) ?? 0;
    byCol.set(c, [...(byCol.get(c) ?? []), s]);
  }
  const nodes: DiagramNode[] = [];
  for (const [c, states] of byCol) {
    const ordered = [...states].sort((a, b) => rank(a) - rank(b));
    ordered.forEach((state, i) => {
      const row = HAPPY_PATH.includes(state) ? 0 : i + (ordered.some((s) => HAPPY_PATH.includes(s)) ? 0 : 1);
      nodes.push({
        state,
        col: c,
        row,
        x: MARGIN + row * (NODE_W + LANE_GAP),
        y: MARGIN + c * (NODE_H + LEVEL_GAP),
        usedByFlow: usedStates.has(state),
      });
    });
  }
  const at = (s: CaseState) => nodes.find((n) => n.state === s)!;
  const edges: DiagramEdge[] = TRANSITIONS.map((t) => {
    const a = at(t.from);
    const b = at(t.to);
    const isBack = back.has(t);
    return { from: t.from, to: t.to, event: t.event, label: t.label, path: edgePath(a, b, isBack), back: isBack, usedByFlow: used.has(t) };
  });
  const maxCol = Math.max(...nodes.map((n) => n.col));
  const maxRow = Math.max(...nodes.map((n) => n.row));
  return {
    width: MARGIN * 2 + LOOP_ROOM + (maxRow + 1) * NODE_W + maxRow * LANE_GAP,
    height: MARGIN * 2 + (maxCol + 1) * NODE_H + maxCol * LEVEL_GAP,
    nodes,
    edges,
  };
}

// Happy path first, terminal states last, so that the main line reads left to right along the top.
function rank(s: CaseState): number {
  const happy = HAPPY_PATH.indexOf(s);
  if (happy >= 0) return happy;
  return ['rejected', 'cancelled', 'decommissioned'].includes(s) ? 200 : 100;
}

function edgePath(a: DiagramNode, b: DiagramNode, back: boolean): string {
  if (back) {
    // A loop back to an earlier level: out of the right side of one, into the right side of the other.
    const xa = a.x + NODE_W;
    const xb = b.x + NODE_W;
    const bulge = Math.max(xa, xb) + LOOP_ROOM - 8;
    return `M ${xa} ${a.y + NODE_H / 2} C ${bulge} ${a.y + NODE_H / 2}, ${bulge} ${b.y + NODE_H / 2}, ${xb + 2} ${b.y + NODE_H / 2}`;
  }
  if (a.col === b.col) {
    const y = a.y + NODE_H / 2;
    return a.x < b.x ? `M ${a.x + NODE_W} ${y} L ${b.x} ${y}` : `M ${a.x} ${y} L ${b.x + NODE_W} ${y}`;
  }
  const x1 = a.x + NODE_W / 2;
  const y1 = a.y + NODE_H;
  const x2 = b.x + NODE_W / 2;
  const y2 = b.y;
  const mid = (y1 + y2) / 2;
  return `M ${x1} ${y1} C ${x1} ${mid}, ${x2} ${mid}, ${x2} ${y2}`;
}
