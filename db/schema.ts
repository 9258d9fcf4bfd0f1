import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgSchema,
  pgTable,
  serial,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { CASE_STATES } from '@/lib/domain/case-states';
import { ROLES } from '@/lib/domain/roles';
import type { Warehouse } from '@/lib/domain/warehouses';

// The domain's vocabulary, stored as PostgreSQL enums.
export const roleEnum = pgEnum('role', ROLES);
export const caseStateEnum = pgEnum('case_state', CASE_STATES);

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

export const workspaces = pgTable(
  'workspaces',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull().unique(),
    slug: text('slug').notNull().unique(),
    // The private beta's limits: 2 endpoints, 300 GB (GiB, as AWS bills) a month. Admins may override, audited
    // (docs/program-rules.md#beta-limits).
    endpointLimit: integer('endpoint_limit').notNull().default(2),
    monthlyTransferLimitGib: integer('monthly_transfer_limit_gib').notNull().default(300),
    limitOverrideReason: text('limit_override_reason'),
    // When every preflight check of the customer's details passes, the portal requests provisioning itself (the
    // engineer's approval stays). A CSM can turn this off (docs/design.md#two-staff-touches).
    autoRequestProvisioning: boolean('auto_request_provisioning').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('workspaces_endpoint_limit_range', sql`${t.endpointLimit} between 0 and 100`),
    check('workspaces_transfer_limit_range', sql`${t.monthlyTransferLimitGib} between 0 and 100000`),
  ],
);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull().unique(),
    name: text('name').notNull(),
    role: roleEnum('role').notNull(),
    workspaceId: uuid('workspace_id').references(() => workspaces.id),
    // bcrypt hash; null for users who only sign in through the staff IdP.
    passwordHash: text('password_hash'),
    disabled: boolean('disabled').notNull().default(false),
    // Carried in every session token; bumping it (sign-out, "sign out everywhere", disable, re-enable, role change)
    // ends every session issued before.
    sessionGeneration: integer('session_generation').notNull().default(0),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('users_workspace_idx').on(t.workspaceId),
    // Customers belong to exactly one workspace; staff to none.
    check('users_workspace_matches_role', sql`(${t.role} in ('customer_admin', 'customer_viewer')) = (${t.workspaceId} is not null)`),
    check('users_email_lowercase', sql`${t.email} = lower(${t.email})`),
  ],
);

// Failed sign-ins per account ("user:<email>") and per source address ("ip:<addr>"): lockout with backoff.
export const signInThrottle = pgTable('sign_in_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull().defaultNow(),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
});

export const cases = pgTable(
  'cases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // Human-friendly reference shown as PL-<number>.
    number: integer('number').generatedAlwaysAsIdentity({ startWith: 1001 }).notNull().unique(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    // Text, not an enum: the flows' registry is the list, and the app checks a warehouse against it on the way in
    // (docs/design.md#flows-and-the-registry), so a new flow needs no migration.
    warehouse: text('warehouse').$type<Warehouse>().notNull(),
    region: text('region').notNull(),
    state: caseStateEnum('state').notNull().default('draft'),
    // Optimistic concurrency: every write checks and bumps it.
    version: integer('version').notNull().default(1),
    // Customer inputs, validated per flow by lib/providers/<warehouse>.ts before they are stored.
    inputs: jsonb('inputs').$type<Record<string, unknown>>().notNull().default({}),
    // The names the inputs claim, as "<kind>:<value>" (lib/cases/claims.ts), written with the inputs and stamped with
    // the case version they were computed at, so that the cases claiming a name are found through an index. Null
    // means not known: a trigger clears both when inputs change without a new stamp, and such a case is read and
    // checked from its inputs (docs/design.md#names-have-one-owner).
    claims: text('claims').array(),
    claimsVersion: integer('claims_version'),
    // What the edge side hands back (endpoint ID, DNS name, URL…).
    outputs: jsonb('outputs').$type<Record<string, unknown>>().notNull().default({}),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    requestedBy: uuid('requested_by').references(() => users.id),
    approvedBy: uuid('approved_by').references(() => users.id),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    lastError: text('last_error'),
    // The last preflight run: each check's result as seen from the edge account, with its time (lib/preflight).
    preflight: jsonb('preflight').$type<Record<string, unknown>>(),
    // Reconciler bookkeeping: when to look next and who holds the lease.
    nextReconcileAt: timestamp('next_reconcile_at', { withTimezone: true }),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true }),
    reconcileAttempts: integer('reconcile_attempts').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('cases_workspace_state_idx').on(t.workspaceId, t.state),
    index('cases_state_updated_idx').on(t.state, t.updatedAt),
    index('cases_due_idx').on(t.nextReconcileAt).where(sql`${t.nextReconcileAt} is not null`),
    // Without fastupdate: new claims go straight into the index rather than a pending list every search must read.
    index('cases_claims_idx').using('gin', t.claims).with({ fastupdate: false }),
    index('cases_claims_unknown_idx').on(t.region).where(sql`${t.claims} is null`),
    check('cases_version_positive', sql`${t.version} > 0`),
  ],
);

export const caseEvents = pgTable(
  'case_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    event: text('event').notNull(),
    fromState: caseStateEnum('from_state'),
    toState: caseStateEnum('to_state').notNull(),
    // Null when the reconciler acted.
    actorId: uuid('actor_id').references(() => users.id),
    actorRole: text('actor_role').notNull(),
    note: text('note'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('case_events_case_idx').on(t.caseId, t.id)],
);

/**
 * Who may read a message on a case: `customer` is the conversation between the workspace and staff (its members see
 * it); `internal` is a staff note, never shown or sent to a customer (docs/design.md#conversations-on-a-case).
 */
export const MESSAGE_AUDIENCES = ['customer', 'internal'] as const;
export const messageAudienceEnum = pgEnum('message_audience', MESSAGE_AUDIENCES);

export const caseMessages = pgTable(
  'case_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    audience: messageAudienceEnum('audience').notNull(),
    authorId: uuid('author_id').references(() => users.id),
    authorRole: text('author_role').notNull(),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('case_messages_case_idx').on(t.caseId, t.audience, t.id)],
);

export const endpoints = pgTable(
  'endpoints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    region: text('region').notNull(),
    // 'interface' (EC2 VPC endpoint) or 'redshift_managed' (Redshift-managed VPC endpoint).
    kind: text('kind').notNull(),
    // vpce-… for interface endpoints, the endpoint name for Redshift-managed ones.
    awsId: text('aws_id'),
    // The interface VPC endpoint carrying the traffic (for Redshift-managed endpoints, the one Redshift made): the
    // `VPC Endpoint Id` dimension of the BytesProcessed metric (docs/facts.md#usage-metering).
    vpcEndpointId: text('vpc_endpoint_id'),
    serviceName: text('service_name'),
    state: text('state').notNull().default('creating'),
    dnsName: text('dns_name'),
    port: integer('port'),
    azIds: text('az_ids').array().notNull().default(sql`'{}'::text[]`),
    subnetIds: text('subnet_ids').array().notNull().default(sql`'{}'::text[]`),
    // What differs from what we provisioned, when something changed outside the portal.
    drift: jsonb('drift').$type<string[]>().notNull().default([]),
    lastReconciledAt: timestamp('last_reconciled_at', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: createdAt(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    // One live endpoint per case: the database refuses a second one even if the code tried.
    uniqueIndex('endpoints_one_live_per_case').on(t.caseId).where(sql`${t.deletedAt} is null`),
    // The dashboard filters by workspace and shows newest first (bench/endpoints.ts checks the plan uses it).
    index('endpoints_workspace_created_idx').on(t.workspaceId, t.createdAt),
    index('endpoints_created_idx').on(t.createdAt),
    check('endpoints_kind_known', sql`${t.kind} in ('interface', 'redshift_managed')`),
  ],
);

export const dnsRecords = pgTable(
  'dns_records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    endpointId: uuid('endpoint_id').references(() => endpoints.id),
    hostedZoneId: text('hosted_zone_id').notNull(),
    name: text('name').notNull(),
    type: text('type').notNull(),
    value: text('value').notNull(),
    ttl: integer('ttl').notNull().default(300),
    // The Route 53 change that wrote the record, and when GetChange reported it INSYNC (a case goes active only then).
    changeId: text('change_id'),
    inSyncAt: timestamp('in_sync_at', { withTimezone: true }),
    createdAt: createdAt(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('dns_records_live_name').on(t.hostedZoneId, t.name, t.type).where(sql`${t.deletedAt} is null`),
    index('dns_records_case_idx').on(t.caseId),
  ],
);

// AWS/PrivateLinkEndpoints BytesProcessed, summed per endpoint per UTC day (docs/facts.md#usage-metering).
export const usageDaily = pgTable(
  'usage_daily',
  {
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => endpoints.id),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    day: date('day', { mode: 'string' }).notNull(),
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.endpointId, t.day] }),
    index('usage_daily_workspace_day_idx').on(t.workspaceId, t.day),
    check('usage_daily_bytes_nonnegative', sql`${t.bytes} >= 0`),
  ],
);

// usage_daily summed per endpoint per UTC calendar month, kept by triggers on usage_daily in the transaction that writes
// the days, so the dashboard sorts by this month's bytes without summing every endpoint's days (docs/design.md#usage).
export const usageMonthly = pgTable(
  'usage_monthly',
  {
    // A derived total: it goes with its endpoint (usage_daily, the record, still guards the endpoint's deletion).
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => endpoints.id, { onDelete: 'cascade' }),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    /** The first day of the UTC month. */
    month: date('month', { mode: 'string' }).notNull(),
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.endpointId, t.month] }),
    index('usage_monthly_month_bytes_idx').on(t.month, t.bytes, t.endpointId),
    index('usage_monthly_workspace_month_idx').on(t.workspaceId, t.month),
    check('usage_monthly_bytes_nonnegative', sql`${t.bytes} >= 0`),
  ],
);

// Append-only: migration 0001 installs a trigger that rejects UPDATE and DELETE.
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorId: uuid('actor_id'),
    actorEmail: text('actor_email'),
    actorRole: text('actor_role').notNull(),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    workspaceId: uuid('workspace_id'),
    requestId: text('request_id'),
    sourceIp: text('source_ip'),
    before: jsonb('before'),
    after: jsonb('after'),
    // The hash chain (docs/threat-model.md#a-tamper-evident-audit-log): set by the database's insert trigger, never
    // by the application. `seq` is the row's place in the chain, `hash` covers its content and `prev_hash`.
    seq: bigint('seq', { mode: 'number' }),
    prevHash: text('prev_hash'),
    hash: text('hash'),
  },
  (t) => [
    uniqueIndex('audit_log_seq_idx').on(t.seq),
    index('audit_log_at_idx').on(t.at),
    index('audit_log_actor_idx').on(t.actorId, t.at),
    index('audit_log_workspace_idx').on(t.workspaceId, t.at),
    index('audit_log_action_idx').on(t.action, t.at),
  ],
);

export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    workspaceId: uuid('workspace_id').references(() => workspaces.id),
    caseId: uuid('case_id').references(() => cases.id),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('notifications_user_idx').on(t.userId, t.createdAt)],
);

export type Workspace = typeof workspaces.$inferSelect;
export type User = typeof users.$inferSelect;
export type Case = typeof cases.$inferSelect;
export type CaseEvent = typeof caseEvents.$inferSelect;
export type CaseMessage = typeof caseMessages.$inferSelect;
export type Endpoint = typeof endpoints.$inferSelect;
export type AuditEntry = typeof auditLog.$inferInsert;
export type Notification = typeof notifications.$inferSelect;

// --- Usage thresholds: one row per workspace, UTC month and threshold, written in the transaction that
// notifies, so a threshold is announced once a month even when several reconcilers meter at once.
export const usageAlerts = pgTable(
  'usage_alerts',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    month: date('month', { mode: 'string' }).notNull(),
    threshold: integer('threshold').notNull(),
    monthBytes: bigint('month_bytes', { mode: 'number' }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.month, t.threshold] }),
    check('usage_alerts_threshold_known', sql`${t.threshold} in (80, 100)`),
  ],
);

// --- The sandbox edge account (lib/cloud/sandbox.ts): the embedded default's simulated AWS account. Kept in its own
// schema so it never mixes with the portal's data; with EDGE_PROVIDER=aws these tables stay empty.
export const edgeSandbox = pgSchema('edge_sandbox');

export const sandboxEndpointServices = edgeSandbox.table('endpoint_services', {
  serviceName: text('service_name').primaryKey(),
  region: text('region').notNull(),
  azIds: text('az_ids').array().notNull(),
  acceptanceRequired: boolean('acceptance_required').notNull(),
  // The principals allowed to see and connect to the service ('*' for everyone; an account root allows every
  // principal of that account), as ModifyVpcEndpointServicePermissions keeps them.
  allowedPrincipals: text('allowed_principals').array().notNull().default(sql`'{}'::text[]`),
  // The sandbox customer (workspace) whose simulated AWS account owns the service; null for a vendor's service.
  workspaceId: uuid('workspace_id'),
  // Deleted by its owner: DescribeVpcEndpointServices fails for everyone.
  removed: boolean('removed').notNull().default(false),
  createdAt: createdAt(),
});

// IAM roles the portal made in the sandbox edge account (one per workspace).
export const sandboxIamRoles = edgeSandbox.table('iam_roles', {
  name: text('name').primaryKey(),
  arn: text('arn').notNull(),
  tags: jsonb('tags').$type<Record<string, string>>().notNull().default({}),
  createdAt: createdAt(),
});

// The customers' Redshift clusters, as their own (simulated) accounts hold them.
export const sandboxRedshiftClusters = edgeSandbox.table(
  'redshift_clusters',
  {
    region: text('region').notNull(),
    account: text('account').notNull(),
    clusterIdentifier: text('cluster_identifier').notNull(),
    workspaceId: uuid('workspace_id'),
    nodeType: text('node_type').notNull().default('ra3.xlplus'),
    relocationEnabled: boolean('relocation_enabled').notNull().default(true),
    port: integer('port').notNull().default(5439),
    status: text('status').notNull().default('available'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.region, t.account, t.clusterIdentifier] })],
);

// Route 53 change batches: PENDING until they propagate, then INSYNC (GetChange).
export const sandboxDnsChanges = edgeSandbox.table('dns_changes', {
  id: text('id').primaryKey(),
  status: text('status').notNull(),
  submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
});

export const sandboxVpcEndpoints = edgeSandbox.table(
  'vpc_endpoints',
  {
    id: text('id').primaryKey(),
    region: text('region').notNull(),
    serviceName: text('service_name').notNull(),
    vpcId: text('vpc_id').notNull(),
    state: text('state').notNull(),
    stateSince: timestamp('state_since', { withTimezone: true }).notNull(),
    subnetIds: text('subnet_ids').array().notNull(),
    azIds: text('az_ids').array().notNull(),
    securityGroupIds: text('security_group_ids').array().notNull(),
    dnsName: text('dns_name').notNull(),
    clientToken: text('client_token'),
    // The principal that created the endpoint (the service owner sees it under Endpoint connections).
    requesterArn: text('requester_arn'),
    tags: jsonb('tags').$type<Record<string, string>>().notNull().default({}),
    // Simulated traffic; null = the generated default.
    trafficGibPerDay: doublePrecision('traffic_gib_per_day'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    // EC2 idempotency: one endpoint per client token (per region, as the token is scoped to the regional API).
    uniqueIndex('sandbox_vpc_endpoints_client_token').on(t.region, t.clientToken),
    index('sandbox_vpc_endpoints_case_tag').on(sql`(${t.tags}->>'portal:case-id')`),
  ],
);

// One-off transfers through a sandbox endpoint on a UTC day, on top of its daily rate (a demo's bulk export that
// crosses a usage threshold: docs/design.md#sandbox-traffic). Added up per endpoint and day.
export const sandboxTrafficBursts = edgeSandbox.table(
  'traffic_bursts',
  {
    vpcEndpointId: text('vpc_endpoint_id')
      .notNull()
      .references(() => sandboxVpcEndpoints.id),
    day: date('day', { mode: 'string' }).notNull(),
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.vpcEndpointId, t.day] }), check('sandbox_traffic_bursts_bytes_nonnegative', sql`${t.bytes} >= 0`)],
);

export const sandboxDnsRecords = edgeSandbox.table(
  'dns_records',
  {
    hostedZoneId: text('hosted_zone_id').notNull(),
    name: text('name').notNull(),
    type: text('type').notNull(),
    value: text('value').notNull(),
    ttl: integer('ttl').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.hostedZoneId, t.name, t.type] })],
);

export const sandboxRedshiftAuthorizations = edgeSandbox.table(
  'redshift_authorizations',
  {
    region: text('region').notNull(),
    grantor: text('grantor').notNull(),
    clusterIdentifier: text('cluster_identifier').notNull(),
    grantee: text('grantee').notNull(),
    // 'Authorized' | 'Revoking' | 'Revoked' (revoked ones are not found, as in AWS).
    status: text('status').notNull(),
    vpcIds: text('vpc_ids').array().notNull(),
    allowedAllVpcs: boolean('allowed_all_vpcs').notNull().default(false),
    clusterPort: integer('cluster_port').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.region, t.grantor, t.clusterIdentifier] })],
);

export const sandboxRedshiftEndpoints = edgeSandbox.table(
  'redshift_endpoints',
  {
    region: text('region').notNull(),
    name: text('name').notNull(),
    clusterIdentifier: text('cluster_identifier').notNull(),
    resourceOwner: text('resource_owner').notNull(),
    subnetGroupName: text('subnet_group_name').notNull(),
    securityGroupIds: text('security_group_ids').array().notNull(),
    status: text('status').notNull(),
    stateSince: timestamp('state_since', { withTimezone: true }).notNull(),
    address: text('address').notNull(),
    port: integer('port').notNull(),
    vpcEndpointId: text('vpc_endpoint_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.region, t.name] })],
);

// Switchable faults: the next matching calls fail the way AWS fails. `remaining` null = until cleared.
export const sandboxFaults = edgeSandbox.table('faults', {
  id: serial('id').primaryKey(),
  operation: text('operation').notNull().default('*'),
  kind: text('kind').notNull(),
  remaining: integer('remaining'),
  createdAt: createdAt(),
});

export type UsageAlert = typeof usageAlerts.$inferSelect;
export type SandboxVpcEndpoint = typeof sandboxVpcEndpoints.$inferSelect;

// --- The outbox (docs/design.md#the-outbox): every outbound message (chat webhook, e-mail) is a row written in the
// transaction of the event that causes it, and delivered by a loop that claims rows with a lease. The row's id is the
// delivery id the receiver sees (the webhook payload's `delivery_id`, the e-mail's Message-ID), so a message sent
// again after a crash is recognisably the same message.
export const outbox = pgTable(
  'outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // 'email' | 'webhook'
    channel: text('channel').notNull(),
    // A notification kind (lib/notifications/rules.ts) or a reminder kind.
    kind: text('kind').notNull(),
    caseId: uuid('case_id').references(() => cases.id),
    workspaceId: uuid('workspace_id').references(() => workspaces.id),
    // E-mail: the recipient, and their address when the message was written.
    userId: uuid('user_id').references(() => users.id),
    recipient: text('recipient'),
    subject: text('subject').notNull(),
    // E-mail: { text, html }; webhook: the chat message (Slack-compatible JSON).
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    // pending → sent | failed (gave up, reason in last_error) | held (no transport configured: kept, shown to staff)
    // | cancelled (a reminder whose case moved on before it went out).
    state: text('state').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true }),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index('outbox_due_idx').on(t.nextAttemptAt).where(sql`${t.state} = 'pending'`),
    index('outbox_state_created_idx').on(t.state, t.createdAt),
    index('outbox_case_idx').on(t.caseId),
    check('outbox_channel_known', sql`${t.channel} in ('email', 'webhook')`),
    check('outbox_state_known', sql`${t.state} in ('pending', 'sent', 'failed', 'held', 'cancelled')`),
    check('outbox_email_has_recipient', sql`(${t.channel} = 'email') = (${t.recipient} is not null)`),
  ],
);

// E-mail a user turned off, per notification kind (in-app notifications always stay). No row: e-mail on.
export const emailOptOuts = pgTable(
  'email_opt_outs',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);

// Reminders sent: one row per case, waiting period (the case event that started the wait) and nth reminder, so that
// concurrent loops and restarts send each reminder once. Written in the transaction that writes its outbox rows.
export const caseReminders = pgTable(
  'case_reminders',
  {
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    sinceEventId: bigint('since_event_id', { mode: 'number' }).notNull(),
    // 'customer' (e-mail to the workspace admins) | 'staff' (the chat channel)
    audience: text('audience').notNull(),
    n: integer('n').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.sinceEventId, t.audience, t.n] })],
);

export type OutboxRow = typeof outbox.$inferSelect;

// --- The public API (docs/design.md#the-public-api). A token is shown once and kept only as the SHA-256 of its
// random text; it acts as its owner with the owner's current role, narrowed by its scope.
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    // The owner's workspace when the token was made (null for staff): a token never reaches another one.
    workspaceId: uuid('workspace_id').references(() => workspaces.id),
    name: text('name').notNull(),
    // 'read' (GET only) | 'write' (everything the owner's role allows)
    scope: text('scope').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    // The first characters of the token, shown in the list so its owner can tell tokens apart.
    prefix: text('prefix').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('api_tokens_user_idx').on(t.userId, t.createdAt), check('api_tokens_scope_known', sql`${t.scope} in ('read', 'write')`)],
);

// The first answer to each POST sent with an Idempotency-Key, per token: written in the transaction that does the
// work, so a repeat (even a concurrent one, which waits on the key) gets that answer and never does the work twice.
export const apiIdempotency = pgTable(
  'api_idempotency',
  {
    tokenId: uuid('token_id')
      .notNull()
      .references(() => apiTokens.id),
    key: text('key').notNull(),
    // SHA-256 of method, path and body: the same key with another request is refused.
    requestHash: text('request_hash').notNull(),
    status: integer('status'),
    body: jsonb('body'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tokenId, t.key] })],
);

// Requests per token in the current fixed window, shared by every server process.
export const apiRateLimits = pgTable('api_rate_limits', {
  tokenId: uuid('token_id')
    .primaryKey()
    .references(() => apiTokens.id),
  windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
  count: integer('count').notNull(),
});

export type ApiToken = typeof apiTokens.$inferSelect;
