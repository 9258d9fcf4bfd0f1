/**
 * The workspace roles of the edge account (docs/design.md#a-principal-per-workspace): the role each workspace's EC2
 * calls are made as, the two policy documents it carries, and the STS sessions the portal holds for it.
 */
import { CreateRoleCommand, GetRoleCommand, type IAMClient, PutRolePolicyCommand, type Role } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { EdgeError, type ErrorContext, mapAwsError } from './errors';
import type { EdgeLayout } from './layout';
import { workspacePrincipal } from './naming';
import { CASE_TAG, type WorkspacePrincipal } from './types';

/** Tags every workspace role carries; a role without them is not the portal's and is never adopted. */
const MANAGED_TAG = 'portal:managed';
const WORKSPACE_TAG = 'portal:workspace-id';

/** The name of the one inline policy of a workspace role. */
const WORKSPACE_POLICY_NAME = 'privatelink-portal-endpoints';

/** Sessions last an hour: the most AWS allows when the portal itself runs as a role (role chaining). */
const SESSION_SECONDS = 3600;

/** A session is replaced this long before it expires, so no call is signed with credentials about to lapse. */
const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

/**
 * How long after a role's creation an AccessDenied is taken for IAM still propagating it rather than a real refusal
 * (docs/facts.md#a-principal-per-workspace: usually seconds; the reconciler's backoff retries well within this).
 */
const PROPAGATION_WINDOW_MS = 5 * 60_000;

type Statement = {
  Sid: string;
  Effect: 'Allow';
  Action: string | string[];
  Resource?: string | string[];
  Principal?: { AWS: string };
  Condition?: Record<string, Record<string, string | string[]>>;
};
export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: Statement[];
}

/** The role trusts the portal's own principal (EDGE_CONFIG portalPrincipalArn) and nobody else. */
export function workspaceTrustPolicy(layout: EdgeLayout): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'OnlyThePortalMayActAsThisWorkspace',
        Effect: 'Allow',
        Principal: { AWS: layout.portalPrincipalArn },
        Action: 'sts:AssumeRole',
      },
    ],
  };
}

/**
 * What the portal does as a workspace, and nothing more: read an endpoint service (which AWS answers only for
 * principals the service allows) and create a tagged interface endpoint in the edge network. Everything else — finding,
 * describing, modifying and deleting endpoints, DNS, Redshift, metrics — the portal does as itself
 * (docs/edge-iam-policy.json). Pure: derived from the layout alone, so a layout change reaches every role the next
 * time it is ensured.
 */
export function workspaceRolePolicy(layout: EdgeLayout): PolicyDocument {
  const partition = layout.portalPrincipalArn.split(':')[1] ?? 'aws';
  const regions = Object.keys(layout.regions);
  const arn = (region: string, resource: string) => `arn:${partition}:ec2:${region}:${layout.accountId}:${resource}`;
  const endpointArns = regions.map((r) => arn(r, 'vpc-endpoint/*'));
  const network = Object.entries(layout.regions).flatMap(([r, edge]) => [
    arn(r, `vpc/${edge.vpcId}`),
    ...edge.subnets.map((s) => arn(r, `subnet/${s.subnetId}`)),
    ...edge.securityGroupIds.map((sg) => arn(r, `security-group/${sg}`)),
  ]);
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DescribeServicesHasNoResourceLevelPermissions',
        Effect: 'Allow',
        Action: 'ec2:DescribeVpcEndpointServices',
        Resource: '*',
        Condition: { StringEquals: { 'aws:RequestedRegion': regions } },
      },
      {
        Sid: 'CreateInterfaceEndpointsOnlyWithTheCaseTag',
        Effect: 'Allow',
        Action: 'ec2:CreateVpcEndpoint',
        Resource: endpointArns,
        Condition: { Null: { [`aws:RequestTag/${CASE_TAG}`]: 'false' } },
      },
      { Sid: 'CreateInterfaceEndpointsOnlyInTheEdgeNetwork', Effect: 'Allow', Action: 'ec2:CreateVpcEndpoint', Resource: network },
      {
        Sid: 'TagEndpointsOnlyWhileCreatingThem',
        Effect: 'Allow',
        Action: 'ec2:CreateTags',
        Resource: endpointArns,
        Condition: { StringEquals: { 'ec2:CreateAction': 'CreateVpcEndpoint' } },
      },
    ],
  };
}

/** A workspace role as the portal knows it: the principal, and when IAM created the role. */
export interface EnsuredRole {
  principal: WorkspacePrincipal;
  createdAt: Date;
}

const NO_SUCH_ENTITY = new Set(['NoSuchEntity', 'NoSuchEntityException']);
const ALREADY_EXISTS = new Set(['EntityAlreadyExists', 'EntityAlreadyExistsException']);
const CONCURRENT = new Set(['ConcurrentModification', 'ConcurrentModificationException']);
const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);

const nameOf = (err: unknown) => (err as { name?: string } | null)?.name ?? '';

function tagsOf(role: Role): Record<string, string> {
  return Object.fromEntries((role.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}

/** The role of that name, or null; a role that exists but is not the portal's is refused, never adopted. */
async function getRole(iam: IAMClient, principal: WorkspacePrincipal, ctx: ErrorContext): Promise<Role | null> {
  let role: Role | undefined;
  try {
    role = (await iam.send(new GetRoleCommand({ RoleName: principal.roleName }))).Role;
  } catch (err) {
    if (NO_SUCH_ENTITY.has(nameOf(err))) return null;
    throw mapAwsError(err, ctx);
  }
  if (!role) return null;
  const tags = tagsOf(role);
  const ours =
    tags[MANAGED_TAG] === 'true' &&
    tags[WORKSPACE_TAG]?.toLowerCase() === principal.workspaceId.toLowerCase() &&
    (role.Path ?? '/') === '/';
  if (!ours) {
    throw new EdgeError(
      'invalid_request',
      `The edge account already has a role named ${principal.roleName} that the portal did not create (it lacks the tags ${MANAGED_TAG}=true and ${WORKSPACE_TAG}=${principal.workspaceId}, or has an IAM path): the portal will not act as a role it does not own. An engineer must find out whose role it is and delete or rename it, then retry.`,
      ctx.operation,
    );
  }
  return role;
}

/**
 * Make sure the workspace's role exists, is the portal's, and carries the current inline policy. GetRole first; on
 * NoSuchEntity, CreateRole (no path, trusting the portal only, tagged); a concurrent create (EntityAlreadyExists) is
 * read back and checked like any existing role. PutRolePolicy then writes the policy (a replace: idempotent).
 */
export async function ensureWorkspaceRole(iam: IAMClient, layout: EdgeLayout, workspaceId: string): Promise<EnsuredRole> {
  const principal = workspacePrincipal(layout.accountId, workspaceId);
  const ctx: ErrorContext = { operation: 'ensureWorkspaceRole', resource: `role ${principal.roleName}` };
  let role = await getRole(iam, principal, ctx);
  if (!role) {
    try {
      role =
        (
          await iam.send(
            new CreateRoleCommand({
              RoleName: principal.roleName,
              // No Path: ModifyVpcEndpointServicePermissions refuses principal ARNs with one.
              AssumeRolePolicyDocument: JSON.stringify(workspaceTrustPolicy(layout)),
              // IAM allows only Latin-1 here: no typographic dashes.
              Description: `PrivateLink Portal: the edge account acting for workspace ${workspaceId}. Managed by the portal; do not edit.`,
              MaxSessionDuration: SESSION_SECONDS,
              Tags: [
                { Key: WORKSPACE_TAG, Value: workspaceId },
                { Key: MANAGED_TAG, Value: 'true' },
              ],
            }),
          )
        ).Role ?? null;
    } catch (err) {
      if (!ALREADY_EXISTS.has(nameOf(err))) throw mapAwsError(err, ctx);
      // Another reconciler created it a moment ago: read it back (and refuse it if it is someone else's after all).
      role = await getRole(iam, principal, ctx);
      if (!role) {
        throw new EdgeError(
          'propagating',
          `IAM says the role ${principal.roleName} exists but cannot show it yet (IAM is eventually consistent); the portal retries.`,
          ctx.operation,
          nameOf(err),
        );
      }
    }
  }
  try {
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: principal.roleName,
        PolicyName: WORKSPACE_POLICY_NAME,
        PolicyDocument: JSON.stringify(workspaceRolePolicy(layout)),
      }),
    );
  } catch (err) {
    if (CONCURRENT.has(nameOf(err))) {
      throw new EdgeError(
        'propagating',
        `Another portal process is writing the policy of ${principal.roleName} at the same moment; the portal retries.`,
        ctx.operation,
        nameOf(err),
      );
    }
    throw mapAwsError(err, ctx);
  }
  return { principal, createdAt: role?.CreateDate ?? new Date() };
}

/** Temporary credentials, in the shape the SDK's clients take as `credentials`. */
export interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** RoleSessionName (2–64 of [\w+=,.@-]): shows in CloudTrail next to the role, naming the workspace. */
function roleSessionName(workspaceId: string): string {
  return `plp-${workspaceId.replace(/[^\w+=,.@-]/g, '')}`.slice(0, 64);
}

/** Whether IAM may still be propagating a role created at `createdAt` (so a refusal now may be gone in seconds). */
function mayBePropagating(createdAt: Date | undefined, now: number): boolean {
  return createdAt !== undefined && now - createdAt.getTime() < PROPAGATION_WINDOW_MS;
}

/**
 * The error of a call made as a workspace role, in words. An AccessDenied (from STS AssumeRole, or from EC2 while the
 * role's policy propagates) shortly after the role was created is `propagating` and retried; later it is a real
 * refusal, and the words say which two policies to check.
 */
export function workspaceCallError(
  err: unknown,
  ctx: ErrorContext,
  principal: WorkspacePrincipal,
  detail: { createdAt?: Date; now: number; portalPrincipalArn: string; assuming: boolean },
): EdgeError {
  if (err instanceof EdgeError) return err;
  const code = nameOf(err) || 'Error';
  if (!DENIED.has(code)) return mapAwsError(err, ctx);
  const message = (err as { message?: string }).message;
  const aws = message ? ` (AWS said: ${code}: ${message})` : ` (AWS error ${code})`;
  const where = ctx.region ? ` in ${ctx.region}` : '';
  if (mayBePropagating(detail.createdAt, detail.now)) {
    return new EdgeError(
      'propagating',
      `The workspace role ${principal.roleName} was created moments ago and IAM has not made it usable everywhere yet (IAM is eventually consistent); the portal retries ${ctx.operation}${where} in a few seconds.${aws}`,
      ctx.operation,
      code,
    );
  }
  if (detail.assuming) {
    return new EdgeError(
      'not_authorized',
      `The portal may not act as the workspace role ${principal.arn} for ${ctx.operation}${where}: an engineer must check that the portal's own IAM policy allows sts:AssumeRole on role/plp-ws-* (docs/edge-iam-policy.json) and that the role trusts the identity the portal runs as (portalPrincipalArn in EDGE_CONFIG, now ${detail.portalPrincipalArn}), then retry.${aws}`,
      ctx.operation,
      code,
    );
  }
  return new EdgeError(
    'not_authorized',
    `The workspace role ${principal.roleName} is not allowed ${ctx.operation}${where}: its inline policy ${WORKSPACE_POLICY_NAME} is rewritten from the edge layout each time the role is ensured, so an engineer should check that the layout (EDGE_CONFIG) lists this region, VPC, subnets and security groups, then retry.${aws}`,
    ctx.operation,
    code,
  );
}

/**
 * STS sessions of the workspace roles, one per role, shared by every region's clients and renewed
 * REFRESH_BEFORE_EXPIRY_MS before they expire. A pending AssumeRole is shared by concurrent callers; a failed one is
 * forgotten, so the next call tries again.
 *
 * Why not `fromTemporaryCredentials` (@aws-sdk/credential-providers): it sends AssumeRole through its own STS client
 * from @aws-sdk/nested-clients (not this client, its endpoint or its tests' mocks), it does not cache — the caching is
 * each SDK client's, so one session per region client — and its failure surfaces as the EC2 call's, too late to say
 * "IAM has not propagated the new role yet". Here, one AssumeRole per workspace, with a clock tests can move.
 */
export class WorkspaceSessions {
  private readonly sessions = new Map<string, { credentials: Promise<SessionCredentials>; expiresAt?: number }>();

  constructor(
    private readonly sts: (region: string) => STSClient,
    private readonly now: () => number = Date.now,
  ) {}

  /** Credentials of the role's session; AssumeRole (in `region`'s STS endpoint) only when none is fresh. */
  credentials(principal: WorkspacePrincipal, region: string): Promise<SessionCredentials> {
    const held = this.sessions.get(principal.arn);
    if (held && (held.expiresAt === undefined || held.expiresAt - this.now() > REFRESH_BEFORE_EXPIRY_MS)) return held.credentials;
    const entry: { credentials: Promise<SessionCredentials>; expiresAt?: number } = {
      credentials: this.assume(principal, region).then(
        (c) => {
          entry.expiresAt = c.expiration?.getTime() ?? this.now() + SESSION_SECONDS * 1000;
          return c;
        },
        (err) => {
          if (this.sessions.get(principal.arn) === entry) this.sessions.delete(principal.arn);
          throw err;
        },
      ),
    };
    this.sessions.set(principal.arn, entry);
    return entry.credentials;
  }

  private async assume(principal: WorkspacePrincipal, region: string): Promise<SessionCredentials> {
    const out = await this.sts(region).send(
      new AssumeRoleCommand({
        RoleArn: principal.arn,
        RoleSessionName: roleSessionName(principal.workspaceId),
        DurationSeconds: SESSION_SECONDS,
      }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) {
      throw Object.assign(new Error(`STS AssumeRole of ${principal.arn} returned no credentials`), {
        name: 'InternalFailure',
        $fault: 'server',
      });
    }
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
  }
}
