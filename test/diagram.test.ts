import { describe, expect, it } from 'vitest';
import { layoutDiagram, NODE_H, NODE_W } from '@/lib/cases/diagram';

// The staff state diagram, laid out by dagre from the transition table. The expected transitions are written here by
// hand from docs/design.md#the-case-state-machine, not read from the table, so that a change to either shows up.

const EVERY_FLOW = [
  'draft:submit:submitted',
  'draft:cancel:cancelled',
  'submitted:accept:awaiting_customer',
  'submitted:reject:rejected',
  'submitted:cancel:cancelled',
  'submitted:request_changes:draft',
  'awaiting_customer:provide_details:ready_to_provision',
  'awaiting_customer:cancel:cancelled',
  'ready_to_provision:request_provisioning:pending_approval',
  'ready_to_provision:auto_request_provisioning:pending_approval',
  'ready_to_provision:reject:rejected',
  'ready_to_provision:cancel:cancelled',
  'pending_approval:approve:provisioning',
  'pending_approval:send_back:ready_to_provision',
  'pending_approval:cancel:cancelled',
  'provisioning:activate:active',
  'provisioning:fail:failed',
  'provisioning:cancel:decommissioning',
  'failed:retry:provisioning',
  'failed:decommission:decommissioning',
  'active:suspend:suspended',
  'active:decommission:decommissioning',
  'suspended:resume:active',
  'suspended:decommission:decommissioning',
  'decommissioning:decommissioned:decommissioned',
];
// The customer acts after the endpoint exists (RDS: accepts the connection; Databricks: registers, sends the URL).
const CUSTOMER_ACTION = [
  'provisioning:await_customer_action:awaiting_customer_action',
  'awaiting_customer_action:activate:active',
  'awaiting_customer_action:fail:failed',
  'awaiting_customer_action:cancel:decommissioning',
];
// Staff send a case back for other details; not in Databricks, which asks for no details after acceptance.
const DETAILS_SENT_BACK = ['ready_to_provision:request_changes:awaiting_customer'];
const EXPECTED_USED: Record<'databricks' | 'rds_postgres' | 'redshift' | 'snowflake', string[]> = {
  databricks: [
    ...EVERY_FLOW,
    ...CUSTOMER_ACTION,
    'awaiting_customer:skip_details:ready_to_provision',
    'awaiting_customer_action:send_customer_action:provisioning',
  ],
  rds_postgres: [...EVERY_FLOW, ...CUSTOMER_ACTION, ...DETAILS_SENT_BACK],
  redshift: [...EVERY_FLOW, ...DETAILS_SENT_BACK],
  snowflake: [...EVERY_FLOW, ...DETAILS_SENT_BACK],
};
const ALL = [...new Set(Object.values(EXPECTED_USED).flat())].sort();
const STATES_UNUSED: Record<keyof typeof EXPECTED_USED, string[]> = {
  databricks: [],
  rds_postgres: [],
  redshift: ['awaiting_customer_action'],
  snowflake: ['awaiting_customer_action'],
};

const key = (e: { from: string; event: string; to: string }) => `${e.from}:${e.event}:${e.to}`;

describe('state diagram layout', () => {
  for (const warehouse of Object.keys(EXPECTED_USED) as (keyof typeof EXPECTED_USED)[]) {
    describe(warehouse, () => {
      const d = layoutDiagram(warehouse);

      it('draws every transition of the machine once, and marks exactly those the flow takes as used', () => {
        expect(d.edges.map(key).sort()).toEqual(ALL);
        expect(
          d.edges
            .filter((e) => e.usedByFlow)
            .map(key)
            .sort(),
        ).toEqual([...EXPECTED_USED[warehouse]].sort());
      });

      it('marks only the states the flow never reaches as unused', () => {
        expect(d.nodes.filter((n) => !n.usedByFlow).map((n) => n.state)).toEqual(STATES_UNUSED[warehouse]);
        expect(d.nodes).toHaveLength(14);
      });

      it('places no two states on top of each other, all inside the drawing', () => {
        for (const a of d.nodes) {
          expect(a.x).toBeGreaterThanOrEqual(0);
          expect(a.y).toBeGreaterThanOrEqual(0);
          expect(a.x + NODE_W).toBeLessThanOrEqual(d.width);
          expect(a.y + NODE_H).toBeLessThanOrEqual(d.height);
          for (const b of d.nodes) {
            if (a === b) continue;
            const apart = a.x + NODE_W <= b.x || b.x + NODE_W <= a.x || a.y + NODE_H <= b.y || b.y + NODE_H <= a.y;
            expect(apart, `${a.state} overlaps ${b.state}`).toBe(true);
          }
        }
      });

      it('starts each arrow at its source state and ends it at its target', () => {
        const at = (s: string) => d.nodes.find((n) => n.state === s)!;
        // On the box's edge, give or take a pixel of rounding.
        const onBox = (p: { x: number; y: number }, s: string) => {
          const n = at(s);
          return p.x >= n.x - 1 && p.x <= n.x + NODE_W + 1 && p.y >= n.y - 1 && p.y <= n.y + NODE_H + 1;
        };
        for (const e of d.edges) {
          const nums = e.path.match(/-?\d+(\.\d+)?/g)!.map(Number);
          const start = { x: nums[0]!, y: nums[1]! };
          const end = { x: nums[nums.length - 2]!, y: nums[nums.length - 1]! };
          expect(e.path.startsWith('M '), key(e)).toBe(true);
          expect(onBox(start, e.from), `${key(e)} starts at ${e.from}`).toBe(true);
          expect(onBox(end, e.to), `${key(e)} ends at ${e.to}`).toBe(true);
        }
      });

      it('keeps every transition label off the states', () => {
        for (const e of d.edges) {
          const inside = d.nodes.find((n) => e.labelX > n.x && e.labelX < n.x + NODE_W && e.labelY > n.y && e.labelY < n.y + NODE_H);
          expect(inside?.state, `label of ${key(e)}`).toBeUndefined();
        }
      });
    });
  }

  it('reads the happy path top to bottom', () => {
    const d = layoutDiagram('redshift');
    const y = (s: string) => d.nodes.find((n) => n.state === s)!.y;
    const path = ['draft', 'submitted', 'awaiting_customer', 'ready_to_provision', 'pending_approval', 'provisioning', 'active'];
    for (let i = 1; i < path.length; i++) expect(y(path[i]!), `${path[i]} below ${path[i - 1]}`).toBeGreaterThan(y(path[i - 1]!));
  });
});
