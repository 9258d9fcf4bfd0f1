import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsEdge } from '@/lib/cloud/aws';
import { workspaceRolePolicy } from '@/lib/cloud/aws-iam';
import { createEdgeAdapter, edgeProviderName, sandboxTiming } from '@/lib/cloud';
import { getEdgeLayout, parseEdgeLayout, resetEdgeLayoutCache, SANDBOX_EDGE_LAYOUT } from '@/lib/cloud/layout';
import { WORKSPACE_ROLE_PREFIX } from '@/lib/cloud/naming';
import { SandboxEdge } from '@/lib/cloud/sandbox';
import { reconcilerConfig } from '@/lib/reconciler/config';
import { reconcilerEnabled } from '@/lib/reconciler/start';
import type { Db } from '@/db/index';

const db = {} as Db; // the factory only hands it to the sandbox

afterEach(() => resetEdgeLayoutCache());

describe('choosing the edge adapter', () => {
  it('uses the sandbox when EDGE_PROVIDER is unset', async () => {
    expect(edgeProviderName({})).toBe('sandbox');
    expect(await createEdgeAdapter(db, {})).toBeInstanceOf(SandboxEdge);
    expect(getEdgeLayout({})).toBe(SANDBOX_EDGE_LAYOUT);
  });

  it('uses AWS with the layout from EDGE_CONFIG when EDGE_PROVIDER=aws', async () => {
    const adapter = await createEdgeAdapter(db, { EDGE_PROVIDER: 'aws', EDGE_CONFIG: 'docs/edge-config.example.json' });
    expect(adapter).toBeInstanceOf(AwsEdge);
    (adapter as AwsEdge).destroy();
  });

  it('refuses an unknown provider and AWS without a layout, saying what to set', async () => {
    expect(() => edgeProviderName({ EDGE_PROVIDER: 'azure' })).toThrow(
      'EDGE_PROVIDER must be "aws" or "sandbox" (or unset for the sandbox), not "azure".',
    );
    await expect(createEdgeAdapter(db, { EDGE_PROVIDER: 'aws' })).rejects.toThrow(/EDGE_PROVIDER=aws needs EDGE_CONFIG/);
  });

  it('names the bad key of an invalid EDGE_CONFIG at start', () => {
    const file = path.join(tmpdir(), `edge-${process.pid}.json`);
    const bad = JSON.parse(readFileSync('docs/edge-config.example.json', 'utf8'));
    bad.regions['us-east-1'].vpcId = 'vpc-nope';
    writeFileSync(file, JSON.stringify(bad));
    expect(() => getEdgeLayout({ EDGE_PROVIDER: 'aws', EDGE_CONFIG: file })).toThrow(/regions\.us-east-1\.vpcId must be a VPC ID/);
  });

  it('reads the sandbox timings, a few seconds by default so a demo completes', () => {
    // AWS's own time only: nothing on the customer's side runs on a timer.
    expect(sandboxTiming({})).toEqual({ delayMs: 3_000 });
    expect(sandboxTiming({ SANDBOX_DELAY_MS: '0' })).toEqual({ delayMs: 0 });
    expect(() => sandboxTiming({ SANDBOX_DELAY_MS: '3s' })).toThrow(
      'SANDBOX_DELAY_MS must be a whole number of milliseconds from 0 to 86400000, not "3s"',
    );
  });

  it('reads the reconciler settings, naming a bad variable', () => {
    const c = reconcilerConfig({ RECONCILER_POLL_MS: '250', RECONCILER_BATCH_SIZE: '5' });
    expect(c).toMatchObject({ pollMs: 250, batchSize: 5, leaseMs: 120_000 });
    expect(c.owner).toMatch(/:\d+:[0-9a-f]{6}$/);
    expect(() => reconcilerConfig({ RECONCILER_LEASE_MS: 'soon' })).toThrow(
      'RECONCILER_LEASE_MS must be a whole number of milliseconds from 100 to 86400000, not "soon"',
    );
  });
});

describe('RECONCILER', () => {
  it('runs the loop in the server unless RECONCILER=off', () => {
    expect(reconcilerEnabled({})).toBe(true);
    expect(reconcilerEnabled({ RECONCILER: 'on' })).toBe(true);
    expect(reconcilerEnabled({ RECONCILER: 'off' })).toBe(false);
    expect(reconcilerEnabled({ RECONCILER: ' OFF ' })).toBe(false);
  });
});

describe('docs', () => {
  it('ships an example edge layout that validates', () => {
    const layout = parseEdgeLayout(JSON.parse(readFileSync('docs/edge-config.example.json', 'utf8')));
    expect(Object.keys(layout.regions)).toEqual(['us-east-1', 'us-west-2', 'eu-west-1']);
  });

  it("ships an IAM policy granting every call the portal makes as itself, the workspace roles' calls to the roles, and no wildcard actions", () => {
    type Statement = { Sid: string; Action: string | string[]; Resource: string | string[]; Condition?: Record<string, unknown> };
    const policy = JSON.parse(readFileSync('docs/edge-iam-policy.json', 'utf8')) as { Statement: Statement[] };
    const layout = parseEdgeLayout(JSON.parse(readFileSync('docs/edge-config.example.json', 'utf8')));
    const actionsOf = (ss: Statement[]) => new Set(ss.flatMap((s) => [s.Action].flat()));
    // Redshift's own EC2 calls for its managed endpoints (aws:CalledVia) are not calls the portal makes.
    const own = policy.Statement.filter((s) => !JSON.stringify(s.Condition ?? {}).includes('aws:CalledVia'));
    const portal = actionsOf(own);
    const workspace = actionsOf(workspaceRolePolicy(layout).Statement as Statement[]);

    const source = ['lib/cloud/aws.ts', 'lib/cloud/aws-services.ts', 'lib/cloud/aws-iam.ts'].map((f) => readFileSync(f, 'utf8')).join('\n');
    // Every call: a command built by hand, or one an SDK paginator sends page by page (paginateX sends XCommand).
    const commands = [...new Set([...source.matchAll(/new (\w+)Command\(|paginate(\w+)\(/g)].map((m) => (m[1] ?? m[2])!))];
    const service = (cmd: string) =>
      cmd === 'AssumeRole'
        ? 'sts'
        : /Role/.test(cmd)
          ? 'iam'
          : /EndpointA|Authorization/.test(cmd)
            ? 'redshift'
            : /ResourceRecordSets|GetChange/.test(cmd)
              ? 'route53'
              : /Metric/.test(cmd)
                ? 'cloudwatch'
                : 'ec2';
    expect(commands.length).toBeGreaterThan(14);
    for (const cmd of commands) {
      const action = `${service(cmd)}:${cmd}`;
      // A call made as the workspace's role is granted to the role, and not to the portal (docs/design.md#a-principal-per-workspace).
      if (workspace.has(action)) expect(portal, `${action} is the workspace role's`).not.toContain(action);
      else expect(portal, action).toContain(action);
    }
    expect([...workspace].sort()).toEqual(['ec2:CreateTags', 'ec2:CreateVpcEndpoint', 'ec2:DescribeVpcEndpointServices']);
    expect(portal).not.toContain('ec2:CreateTags');
    expect([...portal, ...workspace].filter((a) => a.includes('*'))).toEqual([]);
    // Tagging is allowed only as part of creating an endpoint.
    expect(JSON.stringify(workspaceRolePolicy(layout))).toContain('"ec2:CreateAction":"CreateVpcEndpoint"');

    // IAM and STS: only on the workspace roles, and a role only created tagged as the portal's.
    const roles = `arn:aws:iam::${layout.accountId}:role/${WORKSPACE_ROLE_PREFIX}*`;
    const identity = own.filter((s) => [s.Action].flat().some((a) => /^(iam|sts):/.test(a)));
    expect(actionsOf(identity)).toEqual(new Set(['iam:GetRole', 'iam:CreateRole', 'iam:TagRole', 'iam:PutRolePolicy', 'sts:AssumeRole']));
    for (const s of identity) expect(s.Resource, s.Sid).toBe(roles);
    const create = identity.find((s) => [s.Action].flat().includes('iam:CreateRole'));
    expect(create?.Condition).toMatchObject({ StringEquals: { 'aws:RequestTag/portal:managed': 'true' } });
  });
});
