import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateVpcEndpointCommand, DescribeVpcEndpointServicesCommand, DescribeVpcEndpointsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateRoleCommand,
  EntityAlreadyExistsException,
  GetRoleCommand,
  IAMClient,
  NoSuchEntityException,
  PutRolePolicyCommand,
  type Role,
  ServiceFailureException,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsEdge } from '@/lib/cloud/aws';
import { workspaceRolePolicy, workspaceTrustPolicy } from '@/lib/cloud/aws-iam';
import { EdgeError } from '@/lib/cloud/errors';
import { parseEdgeLayout } from '@/lib/cloud/layout';
import type { WorkspacePrincipal } from '@/lib/cloud/types';

const layout = parseEdgeLayout({
  accountId: '111122223333',
  portalPrincipalArn: 'arn:aws:iam::111122223333:role/privatelink-portal',
  regions: {
    'us-east-1': {
      vpcId: 'vpc-0aaaabbbbccccdddd',
      subnets: [
        { subnetId: 'subnet-0aaaa000000000001', azId: 'use1-az1' },
        { subnetId: 'subnet-0aaaa000000000002', azId: 'use1-az2' },
      ],
      securityGroupIds: ['sg-0aaaa00000000000e'],
      redshiftSubnetGroup: 'edge-redshift',
    },
    'eu-west-1': {
      vpcId: 'vpc-0eeeeffff00001111',
      subnets: [{ subnetId: 'subnet-0eeee000000000001', azId: 'euw1-az1' }],
      securityGroupIds: ['sg-0eeee00000000000e'],
      redshiftSubnetGroup: 'edge-redshift',
    },
  },
});

const WS = '7c1e2f9a-3b4d-4c5e-8f60-1a2b3c4d5e6f';
const OTHER_WS = '0d9e8f7a-6b5c-4d3e-9f21-a0b1c2d3e4f5';
const ROLE = `plp-ws-${WS}`;
const ARN = `arn:aws:iam::111122223333:role/${ROLE}`;
const PRINCIPAL: WorkspacePrincipal = { workspaceId: WS, roleName: ROLE, arn: ARN };
const CASE = '3f0c8a2e-5b7d-4e1a-9c6f-0d2b4a6e8c10';
const SERVICE = 'com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f60718';
const T0 = Date.parse('2026-12-01T12:00:00Z');
const MIN = 60_000;

const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);
const ec2 = mockClient(EC2Client);
let clock: number;
let edge: AwsEdge;

const options = { maxAttempts: 1, connectionTimeoutMs: 100, requestTimeoutMs: 100 };
beforeEach(() => {
  iam.reset();
  sts.reset();
  ec2.reset();
  clock = T0;
  edge = new AwsEdge(layout, options, () => clock);
});
afterEach(() => edge.destroy());
afterAll(() => {
  iam.restore();
  sts.restore();
  ec2.restore();
});

const inputOf = <T>(calls: { args: [{ input: T }] }[], n = 0) => calls[n]!.args[0].input;
const ourRole = (extra: Partial<Role> = {}): Role => ({
  RoleName: ROLE,
  RoleId: 'AROAEXAMPLEWORKSPACE1',
  Arn: ARN,
  Path: '/',
  CreateDate: new Date(T0 - 30 * 24 * 60 * MIN),
  Tags: [
    { Key: 'portal:workspace-id', Value: WS },
    { Key: 'portal:managed', Value: 'true' },
  ],
  ...extra,
});
const noSuchEntity = () => new NoSuchEntityException({ message: `The role with name ${ROLE} cannot be found.`, $metadata: {} });
const session = (accessKeyId: string, expiration: number) => ({
  Credentials: {
    AccessKeyId: accessKeyId,
    SecretAccessKey: `secret-of-${accessKeyId}`,
    SessionToken: `token-of-${accessKeyId}`,
    Expiration: new Date(expiration),
  },
});
/** The access key the EC2 client that made call `n` resolves: the credentials it signs with. */
async function keyOfCall(calls: { thisValue: unknown }[], n = 0): Promise<string> {
  const client = calls[n]!.thisValue as EC2Client;
  return (await client.config.credentials()).accessKeyId;
}

describe('the workspace role', () => {
  it('creates a missing role: GetRole, then CreateRole without a path, trusting only the portal, tagged, for one-hour sessions, then its policy', async () => {
    iam.on(GetRoleCommand).rejects(noSuchEntity());
    iam.on(CreateRoleCommand).resolves({ Role: ourRole({ CreateDate: new Date(T0) }) });
    iam.on(PutRolePolicyCommand).resolves({});

    expect(await edge.ensureWorkspacePrincipal(WS)).toEqual(PRINCIPAL);

    expect(iam.calls().map((c) => (c.args[0] as object).constructor.name)).toEqual([
      'GetRoleCommand',
      'CreateRoleCommand',
      'PutRolePolicyCommand',
    ]);
    expect(inputOf(iam.commandCalls(GetRoleCommand) as never)).toEqual({ RoleName: ROLE });
    const create = inputOf(iam.commandCalls(CreateRoleCommand) as never) as Record<string, unknown>;
    expect(create).toEqual({
      RoleName: ROLE,
      AssumeRolePolicyDocument: expect.any(String),
      Description: `PrivateLink Portal: the edge account acting for workspace ${WS}. Managed by the portal; do not edit.`,
      MaxSessionDuration: 3600,
      Tags: [
        { Key: 'portal:workspace-id', Value: WS },
        { Key: 'portal:managed', Value: 'true' },
      ],
    });
    expect(create).not.toHaveProperty('Path');
    expect(JSON.parse(create.AssumeRolePolicyDocument as string)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'OnlyThePortalMayActAsThisWorkspace',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:role/privatelink-portal' },
          Action: 'sts:AssumeRole',
        },
      ],
    });
    // IAM refuses descriptions outside Latin-1.
    expect(create.Description).toMatch(/^[\t\n\r\u0020-\u007e\u00a1-\u00ff]*$/);
    const put = inputOf(iam.commandCalls(PutRolePolicyCommand) as never) as Record<string, string>;
    expect(put.RoleName).toBe(ROLE);
    expect(put.PolicyName).toBe('privatelink-portal-endpoints');
    expect(JSON.parse(put.PolicyDocument!)).toEqual(workspaceRolePolicy(layout));
  });

  it("uses an existing role tagged as the portal's without creating it, and rewrites its policy from the layout", async () => {
    iam.on(GetRoleCommand).resolves({ Role: ourRole() });
    iam.on(PutRolePolicyCommand).resolves({});
    expect(await edge.ensureWorkspacePrincipal(WS)).toEqual(PRINCIPAL);
    expect(iam.commandCalls(CreateRoleCommand)).toHaveLength(0);
    expect(iam.commandCalls(PutRolePolicyCommand)).toHaveLength(1);
  });

  const notOurs: [string, Partial<Role>][] = [
    ['no tags at all', { Tags: [] }],
    ['portal:managed missing', { Tags: [{ Key: 'portal:workspace-id', Value: WS }] }],
    [
      'another workspace',
      {
        Tags: [
          { Key: 'portal:workspace-id', Value: OTHER_WS },
          { Key: 'portal:managed', Value: 'true' },
        ],
      },
    ],
    ['an IAM path', { Path: '/teams/', Arn: `arn:aws:iam::111122223333:role/teams/${ROLE}` }],
  ];
  it.each(notOurs)('refuses a role of that name the portal did not create (%s), and never adopts it', async (_label, role) => {
    iam.on(GetRoleCommand).resolves({ Role: ourRole(role) });
    iam.on(PutRolePolicyCommand).resolves({});
    const err = await edge.ensureWorkspacePrincipal(WS).catch((e) => e);
    expect(err).toBeInstanceOf(EdgeError);
    expect(err).toMatchObject({ code: 'invalid_request', retryable: false, operation: 'ensureWorkspaceRole' });
    expect(err.message).toMatch(new RegExp(`already has a role named ${ROLE} that the portal did not create`));
    expect(iam.commandCalls(CreateRoleCommand)).toHaveLength(0);
    expect(iam.commandCalls(PutRolePolicyCommand)).toHaveLength(0);
  });

  it('takes a concurrent create (EntityAlreadyExists) as success once the role read back is ours', async () => {
    iam
      .on(GetRoleCommand)
      .rejectsOnce(noSuchEntity())
      .resolves({ Role: ourRole({ CreateDate: new Date(T0) }) });
    iam
      .on(CreateRoleCommand)
      .rejects(new EntityAlreadyExistsException({ message: `Role with name ${ROLE} already exists.`, $metadata: {} }));
    iam.on(PutRolePolicyCommand).resolves({});
    expect(await edge.ensureWorkspacePrincipal(WS)).toEqual(PRINCIPAL);
    expect(iam.commandCalls(GetRoleCommand)).toHaveLength(2);
    expect(iam.commandCalls(PutRolePolicyCommand)).toHaveLength(1);
  });

  it('retries when IAM cannot show the role another process just created, or is writing its policy at the same moment', async () => {
    iam.on(GetRoleCommand).rejects(noSuchEntity());
    iam
      .on(CreateRoleCommand)
      .rejects(new EntityAlreadyExistsException({ message: `Role with name ${ROLE} already exists.`, $metadata: {} }));
    await expect(edge.ensureWorkspacePrincipal(WS)).rejects.toMatchObject({
      code: 'propagating',
      retryable: true,
      operation: 'ensureWorkspaceRole',
    });

    iam.reset();
    iam.on(GetRoleCommand).resolves({ Role: ourRole() });
    iam
      .on(PutRolePolicyCommand)
      .rejects(Object.assign(new Error('busy'), { name: 'ConcurrentModificationException', $metadata: { httpStatusCode: 409 } }));
    await expect(edge.ensureWorkspacePrincipal(WS)).rejects.toMatchObject({ code: 'propagating', retryable: true });
  });

  it('ensures a workspace once per adapter, concurrent callers included; a failure is not remembered', async () => {
    iam
      .on(GetRoleCommand)
      .rejectsOnce(new ServiceFailureException({ message: 'Service failure', $metadata: { httpStatusCode: 500 } }))
      .resolves({ Role: ourRole() });
    iam.on(PutRolePolicyCommand).resolves({});

    await expect(edge.ensureWorkspacePrincipal(WS)).rejects.toMatchObject({ code: 'server_error', retryable: true });
    const [a, b] = await Promise.all([edge.ensureWorkspacePrincipal(WS), edge.ensureWorkspacePrincipal(WS)]);
    await edge.ensureWorkspacePrincipal(WS);
    expect(a).toEqual(PRINCIPAL);
    expect(b).toEqual(PRINCIPAL);
    expect(iam.commandCalls(GetRoleCommand)).toHaveLength(2);
    expect(iam.commandCalls(PutRolePolicyCommand)).toHaveLength(1);
  });
});

describe('the policies of a workspace role', () => {
  it('trusts the portal principal of the layout and nobody else', () => {
    expect(workspaceTrustPolicy(layout).Statement).toEqual([
      {
        Sid: 'OnlyThePortalMayActAsThisWorkspace',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:role/privatelink-portal' },
        Action: 'sts:AssumeRole',
      },
    ]);
  });

  it('grants exactly what the portal does as the workspace, scoped to the edge network of the layout', () => {
    expect(workspaceRolePolicy(layout)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DescribeServicesHasNoResourceLevelPermissions',
          Effect: 'Allow',
          Action: 'ec2:DescribeVpcEndpointServices',
          Resource: '*',
          Condition: { StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } },
        },
        {
          Sid: 'CreateInterfaceEndpointsOnlyWithTheCaseTag',
          Effect: 'Allow',
          Action: 'ec2:CreateVpcEndpoint',
          Resource: ['arn:aws:ec2:us-east-1:111122223333:vpc-endpoint/*', 'arn:aws:ec2:eu-west-1:111122223333:vpc-endpoint/*'],
          Condition: { Null: { 'aws:RequestTag/portal:case-id': 'false' } },
        },
        {
          Sid: 'CreateInterfaceEndpointsOnlyInTheEdgeNetwork',
          Effect: 'Allow',
          Action: 'ec2:CreateVpcEndpoint',
          Resource: [
            'arn:aws:ec2:us-east-1:111122223333:vpc/vpc-0aaaabbbbccccdddd',
            'arn:aws:ec2:us-east-1:111122223333:subnet/subnet-0aaaa000000000001',
            'arn:aws:ec2:us-east-1:111122223333:subnet/subnet-0aaaa000000000002',
            'arn:aws:ec2:us-east-1:111122223333:security-group/sg-0aaaa00000000000e',
            'arn:aws:ec2:eu-west-1:111122223333:vpc/vpc-0eeeeffff00001111',
            'arn:aws:ec2:eu-west-1:111122223333:subnet/subnet-0eeee000000000001',
            'arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0eeee00000000000e',
          ],
        },
        {
          Sid: 'TagEndpointsOnlyWhileCreatingThem',
          Effect: 'Allow',
          Action: 'ec2:CreateTags',
          Resource: ['arn:aws:ec2:us-east-1:111122223333:vpc-endpoint/*', 'arn:aws:ec2:eu-west-1:111122223333:vpc-endpoint/*'],
          Condition: { StringEquals: { 'ec2:CreateAction': 'CreateVpcEndpoint' } },
        },
      ],
    });
  });

  it('follows the partition of the portal principal', () => {
    const gov = { ...layout, portalPrincipalArn: 'arn:aws-us-gov:iam::111122223333:role/privatelink-portal' };
    expect(JSON.stringify(workspaceRolePolicy(gov))).not.toMatch(/arn:aws:/);
    expect(workspaceRolePolicy(gov).Statement[1]!.Resource).toContain('arn:aws-us-gov:ec2:us-east-1:111122223333:vpc-endpoint/*');
  });
});

describe('EC2 calls made as the workspace', () => {
  beforeEach(() => {
    iam.on(GetRoleCommand).resolves({ Role: ourRole() });
    iam.on(PutRolePolicyCommand).resolves({});
    ec2.on(DescribeVpcEndpointServicesCommand).resolves({ ServiceDetails: [{ ServiceName: SERVICE, AvailabilityZoneIds: ['use1-az2'] }] });
    ec2.on(CreateVpcEndpointCommand).resolves({ VpcEndpoint: { VpcEndpointId: 'vpce-0123456789abcdef0', State: 'PendingAcceptance' } });
    ec2.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [] });
  });
  const create = (as: WorkspacePrincipal = PRINCIPAL) =>
    edge.createVpcEndpoint({ region: 'us-east-1', caseId: CASE, as, serviceName: SERVICE, azIds: ['use1-az2'], clientToken: 't' });

  it('assumes the role by its ARN, for an hour, in a session named after the workspace', async () => {
    sts.on(AssumeRoleCommand).resolves(session('ASIAWORKSPACE0000001', T0 + 60 * MIN));
    await edge.describeEndpointService('us-east-1', SERVICE, await edge.ensureWorkspacePrincipal(WS));
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    expect(inputOf(sts.commandCalls(AssumeRoleCommand) as never)).toEqual({
      RoleArn: ARN,
      RoleSessionName: `plp-${WS}`,
      DurationSeconds: 3600,
    });
  });

  it("describes the service and creates the endpoint with the role's session, everything else with the portal's own credentials", async () => {
    sts.on(AssumeRoleCommand).resolves(session('ASIAWORKSPACE0000001', T0 + 60 * MIN));
    const as = await edge.ensureWorkspacePrincipal(WS);
    await edge.describeEndpointService('us-east-1', SERVICE, as);
    await create(as);
    await edge.findVpcEndpointsByCase('us-east-1', CASE);

    const describe = ec2.commandCalls(DescribeVpcEndpointServicesCommand);
    const created = ec2.commandCalls(CreateVpcEndpointCommand);
    const found = ec2.commandCalls(DescribeVpcEndpointsCommand);
    expect(await keyOfCall(describe)).toBe('ASIAWORKSPACE0000001');
    expect(await keyOfCall(created)).toBe('ASIAWORKSPACE0000001');
    expect(describe[0]!.thisValue).toBe(created[0]!.thisValue); // one client per (service, region, workspace)
    expect(found[0]!.thisValue).not.toBe(describe[0]!.thisValue);
    // The portal's own client was given no credentials: it uses the default provider chain.
    const portal = found[0]!.thisValue as EC2Client;
    const workspace = describe[0]!.thisValue as EC2Client;
    const portalCredentials = await portal.config.credentials().catch(() => null);
    expect(portalCredentials?.accessKeyId).not.toBe('ASIAWORKSPACE0000001');
    expect(workspace.config.credentials).not.toBe(portal.config.credentials);
  });

  it('keeps one session per workspace across calls and regions, and renews it five minutes before it expires', async () => {
    sts
      .on(AssumeRoleCommand, { RoleArn: ARN })
      .resolvesOnce(session('ASIAWORKSPACE0000001', T0 + 60 * MIN))
      .resolves(session('ASIAWORKSPACE0000002', T0 + 120 * MIN));
    sts
      .on(AssumeRoleCommand, { RoleArn: `arn:aws:iam::111122223333:role/plp-ws-${OTHER_WS}` })
      .resolves(session('ASIAOTHERWORKSPACE01', T0 + 60 * MIN));
    ec2.on(DescribeVpcEndpointServicesCommand).resolves({ ServiceDetails: [{ ServiceName: SERVICE, AvailabilityZoneIds: ['use1-az2'] }] });
    iam.on(GetRoleCommand, { RoleName: `plp-ws-${OTHER_WS}` }).resolves({
      Role: ourRole({
        RoleName: `plp-ws-${OTHER_WS}`,
        Tags: [
          { Key: 'portal:workspace-id', Value: OTHER_WS },
          { Key: 'portal:managed', Value: 'true' },
        ],
      }),
    });
    const as = await edge.ensureWorkspacePrincipal(WS);
    const other = await edge.ensureWorkspacePrincipal(OTHER_WS);

    await edge.describeEndpointService('us-east-1', SERVICE, as);
    clock = T0 + 54 * MIN;
    await edge.describeEndpointService('eu-west-1', SERVICE, as);
    await create(as);
    expect(sts.commandCalls(AssumeRoleCommand, { RoleArn: ARN })).toHaveLength(1);

    await edge.describeEndpointService('us-east-1', SERVICE, other);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
    expect(await keyOfCall(ec2.commandCalls(DescribeVpcEndpointServicesCommand), 2)).toBe('ASIAOTHERWORKSPACE01');

    clock = T0 + 56 * MIN; // within five minutes of the first session's expiry
    await create(as);
    expect(sts.commandCalls(AssumeRoleCommand, { RoleArn: ARN })).toHaveLength(2);
  });

  it('assumes the role again when the session STS gave has already expired', async () => {
    sts
      .on(AssumeRoleCommand)
      .resolvesOnce(session('ASIAEXPIREDSESSION01', T0 - MIN))
      .resolves(session('ASIAWORKSPACE0000002', T0 + 60 * MIN));
    await edge.describeEndpointService('us-east-1', SERVICE, PRINCIPAL);
    await edge.describeEndpointService('us-east-1', SERVICE, PRINCIPAL);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('retries a role IAM has not propagated yet, and later names the two policies to check', async () => {
    iam.on(GetRoleCommand).rejects(noSuchEntity());
    iam.on(CreateRoleCommand).resolves({ Role: ourRole({ CreateDate: new Date(T0) }) });
    sts.on(AssumeRoleCommand).rejects(
      Object.assign(
        new Error(
          `User: arn:aws:sts::111122223333:assumed-role/privatelink-portal/i-1 is not authorized to perform: sts:AssumeRole on resource: ${ARN}`,
        ),
        {
          name: 'AccessDenied',
          $fault: 'client',
          $metadata: { httpStatusCode: 403 },
        },
      ),
    );
    const as = await edge.ensureWorkspacePrincipal(WS);

    clock = T0 + 5_000;
    const early = await edge.describeEndpointService('us-east-1', SERVICE, as).catch((e) => e);
    expect(early).toBeInstanceOf(EdgeError);
    expect(early).toMatchObject({ code: 'propagating', retryable: true, operation: 'describeEndpointService', awsCode: 'AccessDenied' });
    expect(early.message).toMatch(new RegExp(`${ROLE} was created moments ago and IAM has not made it usable everywhere yet`));

    clock = T0 + 10 * MIN;
    const late = await create(as).catch((e) => e);
    expect(late).toMatchObject({ code: 'not_authorized', retryable: false, operation: 'createVpcEndpoint' });
    expect(late.message).toMatch(/allows sts:AssumeRole on role\/plp-ws-\* \(docs\/edge-iam-policy.json\)/);
    expect(late.message).toMatch(/portalPrincipalArn in EDGE_CONFIG, now arn:aws:iam::111122223333:role\/privatelink-portal/);
    // A refused AssumeRole is not remembered: each call asked STS again.
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
    expect(ec2.commandCalls(DescribeVpcEndpointServicesCommand)).toHaveLength(0);
  });

  it("retries EC2's refusal while the new role's policy propagates", async () => {
    iam.on(GetRoleCommand).resolves({ Role: ourRole({ CreateDate: new Date(T0 - 20_000) }) });
    sts.on(AssumeRoleCommand).resolves(session('ASIAWORKSPACE0000001', T0 + 60 * MIN));
    ec2
      .on(CreateVpcEndpointCommand)
      .rejects(Object.assign(new Error('You are not authorized to perform this operation.'), { name: 'UnauthorizedOperation' }));
    await edge.ensureWorkspacePrincipal(WS);
    await expect(create()).rejects.toMatchObject({ code: 'propagating', retryable: true });
    clock = T0 + 30 * MIN;
    const err = await create().catch((e) => e);
    expect(err).toMatchObject({ code: 'not_authorized', retryable: false });
    expect(err.message).toMatch(/inline policy privatelink-portal-endpoints/);
  });

  it('keeps the ordinary words for errors that are not refusals', async () => {
    sts.on(AssumeRoleCommand).resolves(session('ASIAWORKSPACE0000001', T0 + 60 * MIN));
    ec2.on(DescribeVpcEndpointServicesCommand).rejects(Object.assign(new Error('does not exist'), { name: 'InvalidServiceName' }));
    await expect(edge.describeEndpointService('us-east-1', SERVICE, PRINCIPAL)).rejects.toMatchObject({
      code: 'unknown_service',
      retryable: false,
    });
  });
});

/**
 * The signature itself: EC2 here is a local HTTP server that records each request's Authorization header (STS and IAM
 * stay mocked), so what is checked is what AWS would see.
 */
describe('signed requests', () => {
  let server: Server;
  const seen: { action: string; accessKey: string; token?: string }[] = [];
  const saved = { ...process.env };
  const xml: Record<string, string> = {
    DescribeVpcEndpointServices: `<serviceDetailSet><item><serviceName>${SERVICE}</serviceName><availabilityZoneIdSet><item>use1-az2</item></availabilityZoneIdSet><acceptanceRequired>false</acceptanceRequired></item></serviceDetailSet>`,
    CreateVpcEndpoint: `<vpcEndpoint><vpcEndpointId>vpce-0123456789abcdef0</vpcEndpointId><serviceName>${SERVICE}</serviceName><vpcId>vpc-0aaaabbbbccccdddd</vpcId><state>pendingAcceptance</state></vpcEndpoint>`,
    DescribeVpcEndpoints: '<vpcEndpointSet/>',
  };

  // EC2 unmocked for these tests only (reset() stubs it again).
  beforeEach(() => ec2.restore());
  afterEach(() => ec2.reset());
  beforeAll(async () => {
    // The portal's own identity: the default chain finds these in the environment.
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIAPORTALDEFAULT001', AWS_SECRET_ACCESS_KEY: 'portal-secret' });
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        const action = new URLSearchParams(body).get('Action') ?? '';
        const accessKey = /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? '';
        seen.push({ action, accessKey, token: req.headers['x-amz-security-token'] as string | undefined });
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(
          `<${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId>${xml[action] ?? ''}</${action}Response>`,
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    process.env = saved;
    await new Promise((resolve) => server.close(resolve));
  });

  it("signs a workspace's EC2 calls with its role's session, and the portal's own calls with the default chain", async () => {
    const { port } = server.address() as AddressInfo;
    const local = new AwsEdge(layout, { ...options, requestTimeoutMs: 2_000, endpoint: `http://127.0.0.1:${port}` }, () => clock);
    iam.on(GetRoleCommand).resolves({ Role: ourRole() });
    iam.on(PutRolePolicyCommand).resolves({});
    sts.on(AssumeRoleCommand).resolves(session('ASIAWORKSPACE0000001', T0 + 60 * MIN));
    try {
      const as = await local.ensureWorkspacePrincipal(WS);
      expect((await local.describeEndpointService('us-east-1', SERVICE, as)).azIds).toEqual(['use1-az2']);
      await local.createVpcEndpoint({ region: 'us-east-1', caseId: CASE, as, serviceName: SERVICE, azIds: ['use1-az2'], clientToken: 't' });
      await local.findVpcEndpointsByCase('us-east-1', CASE);
    } finally {
      local.destroy();
    }
    expect(seen).toEqual([
      { action: 'DescribeVpcEndpointServices', accessKey: 'ASIAWORKSPACE0000001', token: 'token-of-ASIAWORKSPACE0000001' },
      { action: 'CreateVpcEndpoint', accessKey: 'ASIAWORKSPACE0000001', token: 'token-of-ASIAWORKSPACE0000001' },
      { action: 'DescribeVpcEndpoints', accessKey: 'AKIAPORTALDEFAULT001', token: undefined },
    ]);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });
});
