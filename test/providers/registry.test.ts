import { describe, expect, it } from 'vitest';
import { DEFAULT_FLOW_CONFIG, FLOW_LIST, FLOWS, customerStepsFor, getFlow } from '@/lib/providers';
import type { FlowContext, InputPhase } from '@/lib/providers/types';
import { WAREHOUSES } from '@/lib/domain/warehouses';

const ctx: FlowContext = { region: '', config: DEFAULT_FLOW_CONFIG };

describe('the flow registry', () => {
  it('has one flow per warehouse', () => {
    expect(Object.keys(FLOWS).sort()).toEqual([...WAREHOUSES].sort());
    expect(FLOW_LIST).toHaveLength(WAREHOUSES.length);
  });

  it.each(WAREHOUSES)('getFlow(%s) returns the flow of that warehouse', (warehouse) => {
    expect(getFlow(warehouse).warehouse).toBe(warehouse);
  });

  it.each([
    ['databricks', true, ['vpcEndpointId']],
    ['rds_postgres', true, ['host']],
    ['redshift', false, ['host', 'port']],
    ['snowflake', false, ['account']],
  ] as const)('%s: awaiting_customer_action %s, outputs %j', (warehouse, awaits, outputs) => {
    const flow = getFlow(warehouse);
    expect(flow.usesAwaitingCustomerAction).toBe(awaits);
    expect(flow.outputs.map((o) => o.key)).toEqual(outputs);
  });
});

describe.each(FLOW_LIST.map((flow) => [flow.warehouse, flow] as const))('the %s flow', (_, flow) => {
  it('starts with a draft step asking for the region', () => {
    expect(flow.customerSteps[0]?.phase).toBe('draft');
    expect(flow.customerSteps[0]?.fields.map((f) => f.name)).toContain('region');
  });

  it('declares exactly the fields its schemas parse, once each', () => {
    const fields = flow.customerSteps.flatMap((s) => s.fields.map((f) => f.name));
    const schemaKeys = flow.customerSteps.flatMap((s) => Object.keys(s.schema.shape));
    expect(fields).toEqual(schemaKeys);
    expect(new Set(fields).size).toBe(fields.length);
  });

  it('orders its wizard screens by phase', () => {
    const order: InputPhase[] = ['draft', 'details', 'after_endpoint'];
    const phases = flow.customerSteps.map((s) => order.indexOf(s.phase));
    expect(phases).toEqual([...phases].sort((a, b) => a - b));
  });

  it('has unique step ids and an actor for every step', () => {
    expect(new Set(flow.steps.map((s) => s.id)).size).toBe(flow.steps.length);
    expect(flow.steps.every((s) => ['customer', 'csm', 'engineer', 'reconciler'].includes(s.actor))).toBe(true);
  });

  it('never tells the customer to email their CSM', () => {
    const texts = [...flow.steps.map((s) => s.description), ...flow.customerSteps.map((s) => s.description)];
    expect(texts.filter((t) => /let your (CSM|Customer Success Manager) know|reach (back )?out/i.test(t))).toEqual([]);
  });

  it('reports every missing input as one actionable sentence on a declared field', () => {
    const issues = flow.check({}, ctx);
    const fields = new Set(flow.customerSteps.flatMap((s) => s.fields.map((f) => f.name)));
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) {
      expect(fields.has(issue.field.split('.')[0] ?? '')).toBe(true);
      expect(issue.rule).toMatch(/^[a-z_]+(\.[a-z_]+)+$/);
      expect(issue.message).toMatch(/^[A-Z][^\n]*: [^\n]*\.$/);
      expect(issue.message).not.toMatch(/\.\s+[A-Z]/);
    }
  });

  it('checks only the steps of the phases asked for', () => {
    const draftFields = flow.customerSteps.filter((s) => s.phase === 'draft').flatMap((s) => s.fields.map((f) => f.name));
    const issues = flow.check({}, ctx, ['draft']);
    expect(issues.every((i) => draftFields.includes(i.field.split('.')[0] ?? ''))).toBe(true);
    expect(flow.check({}, ctx, [])).toEqual([]);
  });

  it('drops unknown keys when normalising', () => {
    expect(flow.normalise({ region: 'us-east-1', isAdmin: true }, ctx)).toEqual({ region: 'us-east-1' });
  });
});

describe('customerStepsFor', () => {
  it('fills the region options from the configuration', () => {
    const steps = customerStepsFor(getFlow('redshift'), { ...DEFAULT_FLOW_CONFIG, eligibleRegions: ['us-east-1', 'us-east-2'] });
    const region = steps[0]?.fields.find((f) => f.name === 'region');
    expect(region?.options).toEqual([
      { value: 'us-east-1', label: 'us-east-1' },
      { value: 'us-east-2', label: 'us-east-2' },
    ]);
  });

  it('leaves the flow definition untouched', () => {
    customerStepsFor(getFlow('snowflake'), DEFAULT_FLOW_CONFIG);
    expect(getFlow('snowflake').customerSteps[0]?.fields.find((f) => f.name === 'region')?.options).toBeUndefined();
  });
});
