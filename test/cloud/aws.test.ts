import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateVpcEndpointCommand,
  DeleteVpcEndpointsCommand,
  DescribeAvailabilityZonesCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
  ModifyVpcEndpointCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateEndpointAccessCommand,
  DescribeEndpointAccessCommand,
  DescribeEndpointAuthorizationCommand,
  RedshiftClient,
} from '@aws-sdk/client-redshift';
import { ChangeResourceRecordSetsCommand, ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AwsClients } from '@/lib/cloud/aws-clients';
import { AwsEdge } from '@/lib/cloud/aws';
import { EdgeError } from '@/lib/cloud/errors';
import { parseEdgeLayout } from '@/lib/cloud/layout';
import { workspacePrincipal } from '@/lib/cloud/naming';

const layout = parseEdgeLayout({
  accountId: '111122223333',
  regions: {
    'us-east-1': {
      vpcId: 'vpc-0aaaabbbbccccdddd',
      subnets: [
        { subnetId: 'subnet-0aaaa000000000001', azId: 'use1-az1' },
        { subnetId: 'subnet-0aaaa000000000002', azId: 'use1-az2' },
        { subnetId: 'subnet-0aaaa000000000004', azId: 'use1-az4' },
      ],
      securityGroupIds: ['sg-0aaaa00000000000e'],
      redshiftSubnetGroup: 'edge-redshift',
      hostedZones: [{ id: 'Z0SNOWFLAKE123', name: 'privatelink.snowflakecomputing.com' }],
    },
  },
});

const CASE = '3f0c8a2e-5b7d-4e1a-9c6f-0d2b4a6e8c10';
const SERVICE = 'com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f60718';
// The workspace the EC2 calls below are made for (its role and sessions: test/cloud/aws-principal.test.ts).
const AS = workspacePrincipal('111122223333', '7c1e2f9a-3b4d-4c5e-8f60-1a2b3c4d5e6f');

const ec2 = mockClient(EC2Client);
const route53 = mockClient(Route53Client);
const redshift = mockClient(RedshiftClient);
const cloudwatch = mockClient(CloudWatchClient);
const sts = mockClient(STSClient);
let edge: AwsEdge;

beforeEach(() => {
  ec2.reset();
  route53.reset();
  redshift.reset();
  cloudwatch.reset();
  sts.reset();
  sts.on(AssumeRoleCommand).resolves({
    Credentials: {
      AccessKeyId: 'ASIAWORKSPACE0000001',
      SecretAccessKey: 's',
      SessionToken: 't',
      Expiration: new Date(Date.now() + 3_600_000),
    },
  });
  edge = new AwsEdge(layout, { maxAttempts: 1, connectionTimeoutMs: 100, requestTimeoutMs: 100 });
});
afterAll(() => {
  ec2.restore();
  route53.restore();
  redshift.restore();
  cloudwatch.restore();
  sts.restore();
});

const inputOf = <T>(calls: { args: [{ input: T }] }[], n = 0) => calls[n]!.args[0].input;

describe('EC2 interface endpoints', () => {
  it('creates an Interface endpoint with the ClientToken, subnets chosen by AZ ID, private DNS off and the case tag', async () => {
    ec2.on(CreateVpcEndpointCommand).resolves({
      VpcEndpoint: {
        VpcEndpointId: 'vpce-0123456789abcdef0',
        ServiceName: SERVICE,
        VpcId: 'vpc-0aaaabbbbccccdddd',
        State: 'PendingAcceptance',
        SubnetIds: ['subnet-0aaaa000000000002', 'subnet-0aaaa000000000004'],
        DnsEntries: [
          {
            DnsName: 'vpce-0123456789abcdef0-abcdefgh.vpce-svc-0a1b2c3d4e5f60718.us-east-1.vpce.amazonaws.com',
            HostedZoneId: 'Z7HUB22UULQXV',
          },
        ],
        Tags: [{ Key: 'portal:case-id', Value: CASE }],
      },
    });
    const ep = await edge.createVpcEndpoint({
      region: 'us-east-1',
      caseId: CASE,
      as: AS,
      serviceName: SERVICE,
      azIds: ['use1-az4', 'use1-az2'],
      clientToken: `plp-${CASE}-0`,
    });

    expect(inputOf(ec2.commandCalls(CreateVpcEndpointCommand) as never)).toEqual({
      VpcEndpointType: 'Interface',
      VpcId: 'vpc-0aaaabbbbccccdddd',
      ServiceName: SERVICE,
      SubnetIds: ['subnet-0aaaa000000000004', 'subnet-0aaaa000000000002'],
      SecurityGroupIds: ['sg-0aaaa00000000000e'],
      PrivateDnsEnabled: false,
      ClientToken: `plp-${CASE}-0`,
      TagSpecifications: [
        {
          ResourceType: 'vpc-endpoint',
          Tags: [
            { Key: 'portal:case-id', Value: CASE },
            { Key: 'Name', Value: `privatelink-portal ${CASE}` },
          ],
        },
      ],
    });
    expect(ep).toMatchObject({
      id: 'vpce-0123456789abcdef0',
      state: 'pendingAcceptance',
      dnsName: expect.stringMatching(/^vpce-0123456789abcdef0-abcdefgh\./),
    });
  });

  it('looks endpoints up by the portal:case-id tag in the edge VPC, oldest first', async () => {
    ec2.on(DescribeVpcEndpointsCommand).resolves({
      VpcEndpoints: [
        { VpcEndpointId: 'vpce-0bbbbbbbbbbbbbbb2', State: 'Available', CreationTimestamp: new Date('2025-01-02') },
        { VpcEndpointId: 'vpce-0bbbbbbbbbbbbbbb1', State: 'Available', CreationTimestamp: new Date('2025-01-01') },
      ],
    });
    const found = await edge.findVpcEndpointsByCase('us-east-1', CASE);
    expect(inputOf(ec2.commandCalls(DescribeVpcEndpointsCommand) as never)).toEqual({
      Filters: [
        { Name: 'tag:portal:case-id', Values: [CASE] },
        { Name: 'vpc-id', Values: ['vpc-0aaaabbbbccccdddd'] },
      ],
      NextToken: undefined,
    });
    expect(found.map((e) => e.id)).toEqual(['vpce-0bbbbbbbbbbbbbbb1', 'vpce-0bbbbbbbbbbbbbbb2']);
  });

  it('follows NextToken to the last page of endpoints tagged with the case', async () => {
    ec2
      .on(DescribeVpcEndpointsCommand)
      .resolvesOnce({
        VpcEndpoints: [{ VpcEndpointId: 'vpce-0ccccccccccccccc1', CreationTimestamp: new Date('2025-01-01') }],
        NextToken: 'page-2',
      })
      .resolvesOnce({ VpcEndpoints: [{ VpcEndpointId: 'vpce-0ccccccccccccccc2', CreationTimestamp: new Date('2025-01-02') }] });
    const found = await edge.findVpcEndpointsByCase('us-east-1', CASE);
    expect(found.map((e) => e.id)).toEqual(['vpce-0ccccccccccccccc1', 'vpce-0ccccccccccccccc2']);
    // Two requests, the second asking for page 2 (the paginator reuses one input object, so only the last is visible).
    expect(ec2.commandCalls(DescribeVpcEndpointsCommand)).toHaveLength(2);
    expect(ec2.commandCalls(DescribeVpcEndpointsCommand)[1]!.args[0].input.NextToken).toBe('page-2');
  });

  it("reads a service's AZ IDs, and translates AZ names through the edge account when only names are given", async () => {
    ec2
      .on(DescribeVpcEndpointServicesCommand)
      .resolvesOnce({ ServiceDetails: [{ ServiceName: SERVICE, AvailabilityZoneIds: ['use1-az2', 'use1-az6'], AcceptanceRequired: true }] })
      .resolvesOnce({ ServiceDetails: [{ ServiceName: SERVICE, AvailabilityZones: ['us-east-1a'] }] });
    ec2.on(DescribeAvailabilityZonesCommand).resolves({ AvailabilityZones: [{ ZoneName: 'us-east-1a', ZoneId: 'use1-az4' }] });
    expect(await edge.describeEndpointService('us-east-1', SERVICE, AS)).toEqual({
      serviceName: SERVICE,
      azIds: ['use1-az2', 'use1-az6'],
      acceptanceRequired: true,
    });
    expect((await edge.describeEndpointService('us-east-1', SERVICE, AS)).azIds).toEqual(['use1-az4']);
    expect(inputOf(ec2.commandCalls(DescribeVpcEndpointServicesCommand) as never)).toEqual({ ServiceNames: [SERVICE] });
  });

  it('answers null for an endpoint AWS no longer knows', async () => {
    ec2
      .on(DescribeVpcEndpointsCommand)
      .rejects(Object.assign(new Error("The vpcEndpoint ID 'vpce-0x' does not exist"), { name: 'InvalidVpcEndpointId.NotFound' }));
    expect(await edge.describeVpcEndpoint('us-east-1', 'vpce-0x')).toBeNull();
  });

  it('moves subnets by AZ ID and treats deleting a missing endpoint as done', async () => {
    ec2.on(ModifyVpcEndpointCommand).resolves({ Return: true });
    await edge.modifyVpcEndpointAzs('us-east-1', 'vpce-01', { addAzIds: ['use1-az4'], removeAzIds: ['use1-az1'] });
    expect(inputOf(ec2.commandCalls(ModifyVpcEndpointCommand) as never)).toEqual({
      VpcEndpointId: 'vpce-01',
      AddSubnetIds: ['subnet-0aaaa000000000004'],
      RemoveSubnetIds: ['subnet-0aaaa000000000001'],
    });

    ec2
      .on(DeleteVpcEndpointsCommand)
      .resolvesOnce({ Unsuccessful: [{ ResourceId: 'vpce-01', Error: { Code: 'InvalidVpcEndpoint.NotFound', Message: 'gone' } }] })
      .resolvesOnce({ Unsuccessful: [{ ResourceId: 'vpce-01', Error: { Code: 'UnauthorizedOperation', Message: 'no' } }] });
    await expect(edge.deleteVpcEndpoint('us-east-1', 'vpce-01')).resolves.toBeUndefined();
    await expect(edge.deleteVpcEndpoint('us-east-1', 'vpce-01')).rejects.toMatchObject({ code: 'not_authorized', retryable: false });
  });
});

describe('Route 53', () => {
  const record = {
    hostedZoneId: 'Z0SNOWFLAKE123',
    name: 'xy12345.us-east-1.privatelink.snowflakecomputing.com',
    type: 'CNAME' as const,
    value: 'vpce-01-abc.vpce-svc-01.us-east-1.vpce.amazonaws.com',
    ttl: 300,
  };

  it('writes records with one UPSERT change batch per zone', async () => {
    route53.on(ChangeResourceRecordSetsCommand).resolves({ ChangeInfo: { Id: 'C1', Status: 'PENDING', SubmittedAt: new Date() } });
    await edge.upsertDnsRecords([record, { ...record, name: 'ocsp.xy12345.us-east-1.privatelink.snowflakecomputing.com' }]);
    const calls = route53.commandCalls(ChangeResourceRecordSetsCommand);
    expect(calls).toHaveLength(1);
    expect(inputOf(calls as never)).toEqual({
      HostedZoneId: 'Z0SNOWFLAKE123',
      ChangeBatch: {
        Comment: 'privatelink-portal',
        Changes: [
          {
            Action: 'UPSERT',
            ResourceRecordSet: { Name: record.name, Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: record.value }] },
          },
          {
            Action: 'UPSERT',
            ResourceRecordSet: { Name: `ocsp.${record.name}`, Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: record.value }] },
          },
        ],
      },
    });
  });

  it('deletes only records that still exist, exactly as Route 53 holds them', async () => {
    route53.on(ListResourceRecordSetsCommand, { StartRecordName: record.name }).resolves({
      ResourceRecordSets: [{ Name: `${record.name}.`, Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: 'other.example.com.' }] }],
      IsTruncated: false,
      MaxItems: 1,
    });
    route53.on(ListResourceRecordSetsCommand, { StartRecordName: 'gone.privatelink.snowflakecomputing.com' }).resolves({
      ResourceRecordSets: [{ Name: 'zzz.privatelink.snowflakecomputing.com.', Type: 'CNAME', ResourceRecords: [{ Value: 'x' }] }],
      IsTruncated: false,
      MaxItems: 1,
    });
    route53.on(ChangeResourceRecordSetsCommand).resolves({});
    await edge.deleteDnsRecords([record, { ...record, name: 'gone.privatelink.snowflakecomputing.com' }]);
    expect(inputOf(route53.commandCalls(ChangeResourceRecordSetsCommand) as never)).toMatchObject({
      ChangeBatch: {
        Changes: [
          {
            Action: 'DELETE',
            ResourceRecordSet: { Name: record.name, Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: 'other.example.com' }] },
          },
        ],
      },
    });
  });
});

describe('Redshift-managed endpoints', () => {
  it('checks the grant as the grantee, and creates the endpoint with ResourceOwner = the customer account', async () => {
    redshift.on(DescribeEndpointAuthorizationCommand).resolves({
      EndpointAuthorizationList: [
        {
          Grantor: '123456789012',
          Grantee: '111122223333',
          ClusterIdentifier: 'analytics-prod',
          Status: 'Authorized',
          AllowedVPCs: ['vpc-0aaaabbbbccccdddd'],
        },
      ],
    });
    redshift.on(CreateEndpointAccessCommand).resolves({
      EndpointName: 'plp-3f0c8a2e5b7d4e1a9c6f',
      EndpointStatus: 'creating',
      ClusterIdentifier: 'analytics-prod',
      ResourceOwner: '123456789012',
    });

    const grant = await edge.describeRedshiftAuthorization('us-east-1', 'analytics-prod', '123456789012');
    const created = await edge.createRedshiftEndpoint({
      region: 'us-east-1',
      caseId: CASE,
      endpointName: 'plp-3f0c8a2e5b7d4e1a9c6f',
      clusterIdentifier: 'analytics-prod',
      resourceOwner: '123456789012',
    });

    expect(inputOf(redshift.commandCalls(DescribeEndpointAuthorizationCommand) as never)).toEqual({
      ClusterIdentifier: 'analytics-prod',
      Account: '123456789012',
      Grantee: true,
    });
    expect(grant).toMatchObject({ status: 'Authorized', allowedVpcs: ['vpc-0aaaabbbbccccdddd'] });
    expect(inputOf(redshift.commandCalls(CreateEndpointAccessCommand) as never)).toEqual({
      ClusterIdentifier: 'analytics-prod',
      ResourceOwner: '123456789012',
      EndpointName: 'plp-3f0c8a2e5b7d4e1a9c6f',
      SubnetGroupName: 'edge-redshift',
      VpcSecurityGroupIds: ['sg-0aaaa00000000000e'],
    });
    expect(created.status).toBe('creating');
  });

  it('answers a repeated create with the endpoint the first one made', async () => {
    redshift.on(CreateEndpointAccessCommand).rejects(Object.assign(new Error('exists'), { name: 'EndpointAlreadyExistsFault' }));
    redshift.on(DescribeEndpointAccessCommand).resolves({
      EndpointAccessList: [
        {
          EndpointName: 'plp-1',
          ClusterIdentifier: 'c1',
          ResourceOwner: '123456789012',
          EndpointStatus: 'active',
          Address: 'plp-1.x.us-east-1.redshift.amazonaws.com',
          Port: 5439,
          VpcEndpoint: { VpcEndpointId: 'vpce-0r' },
        },
      ],
    });
    const e = await edge.createRedshiftEndpoint({
      region: 'us-east-1',
      caseId: CASE,
      endpointName: 'plp-1',
      clusterIdentifier: 'c1',
      resourceOwner: '123456789012',
    });
    expect(e).toMatchObject({ status: 'active', port: 5439, vpcEndpointId: 'vpce-0r' });
  });
});

describe('Redshift refusals in words, by the rule the wizard checks', () => {
  it.each([
    [
      'UnsupportedOperation',
      'Managed VPC endpoints are supported only for clusters with RA3 node types.',
      'node_type.ra3',
      /resize the cluster/,
    ],
    [
      'InvalidClusterState',
      'Cluster relocation must be enabled for the cluster to create an endpoint.',
      'redshift.relocation',
      /turn on cluster relocation/,
    ],
    ['InvalidParameterValue', 'The cluster port is not supported for managed VPC endpoints.', 'redshift.port', /5431–5455 or 8191–8215/],
  ])('maps %s (%s) to %s', async (name, message, rule, fix) => {
    redshift.on(CreateEndpointAccessCommand).rejects(Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } }));
    const err = await edge
      .createRedshiftEndpoint({
        region: 'us-east-1',
        caseId: CASE,
        endpointName: 'plp-1',
        clusterIdentifier: 'c1',
        resourceOwner: '123456789012',
      })
      .catch((e) => e);
    expect(err).toMatchObject({ code: 'invalid_request', retryable: false, operation: 'createRedshiftEndpoint' });
    expect(err.message).toContain(`(rule ${rule})`);
    expect(err.message).toMatch(fix);
  });
});

describe('CloudWatch usage', () => {
  it('asks for daily sums of BytesProcessed under the dimension names with spaces', async () => {
    cloudwatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'bytes', Timestamps: [new Date('2025-03-01T00:00:00Z'), new Date('2025-03-02T00:00:00Z')], Values: [1024, 2048] },
      ],
    });
    const days = await edge.getDailyBytesProcessed(
      { region: 'us-east-1', vpcEndpointId: 'vpce-01', serviceName: SERVICE, vpcId: 'vpc-0aaaabbbbccccdddd' },
      '2025-03-01',
      '2025-03-02',
    );
    expect(days).toEqual([
      { day: '2025-03-01', bytes: 1024 },
      { day: '2025-03-02', bytes: 2048 },
    ]);
    expect(inputOf(cloudwatch.commandCalls(GetMetricDataCommand) as never)).toMatchObject({
      StartTime: new Date('2025-03-01T00:00:00Z'),
      EndTime: new Date('2025-03-03T00:00:00Z'),
      MetricDataQueries: [
        {
          MetricStat: {
            Metric: {
              Namespace: 'AWS/PrivateLinkEndpoints',
              MetricName: 'BytesProcessed',
              Dimensions: [
                { Name: 'Endpoint Type', Value: 'Interface' },
                { Name: 'Service Name', Value: SERVICE },
                { Name: 'VPC Endpoint Id', Value: 'vpce-01' },
                { Name: 'VPC Id', Value: 'vpc-0aaaabbbbccccdddd' },
              ],
            },
            Period: 86_400,
            Stat: 'Sum',
          },
        },
      ],
    });
  });
});

describe('AWS errors in words', () => {
  const cases: [string, Record<string, unknown>, string, boolean, RegExp][] = [
    ['throttling', { name: 'RequestLimitExceeded', $metadata: { httpStatusCode: 503 } }, 'throttled', true, /throttling/],
    ['Route 53 throttling', { name: 'Throttling', $metadata: { httpStatusCode: 400 } }, 'throttled', true, /retries with backoff/],
    ['a 5xx', { name: 'InternalError', $fault: 'server', $metadata: { httpStatusCode: 500 } }, 'server_error', true, /internal error/],
    ['a timeout', { name: 'TimeoutError' }, 'timeout', true, /timed out/],
    [
      'an unknown service',
      { name: 'InvalidServiceName', $metadata: { httpStatusCode: 400 } },
      'unknown_service',
      false,
      /does not exist in us-east-1, or it does not list this workspace's role arn:aws:iam::\d{12}:role\/plp-ws-[0-9a-f-]{36} as an allowed principal: ask the customer to check the service name and to add arn:aws:iam::\d{12}:role\/plp-ws-[0-9a-f-]{36} to the service's allowed principals/,
    ],
    // Made as the workspace's role, long after it was created: its own policy is what to check.
    [
      'missing IAM permission',
      { name: 'UnauthorizedOperation', $metadata: { httpStatusCode: 403 } },
      'not_authorized',
      false,
      /The workspace role plp-ws-7c1e2f9a-3b4d-4c5e-8f60-1a2b3c4d5e6f is not allowed createVpcEndpoint in us-east-1: its inline policy/,
    ],
    ['AccessDenied', { name: 'AccessDenied' }, 'not_authorized', false, /is not allowed createVpcEndpoint/],
    [
      'an AZ the service lacks',
      {
        name: 'InvalidParameter',
        message:
          'The VPC endpoint service com.amazonaws.vpce.us-east-1.vpce-svc-0a does not support the availability zone of the subnet: subnet-0aaaa000000000001.',
      },
      'az_mismatch',
      false,
      /share at least one AZ ID/,
    ],
    ['the endpoint quota', { name: 'VpcEndpointLimitExceeded' }, 'quota', false, /Service Quotas/],
  ];
  it.each(cases)('maps %s', async (_label, error, code, retryable, words) => {
    ec2.on(CreateVpcEndpointCommand).rejects(Object.assign(new Error((error.message as string) ?? 'AWS said no'), error));
    const err = await edge
      .createVpcEndpoint({ region: 'us-east-1', caseId: CASE, as: AS, serviceName: SERVICE, azIds: ['use1-az1'], clientToken: 't' })
      .catch((e) => e);
    expect(err).toBeInstanceOf(EdgeError);
    expect(err).toMatchObject({ code, retryable, operation: 'createVpcEndpoint' });
    expect(err.message).toMatch(words);
  });

  it("names the portal's own policy when a call it makes as itself is refused", async () => {
    ec2
      .on(ModifyVpcEndpointCommand)
      .rejects(Object.assign(new Error('no'), { name: 'UnauthorizedOperation', $metadata: { httpStatusCode: 403 } }));
    const err = await edge.modifyVpcEndpointAzs('us-east-1', 'vpce-01', { addAzIds: ['use1-az4'], removeAzIds: [] }).catch((e) => e);
    expect(err).toMatchObject({ code: 'not_authorized', retryable: false, operation: 'modifyVpcEndpoint' });
    expect(err.message).toMatch(
      /not authorized to call modifyVpcEndpoint in us-east-1 on vpce-01: .*IAM policy \(docs\/edge-iam-policy.json\)/,
    );
  });
});

describe('SDK clients', () => {
  it("use adaptive retries, honour AWS_ENDPOINT_URL and leave the portal's credentials to the default chain", async () => {
    const clients = new AwsClients({
      endpoint: 'http://127.0.0.1:4566',
      maxAttempts: 5,
      connectionTimeoutMs: 1000,
      requestTimeoutMs: 2000,
    });
    const c = clients.ec2('eu-west-1');
    const strategy = await c.config.retryStrategy();
    expect(strategy.constructor.name).toBe('AdaptiveRetryStrategy');
    expect((strategy as unknown as { mode: string }).mode).toBe('adaptive');
    expect(await c.config.maxAttempts()).toBe(5);
    expect(await c.config.region()).toBe('eu-west-1');
    const endpoint = await c.config.endpoint?.();
    expect(`${endpoint?.protocol}//${endpoint?.hostname}:${endpoint?.port}`).toBe('http://127.0.0.1:4566');
    expect(clients.ec2('eu-west-1')).toBe(c); // one client per service and region
    clients.destroy();
  });

  it('sign IAM in us-east-1 and STS in the region of the call, both through AWS_ENDPOINT_URL', async () => {
    const clients = new AwsClients({
      endpoint: 'http://127.0.0.1:5055',
      maxAttempts: 2,
      connectionTimeoutMs: 1000,
      requestTimeoutMs: 2000,
    });
    const url = async (c: { config: { endpoint?: () => Promise<{ protocol: string; hostname: string; port?: number }> } }) => {
      const e = await c.config.endpoint?.();
      return `${e?.protocol}//${e?.hostname}:${e?.port}`;
    };
    expect(await clients.iam().config.region()).toBe('us-east-1');
    expect(await url(clients.iam())).toBe('http://127.0.0.1:5055');
    expect(await clients.sts('eu-west-1').config.region()).toBe('eu-west-1');
    expect(await url(clients.sts('eu-west-1'))).toBe('http://127.0.0.1:5055');
    expect(await clients.iam().config.maxAttempts()).toBe(2);
    clients.destroy();
  });

  it("give each workspace its own EC2 client per region, signing with the workspace's session", async () => {
    const clients = new AwsClients({ maxAttempts: 1, connectionTimeoutMs: 1000, requestTimeoutMs: 2000 });
    const other = workspacePrincipal('111122223333', '0d9e8f7a-6b5c-4d3e-9f21-a0b1c2d3e4f5');
    const session = async () => ({ accessKeyId: 'ASIAWORKSPACE0000001', secretAccessKey: 's', sessionToken: 't' });
    const c = clients.workspaceEc2('us-east-1', AS, session);
    expect(clients.workspaceEc2('us-east-1', AS, session)).toBe(c);
    expect(clients.workspaceEc2('eu-west-1', AS, session)).not.toBe(c);
    expect(clients.workspaceEc2('us-east-1', other, session)).not.toBe(c);
    expect(clients.ec2('us-east-1')).not.toBe(c);
    expect((await c.config.credentials()).accessKeyId).toBe('ASIAWORKSPACE0000001');
    // destroy() closes them all, the workspaces', IAM's and STS's included, and forgets them.
    const closing = [c, clients.ec2('us-east-1'), clients.iam(), clients.sts('us-east-1')].map((client) => vi.spyOn(client, 'destroy'));
    clients.destroy();
    for (const spy of closing) expect(spy).toHaveBeenCalledOnce();
    expect(clients.workspaceEc2('us-east-1', AS, session)).not.toBe(c);
    clients.destroy();
  });
});

// Each lookup below answers its first page without the item and with a token: only a reader that asks for the second
// page finds it.
describe('AWS answers over more than one page', () => {
  it('finds the endpoint service on the page after the first NextToken', async () => {
    ec2
      .on(DescribeVpcEndpointServicesCommand)
      .resolvesOnce({ ServiceDetails: [], NextToken: 'svc-2' })
      .resolvesOnce({ ServiceDetails: [{ ServiceName: SERVICE, AvailabilityZoneIds: ['use1-az1'], AcceptanceRequired: false }] });
    expect(await edge.describeEndpointService('us-east-1', SERVICE, AS)).toEqual({
      serviceName: SERVICE,
      azIds: ['use1-az1'],
      acceptanceRequired: false,
    });
    const calls = ec2.commandCalls(DescribeVpcEndpointServicesCommand);
    expect(calls.map((c) => c.args[0].input.NextToken)).toEqual([undefined, 'svc-2']);
  });

  it('reports a service missing from every page as not existing, after reading them all', async () => {
    ec2
      .on(DescribeVpcEndpointServicesCommand)
      .resolvesOnce({ ServiceDetails: [], NextToken: 'svc-2' })
      .resolvesOnce({ ServiceDetails: [{ ServiceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0other000000000' }] });
    await expect(edge.describeEndpointService('us-east-1', SERVICE, AS)).rejects.toBeInstanceOf(EdgeError);
    expect(ec2.commandCalls(DescribeVpcEndpointServicesCommand)).toHaveLength(2);
  });

  it('finds a VPC endpoint by ID on the second page', async () => {
    ec2
      .on(DescribeVpcEndpointsCommand)
      .resolvesOnce({ VpcEndpoints: [], NextToken: 'vpce-2' })
      .resolvesOnce({ VpcEndpoints: [{ VpcEndpointId: 'vpce-0ddddddddddddddd1', State: 'Available', VpcId: 'vpc-0aaaabbbbccccdddd' }] });
    expect(await edge.describeVpcEndpoint('us-east-1', 'vpce-0ddddddddddddddd1')).toMatchObject({
      id: 'vpce-0ddddddddddddddd1',
      state: 'available',
    });
    expect(ec2.commandCalls(DescribeVpcEndpointsCommand)).toHaveLength(2);
  });

  it("finds the Redshift grant on the page after the first Marker, skipping another cluster's", async () => {
    redshift
      .on(DescribeEndpointAuthorizationCommand)
      .resolvesOnce({
        EndpointAuthorizationList: [{ Grantor: '123456789012', ClusterIdentifier: 'other-cluster', Status: 'Authorized' }],
        Marker: 'auth-2',
      })
      .resolvesOnce({
        EndpointAuthorizationList: [
          {
            Grantor: '123456789012',
            Grantee: '111122223333',
            ClusterIdentifier: 'analytics-prod',
            Status: 'Revoking',
            AllowedAllVPCs: true,
          },
        ],
      });
    expect(await edge.describeRedshiftAuthorization('us-east-1', 'analytics-prod', '123456789012')).toEqual({
      clusterIdentifier: 'analytics-prod',
      grantor: '123456789012',
      grantee: '111122223333',
      status: 'Revoking',
      allowedAllVpcs: true,
      allowedVpcs: [],
    });
    expect(redshift.commandCalls(DescribeEndpointAuthorizationCommand)[1]!.args[0].input.Marker).toBe('auth-2');
  });

  it('finds the Redshift-managed endpoint on the second page', async () => {
    redshift
      .on(DescribeEndpointAccessCommand)
      .resolvesOnce({ EndpointAccessList: [], Marker: 'access-2' })
      .resolvesOnce({
        EndpointAccessList: [{ EndpointName: 'plp-2', ClusterIdentifier: 'c2', ResourceOwner: '123456789012', EndpointStatus: 'Active' }],
      });
    expect(await edge.describeRedshiftEndpoint('us-east-1', 'plp-2')).toMatchObject({
      name: 'plp-2',
      clusterIdentifier: 'c2',
      status: 'active',
    });
    expect(redshift.commandCalls(DescribeEndpointAccessCommand)).toHaveLength(2);
  });

  it('adds up the bytes of every GetMetricData page', async () => {
    cloudwatch
      .on(GetMetricDataCommand)
      .resolvesOnce({
        MetricDataResults: [{ Id: 'bytes', Timestamps: [new Date('2025-03-01T00:00:00Z')], Values: [100] }],
        NextToken: 'metrics-2',
      })
      .resolvesOnce({
        MetricDataResults: [
          { Id: 'bytes', Timestamps: [new Date('2025-03-01T00:00:00Z'), new Date('2025-03-02T00:00:00Z')], Values: [5, 7] },
        ],
      });
    const days = await edge.getDailyBytesProcessed(
      { region: 'us-east-1', vpcEndpointId: 'vpce-01', serviceName: SERVICE, vpcId: 'vpc-0aaaabbbbccccdddd' },
      '2025-03-01',
      '2025-03-02',
    );
    expect(days).toEqual([
      { day: '2025-03-01', bytes: 105 },
      { day: '2025-03-02', bytes: 7 },
    ]);
    expect(cloudwatch.commandCalls(GetMetricDataCommand)).toHaveLength(2);
  });

  it('stops when AWS hands back the token it was just given, instead of asking for that page forever', async () => {
    ec2.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [], NextToken: 'same' });
    expect(await edge.describeVpcEndpoint('us-east-1', 'vpce-0eeeeeeeeeeeeeee1')).toBeNull();
    expect(ec2.commandCalls(DescribeVpcEndpointsCommand)).toHaveLength(2);
  });
});
