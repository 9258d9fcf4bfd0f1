import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsEdge } from '@/lib/cloud/aws';
import { createEdgeAdapter, edgeProviderName, sandboxTiming } from '@/lib/cloud';
import { getEdgeLayout, parseEdgeLayout, resetEdgeLayoutCache, SANDBOX_EDGE_LAYOUT } from '@/lib/cloud/layout';
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

  it('ships an IAM policy granting every call the aws adapter makes, and no wildcard actions', () => {
    const policy = JSON.parse(readFileSync('docs/edge-iam-policy.json', 'utf8')) as {
      Statement: { Action: string | string[]; Resource: string | string[] }[];
    };
    const actions = new Set(policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));
    const source = ['lib/cloud/aws.ts', 'lib/cloud/aws-services.ts'].map((f) => readFileSync(f, 'utf8')).join('\n');
    const commands = [...source.matchAll(/new (\w+)Command\(/g)].map((m) => m[1]!);
    const service = (cmd: string) =>
      /EndpointA|Authorization/.test(cmd)
        ? 'redshift'
        : /ResourceRecordSets/.test(cmd)
          ? 'route53'
          : /Metric/.test(cmd)
            ? 'cloudwatch'
            : 'ec2';
    expect(commands.length).toBeGreaterThan(10);
    for (const cmd of commands) expect(actions, `${service(cmd)}:${cmd}`).toContain(`${service(cmd)}:${cmd}`);
    expect([...actions].filter((a) => a.includes('*'))).toEqual([]);
    // Tagging is allowed only as part of creating an endpoint.
    expect(JSON.stringify(policy)).toContain('"ec2:CreateAction":"CreateVpcEndpoint"');
  });
});
