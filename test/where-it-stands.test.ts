import { describe, expect, it } from 'vitest';
import { whereItStands } from '@/app/(portal)/cases/[id]/_components/where-it-stands';
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
    expect(viewer.detail).toMatch(/Your read-only role cannot do this: ask an admin of your workspace\.$/);
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
});
