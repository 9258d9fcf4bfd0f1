import { describe, expect, it } from 'vitest';
import { valuesToPaste, whereItStands } from '@/lib/cases/where-it-stands';
import { getFlow } from '@/lib/providers';

// What the case page tells a customer, by who reads it: only a workspace admin can do the workspace's part.
const redshift = getFlow('redshift');
const databricks = getFlow('databricks');
const base = { lastError: null, outputs: {} };

describe('where a case stands, in words', () => {
  it('tells the admin it waits for them, and the read-only member that a workspace admin acts', () => {
    const c = { ...base, state: 'awaiting_customer' as const, warehouse: 'redshift' as const };
    expect(whereItStands(c, redshift, null, { canAct: true }).headline).toBe('Waiting for you: grant access and identify the cluster');
    const viewer = whereItStands(c, redshift, null, { canAct: false });
    expect(viewer.headline).toBe('Waiting for a workspace admin to grant access and identify the cluster');
    expect(viewer.detail).toBe(
      "Your CSM accepted the request. A workspace admin completes these steps with the edge account values and sends the details. Your read-only role can follow the case here; only your workspace's admins can act on it.",
    );
  });

  // Every state where the workspace must act, for both readers: the read-only member is never told "you" act.
  it.each(['draft', 'awaiting_customer', 'awaiting_customer_action'] as const)('never tells a read-only member to act in %s', (state) => {
    for (const [warehouse, flow] of [
      ['redshift', redshift],
      ['databricks', databricks],
    ] as const) {
      for (const changes of [null, 'Use the other cluster.']) {
        const v = whereItStands({ ...base, state, warehouse }, flow, null, { canAct: false }, changes);
        expect(`${v.headline} ${v.detail}`).not.toMatch(
          /\b(you:|finish the setup|register the endpoint ID|accept the connection request)\b/i,
        );
        expect(v.headline).not.toMatch(/Waiting for you|Draft: finish/);
        expect(`${v.headline} ${v.detail}`).toMatch(/workspace admin/);
      }
    }
  });

  it('tells the admin what staff asked to change, in the draft and in the details', () => {
    const draft = whereItStands(
      { ...base, state: 'draft', warehouse: 'redshift' },
      redshift,
      null,
      { canAct: true },
      'Use the other cluster.',
    );
    expect(draft.headline).toBe('Changes requested: change the setup and submit it again');
    expect(draft.detail).toContain('“Use the other cluster.”');
    const details = whereItStands(
      { ...base, state: 'awaiting_customer', warehouse: 'redshift' },
      redshift,
      null,
      { canAct: true },
      'Wrong port.',
    );
    expect(details.headline).toBe('Changes requested: grant access and identify the cluster');
    expect(details.detail).toContain('“Wrong port.”');
  });

  it('says on a submitted case that the CSM may send it back with changes, never that they ask nothing else', () => {
    const v = whereItStands({ ...base, state: 'submitted', warehouse: 'redshift' }, redshift, null);
    expect(v.detail).toBe(
      'Your CSM accepts the request, sends it back to you with the changes to make, or rejects it with a reason. You are notified either way.',
    );
  });

  it('says the edge is at work once a Databricks customer sent their workspace URL', () => {
    const c = {
      ...base,
      state: 'provisioning' as const,
      warehouse: 'databricks' as const,
      outputs: { vpcEndpointId: 'vpce-0123456789abcdef0' },
    };
    expect(whereItStands(c, databricks, null).headline).toBe('Pointing our DNS for your workspace at the endpoint');
    expect(whereItStands({ ...c, outputs: {} }, databricks, null).headline).toBe('Creating the endpoint in our edge account');
  });

  const endpoint = { vpcEndpointId: 'vpce-0123456789abcdef0', vpcEndpointDnsName: 'vpce-0123456789abcdef0-abcdefgh.example' };

  it.each([
    ['awaiting_customer_action', 'Register this VPC endpoint ID in your Databricks account'],
    ['active', 'The VPC endpoint registered in your Databricks account'],
    ['suspended', 'The VPC endpoint registered in your Databricks account'],
  ] as const)('shows the Databricks endpoint ID in %s with help that applies then', (state, help) => {
    const [value, ...rest] = valuesToPaste({ state, outputs: endpoint }, databricks);
    expect(rest).toEqual([]);
    expect(value).toMatchObject({ key: 'vpcEndpointId', value: 'vpce-0123456789abcdef0' });
    expect(value!.help.startsWith(help)).toBe(true);
  });

  it.each(['decommissioning', 'decommissioned', 'cancelled', 'failed'] as const)('shows nothing to paste once %s', (state) => {
    expect(valuesToPaste({ state, outputs: endpoint }, databricks)).toEqual([]);
  });

  it('shows a Redshift endpoint as hostname and port, also for a case that stored them as one value', () => {
    const expected = [
      { key: 'host', value: 'plp-1.abc.us-east-1.redshift.amazonaws.com' },
      { key: 'port', value: '5439' },
    ];
    for (const outputs of [
      { host: 'plp-1.abc.us-east-1.redshift.amazonaws.com', port: 5439 },
      { hostname: 'plp-1.abc.us-east-1.redshift.amazonaws.com:5439' },
    ])
      expect(valuesToPaste({ state: 'active', outputs }, redshift).map(({ key, value }) => ({ key, value }))).toEqual(expected);
  });

  // Once a case is over, nothing is left to do or paste, whatever the warehouse: no "register", no values.
  const TERMINAL = ['rejected', 'cancelled', 'decommissioned', 'decommissioning'] as const;
  const ALL = ['databricks', 'rds_postgres', 'redshift', 'snowflake'] as const;
  const outputs = {
    vpcEndpointId: 'vpce-0123456789abcdef0',
    host: 'h.example',
    port: 5439,
    account: 'xy12345',
    workspaceHost: 'w.example',
  };
  it.each(TERMINAL.flatMap((state) => ALL.map((warehouse) => [state, warehouse] as const)))(
    'gives nothing to do or paste once %s (%s)',
    (state, warehouse) => {
      const flow = getFlow(warehouse);
      expect(valuesToPaste({ state, outputs }, flow)).toEqual([]);
      for (const canAct of [true, false]) {
        const v = whereItStands({ ...base, state, warehouse, outputs }, flow, null, { canAct });
        expect(v.customerMustAct).toBe(false);
        expect(`${v.headline} ${v.detail}`).not.toMatch(/register|paste|accept the connection|waiting for you/i);
      }
    },
  );
});
