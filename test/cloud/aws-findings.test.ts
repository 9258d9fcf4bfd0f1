import { DescribeVpcEndpointsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ChangeResourceRecordSetsCommand, GetChangeCommand, Route53Client } from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsEdge } from '@/lib/cloud/aws';
import { EdgeError } from '@/lib/cloud/errors';
import { parseEdgeLayout } from '@/lib/cloud/layout';

// What an AWS emulator run showed the adapter missing: the Partial endpoint state, and Route 53 change IDs and their
// status (docs/facts.md#the-partial-state, docs/facts.md#route-53-change-status).

const layout = parseEdgeLayout({
  accountId: '111122223333',
  regions: {
    'us-east-1': {
      vpcId: 'vpc-0aaaabbbbccccdddd',
      subnets: [
        { subnetId: 'subnet-0aaaa000000000001', azId: 'use1-az1' },
        { subnetId: 'subnet-0aaaa000000000002', azId: 'use1-az2' },
      ],
      securityGroupIds: ['sg-0aaaa00000000000e'],
      redshiftSubnetGroup: 'edge-redshift',
      hostedZones: [
        { id: 'Z0SNOWFLAKE123', name: 'privatelink.snowflakecomputing.com' },
        { id: 'Z0DATABRICKS45', name: 'cloud.databricks.com' },
      ],
    },
  },
});

const ec2 = mockClient(EC2Client);
const route53 = mockClient(Route53Client);
let edge: AwsEdge;

beforeEach(() => {
  ec2.reset();
  route53.reset();
  edge = new AwsEdge(layout, { maxAttempts: 1, connectionTimeoutMs: 100, requestTimeoutMs: 100 });
});
afterAll(() => {
  ec2.restore();
  route53.restore();
});

const inputsOf = <T>(calls: { args: [{ input: T }] }[]) => calls.map((c) => c.args[0].input);

describe('VPC endpoint states', () => {
  it('reads EC2 State Partial as partial, not as pending', async () => {
    ec2.on(DescribeVpcEndpointsCommand).resolves({
      VpcEndpoints: [
        {
          VpcEndpointId: 'vpce-0123456789abcdef0',
          ServiceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f60718',
          VpcId: 'vpc-0aaaabbbbccccdddd',
          State: 'Partial',
          SubnetIds: ['subnet-0aaaa000000000001', 'subnet-0aaaa000000000002'],
        },
      ],
    });
    expect((await edge.describeVpcEndpoint('us-east-1', 'vpce-0123456789abcdef0'))?.state).toBe('partial');
  });
});

describe('Route 53 change status', () => {
  const snowflake = {
    hostedZoneId: 'Z0SNOWFLAKE123',
    name: 'xy12345.us-east-1.privatelink.snowflakecomputing.com',
    type: 'CNAME' as const,
    value: 'vpce-01-abc.vpce-svc-01.us-east-1.vpce.amazonaws.com',
    ttl: 300,
  };
  const databricks = { ...snowflake, hostedZoneId: 'Z0DATABRICKS45', name: 'acme.cloud.databricks.com' };

  it('returns the change ID of each zone’s batch, without the /change/ prefix', async () => {
    route53
      .on(ChangeResourceRecordSetsCommand, { HostedZoneId: 'Z0SNOWFLAKE123' })
      .resolves({ ChangeInfo: { Id: '/change/C2682N5HXP0BZ4', Status: 'PENDING', SubmittedAt: new Date() } })
      .on(ChangeResourceRecordSetsCommand, { HostedZoneId: 'Z0DATABRICKS45' })
      .resolves({ ChangeInfo: { Id: '/change/C0DATABRICKS77', Status: 'PENDING', SubmittedAt: new Date() } });

    await expect(edge.upsertDnsRecords([snowflake, databricks])).resolves.toEqual({ changeIds: ['C2682N5HXP0BZ4', 'C0DATABRICKS77'] });
    expect(inputsOf(route53.commandCalls(ChangeResourceRecordSetsCommand) as never)).toEqual([
      {
        HostedZoneId: 'Z0SNOWFLAKE123',
        ChangeBatch: {
          Comment: 'privatelink-portal',
          Changes: [
            {
              Action: 'UPSERT',
              ResourceRecordSet: { Name: snowflake.name, Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: snowflake.value }] },
            },
          ],
        },
      },
      {
        HostedZoneId: 'Z0DATABRICKS45',
        ChangeBatch: {
          Comment: 'privatelink-portal',
          Changes: [
            {
              Action: 'UPSERT',
              ResourceRecordSet: { Name: databricks.name, Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: databricks.value }] },
            },
          ],
        },
      },
    ]);
  });

  it('asks GetChange with the bare change ID and answers PENDING, then INSYNC', async () => {
    route53
      .on(GetChangeCommand)
      .resolvesOnce({ ChangeInfo: { Id: '/change/C2682N5HXP0BZ4', Status: 'PENDING', SubmittedAt: new Date() } })
      .resolves({ ChangeInfo: { Id: '/change/C2682N5HXP0BZ4', Status: 'INSYNC', SubmittedAt: new Date() } });

    expect(await edge.getDnsChangeStatus('C2682N5HXP0BZ4')).toBe('PENDING');
    // An ID kept with its prefix is asked for the same way.
    expect(await edge.getDnsChangeStatus('/change/C2682N5HXP0BZ4')).toBe('INSYNC');
    expect(inputsOf(route53.commandCalls(GetChangeCommand) as never)).toEqual([{ Id: 'C2682N5HXP0BZ4' }, { Id: 'C2682N5HXP0BZ4' }]);
  });

  it('maps an unknown change (NoSuchChange) to an EdgeError of getDnsChange', async () => {
    route53.on(GetChangeCommand).rejects(
      Object.assign(new Error('A change with the specified change ID does not exist.'), {
        name: 'NoSuchChange',
        $fault: 'client',
        $metadata: { httpStatusCode: 404 },
      }),
    );
    const err = await edge.getDnsChangeStatus('C0000000000000').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EdgeError);
    expect(err).toMatchObject({ operation: 'getDnsChange', retryable: false });
    expect((err as EdgeError).message).toContain('NoSuchChange');
  });
});
