/**
 * The `sandbox` edge adapter: the embedded default (EDGE_PROVIDER unset). A simulated edge account kept in the same
 * database (schema edge_sandbox) that behaves like AWS: realistic IDs and DNS names, endpoints `pending` → `available`
 * after SANDBOX_DELAY_MS, `pendingAcceptance` until the service owner accepts, services visible only to the principals
 * their owner allowed (sandbox-world.ts), AZ mismatch errors, idempotent ClientTokens, and switchable faults
 * (sandbox-controls.ts). The customers' side acts only when a person acts in the simulated console
 * (sandbox-customer.ts; docs/design.md#the-customers-side-of-the-sandbox): no timer accepts anything. Its errors are
 * AWS-shaped and go through the same mapping as the aws adapter's.
 */
import 'server-only';
import { randomBytes } from 'node:crypto';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '@/db/index';
import { prepareOnce } from '@/db/prepared';
import {
  sandboxDnsChanges,
  sandboxDnsRecords,
  sandboxEndpointServices,
  sandboxFaults,
  sandboxIamRoles,
  sandboxTrafficBursts,
  sandboxVpcEndpoints,
  type SandboxVpcEndpoint,
} from '@/db/schema';
import type { FlowConfig } from '@/lib/providers/config';
import { EdgeError, type ErrorContext, mapAwsError } from './errors';
import type { EdgeLayout, EdgeRegion } from './layout';
import { normaliseDnsName, subnetsForAzIds, workspacePrincipal } from './naming';
import { sandboxRedshift } from './sandbox-redshift';
import { awsError, faultError, newVpcEndpointId, type SandboxFaultKind, sandboxDailyBytes, vpcEndpointDnsName } from './sandbox-shapes';
import { findService, visibleService } from './sandbox-world';
import { addDays } from '@/lib/domain/utc-day';
import {
  CASE_TAG,
  type CreateRedshiftEndpointRequest,
  type CreateVpcEndpointRequest,
  type DailyBytes,
  type DnsRecord,
  type EdgeAdapter,
  type EdgeOperation,
  type EndpointService,
  type MetricsTarget,
  type VpcEndpoint,
  type VpcEndpointState,
  type WorkspacePrincipal,
} from './types';

/**
 * The fault switched on for one call, if any, taken off its count: a data-modifying WITH query, which a write's call
 * runs first (SandboxEdge.run) and a read's call carries in the read's own statement (CarriedFault).
 */
function faultCheck(db: Db, operation: EdgeOperation) {
  return db.$with('fault').as(
    db
      .update(sandboxFaults)
      .set({ remaining: sql`${sandboxFaults.remaining} - 1` })
      .where(
        sql`${sandboxFaults.id} = (select id from ${sandboxFaults} where operation in (${operation}, '*') and (remaining is null or remaining > 0)
              order by id limit 1 for update skip locked)`,
      )
      .returning({ kind: sandboxFaults.kind }),
  );
}

/**
 * A call's fault check, carried by the statement of its first read: one round trip instead of two
 * (SandboxEdge.runReading). The read selects `kind` as `fault` from `one`, the check's single row, and left-joins what
 * it reads to it, so that a fault shows even when nothing matches:
 * `db.with(f.check).select({ fault: f.kind, row: table }).from(f.one).leftJoin(table, on)` — which `rows` does.
 */
export class CarriedFault {
  readonly check: ReturnType<typeof faultCheck>;
  readonly one: SQL;
  readonly kind = sql<string | null>`fault_check.kind`;

  constructor(
    private readonly db: Db,
    private readonly operation: EdgeOperation,
  ) {
    this.check = faultCheck(db, operation);
    this.one = sql`(select (select kind from ${this.check}) as kind) as fault_check`;
  }

  /** The rows of `table` that `on` finds, in the order given, read with the check: throws the fault if one is on. */
  async rows<TTable extends PgTable>(table: TTable, on: SQL | undefined, order?: SQL | PgColumn): Promise<TTable['$inferSelect'][]> {
    // Drizzle cannot type a join on a table the caller picks; the rows are the table's own, as `$inferSelect` says.
    const read = this.db
      .with(this.check)
      .select({ fault: this.kind, row: table as unknown as PgTable })
      .from(this.one)
      .leftJoin(table as unknown as PgTable, on);
    const found = await (order ? read.orderBy(order) : read);
    return this.found(found as { fault: string | null; row: TTable['$inferSelect'] | null }[]);
  }

  /** The rows found, once the fault — if one was switched on — is thrown: before anything acts on them, as AWS would. */
  found<R>(rows: { fault: string | null; row: R | null }[]): R[] {
    const kind = rows[0]?.fault;
    if (kind) throw faultError(kind as SandboxFaultKind, this.operation);
    return rows.flatMap((r) => (r.row ? [r.row] : []));
  }
}

export interface SandboxOptions {
  layout: EdgeLayout;
  flows: FlowConfig;
  /**
   * AWS's own time: pending → available, deleting → deleted, Redshift creating → active (twice this). Never the
   * customer's: acceptance waits for their act, however long.
   */
  delayMs: number;
  clock?: () => Date;
}

export class SandboxEdge implements EdgeAdapter {
  readonly kind = 'sandbox' as const;
  private readonly clock: () => Date;
  private readonly redshift: ReturnType<typeof sandboxRedshift>;

  constructor(
    private readonly db: Db,
    private readonly options: SandboxOptions,
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.redshift = sandboxRedshift(
      db,
      options,
      this.clock,
      (ctx, fn) => this.run(ctx, fn),
      (ctx, fn) => this.runReading(ctx, fn),
    );
  }

  /** One simulated call: an injected fault first, as AWS would fail before doing anything; errors mapped to words. */
  async run<T>(ctx: ErrorContext, fn: () => Promise<T>): Promise<T> {
    try {
      const check = faultCheck(this.db, ctx.operation);
      const [fault] = await this.db.with(check).select().from(check);
      if (fault) throw faultError(fault.kind as SandboxFaultKind, ctx.operation);
      return await fn();
    } catch (err) {
      throw mapAwsError(err, ctx);
    }
  }

  /**
   * One simulated call that starts with a read: `fn` reads through `fault.rows` (a prepared read carries `fault.check`
   * itself and hands its rows to `fault.found`), which throws the fault, if one was switched on, before anything acts
   * on the rows — as run() would have.
   */
  async runReading<T>(ctx: ErrorContext, fn: (fault: CarriedFault) => Promise<T>): Promise<T> {
    try {
      return await fn(new CarriedFault(this.db, ctx.operation));
    } catch (err) {
      throw mapAwsError(err, ctx);
    }
  }

  private region(region: string, operation: EdgeOperation): EdgeRegion {
    const r = this.options.layout.regions[region];
    if (!r) throw new EdgeError('invalid_request', `The sandbox edge account has no VPC in ${region}.`, operation);
    return r;
  }

  /**
   * Reads an endpoint, moving it along in time as AWS would have (pending → available, deletion). pendingAcceptance
   * never moves by itself: only the service owner's answer does (sandbox-customer.ts).
   */
  private async advance(row: SandboxVpcEndpoint): Promise<SandboxVpcEndpoint> {
    const now = this.clock().getTime();
    let { state } = row;
    let since = row.stateSince.getTime();
    if (state === 'pending' && now - since >= this.options.delayMs) {
      state = 'available';
      since += this.options.delayMs;
    }
    if (state === 'deleting' && now - since >= this.options.delayMs) {
      state = 'deleted';
      since += this.options.delayMs;
    }
    if (state === row.state) return row;
    const stateSince = new Date(since);
    await this.db
      .update(sandboxVpcEndpoints)
      .set({ state, stateSince, ...(state === 'deleted' ? { deletedAt: stateSince } : {}) })
      .where(and(eq(sandboxVpcEndpoints.id, row.id), eq(sandboxVpcEndpoints.state, row.state)));
    return { ...row, state, stateSince };
  }

  private view(row: SandboxVpcEndpoint): VpcEndpoint {
    return {
      id: row.id,
      serviceName: row.serviceName,
      vpcId: row.vpcId,
      state: row.state as VpcEndpointState,
      dnsName: row.dnsName,
      subnetIds: row.subnetIds,
      tags: row.tags,
    };
  }

  ensureWorkspacePrincipal(workspaceId: string): Promise<WorkspacePrincipal> {
    return this.run({ operation: 'ensureWorkspaceRole' }, async () => {
      const principal = workspacePrincipal(this.options.layout.accountId, workspaceId);
      // IAM CreateRole, tagged with the workspace; a role that already exists is the one to use.
      await this.db
        .insert(sandboxIamRoles)
        .values({ name: principal.roleName, arn: principal.arn, tags: { 'portal:workspace-id': workspaceId }, createdAt: this.clock() })
        .onConflictDoNothing();
      return principal;
    });
  }

  /** AWS's answer for a service the caller may not see: the same as for one that does not exist, and no owner. */
  private static noSuchService(serviceName: string): Error {
    return awsError('InvalidServiceName', `The Vpc Endpoint Service '${serviceName}' does not exist`);
  }

  describeEndpointService(region: string, serviceName: string, as: WorkspacePrincipal): Promise<EndpointService> {
    return this.runReading({ operation: 'describeEndpointService', region, serviceName, principal: as.arn }, async (fault) => {
      const { layout, flows } = this.options;
      const [read] = await fault.rows(sandboxEndpointServices, eq(sandboxEndpointServices.serviceName, serviceName));
      const service = await visibleService(this.db, layout, flows, region, serviceName, as.arn, read ?? null);
      if (!service) throw SandboxEdge.noSuchService(serviceName);
      return { serviceName, azIds: service.azIds, acceptanceRequired: service.acceptanceRequired };
    });
  }

  findVpcEndpointsByCase(region: string, caseId: string): Promise<VpcEndpoint[]> {
    return this.runReading({ operation: 'findVpcEndpointsByCase', region }, async (fault) => {
      const rows = await fault.rows(
        sandboxVpcEndpoints,
        and(eq(sandboxVpcEndpoints.region, region), sql`${sandboxVpcEndpoints.tags}->>${CASE_TAG} = ${caseId}`),
        sandboxVpcEndpoints.createdAt,
      );
      return Promise.all(rows.map(async (r) => this.view(await this.advance(r))));
    });
  }

  describeVpcEndpoint(region: string, id: string): Promise<VpcEndpoint | null> {
    return this.runReading({ operation: 'describeVpcEndpoint', region, resource: id }, async (fault) => {
      // The reconciler's most frequent read of the edge account: built once (db/prepared.ts).
      const read = prepareOnce(this.db, 'sandbox_describe_vpc_endpoint', (name) =>
        this.db
          .with(fault.check)
          .select({ fault: fault.kind, row: sandboxVpcEndpoints })
          .from(fault.one)
          .leftJoin(
            sandboxVpcEndpoints,
            and(eq(sandboxVpcEndpoints.id, sql.placeholder('id')), eq(sandboxVpcEndpoints.region, sql.placeholder('region'))),
          )
          .prepare(name),
      );
      const [row] = fault.found(await read.execute({ id, region }));
      return row ? this.view(await this.advance(row)) : null;
    });
  }

  createVpcEndpoint(req: CreateVpcEndpointRequest): Promise<VpcEndpoint> {
    return this.runReading(
      { operation: 'createVpcEndpoint', region: req.region, serviceName: req.serviceName, principal: req.as.arn },
      async (fault) => {
        // ClientToken: the same token returns the endpoint it made, whatever happened in between
        // (docs/facts.md#ec2-interface-vpc-endpoints). Read first, with the fault check: nothing is written before it.
        const [again] = await fault.rows(
          sandboxVpcEndpoints,
          and(eq(sandboxVpcEndpoints.region, req.region), eq(sandboxVpcEndpoints.clientToken, req.clientToken)),
        );
        const r = this.region(req.region, 'createVpcEndpoint');
        if (again) {
          if (again.serviceName !== req.serviceName)
            throw awsError(
              'IdempotentParameterMismatch',
              'The client token you have provided is associated with a resource that is already deleted or has different parameters.',
            );
          return this.view(await this.advance(again));
        }
        // AWS checks the calling principal against the service's allowed principals (docs/facts.md#allowed-principals).
        const service = await visibleService(this.db, this.options.layout, this.options.flows, req.region, req.serviceName, req.as.arn);
        if (!service) throw SandboxEdge.noSuchService(req.serviceName);
        const subnets = subnetsForAzIds(r, req.azIds);
        const outside = subnets.find((s) => !service.azIds.includes(s.azId));
        if (outside || subnets.length === 0) {
          throw awsError(
            'InvalidParameter',
            `The VPC endpoint service ${req.serviceName} does not support the availability zone of the subnet: ${outside?.subnetId ?? req.azIds.join(', ')}.`,
          );
        }
        const id = newVpcEndpointId();
        const now = this.clock();
        const [row] = await this.db
          .insert(sandboxVpcEndpoints)
          .values({
            id,
            region: req.region,
            serviceName: req.serviceName,
            vpcId: r.vpcId,
            state: service.acceptanceRequired ? 'pendingAcceptance' : 'pending',
            stateSince: now,
            subnetIds: subnets.map((s) => s.subnetId),
            azIds: subnets.map((s) => s.azId),
            securityGroupIds: r.securityGroupIds,
            dnsName: vpcEndpointDnsName(id, req.serviceName, req.region),
            clientToken: req.clientToken,
            requesterArn: req.as.arn,
            tags: { [CASE_TAG]: req.caseId, Name: `privatelink-portal ${req.caseId}` },
            createdAt: now,
          })
          .onConflictDoNothing()
          .returning();
        if (row) return this.view(row);
        // A concurrent create with the same token won the insert: answer with its endpoint, as EC2 would.
        const [raced] = await this.db
          .select()
          .from(sandboxVpcEndpoints)
          .where(and(eq(sandboxVpcEndpoints.region, req.region), eq(sandboxVpcEndpoints.clientToken, req.clientToken)));
        return this.view(raced!);
      },
    );
  }

  modifyVpcEndpointAzs(region: string, id: string, change: { addAzIds: string[]; removeAzIds: string[] }): Promise<void> {
    return this.run({ operation: 'modifyVpcEndpoint', region, resource: id }, async () => {
      const [row] = await this.db.select().from(sandboxVpcEndpoints).where(eq(sandboxVpcEndpoints.id, id));
      if (!row || row.state === 'deleted') throw awsError('InvalidVpcEndpointId.NotFound', `The vpcEndpoint ID '${id}' does not exist`);
      const service = await findService(this.db, this.options.layout, this.options.flows, region, row.serviceName);
      const add = subnetsForAzIds(this.region(region, 'modifyVpcEndpoint'), change.addAzIds);
      const bad = add.find((s) => !service?.azIds.includes(s.azId));
      if (bad)
        throw awsError(
          'InvalidParameter',
          `The VPC endpoint service ${row.serviceName} does not support the availability zone of the subnet: ${bad.subnetId}.`,
        );
      const azIds = [
        ...row.azIds.filter((a) => !change.removeAzIds.includes(a)),
        ...add.map((s) => s.azId).filter((a) => !row.azIds.includes(a)),
      ];
      const subnets = subnetsForAzIds(this.region(region, 'modifyVpcEndpoint'), azIds);
      await this.db
        .update(sandboxVpcEndpoints)
        .set({ azIds, subnetIds: subnets.map((s) => s.subnetId) })
        .where(eq(sandboxVpcEndpoints.id, id));
    });
  }

  deleteVpcEndpoint(region: string, id: string): Promise<void> {
    return this.run({ operation: 'deleteVpcEndpoint', region, resource: id }, async () => {
      await this.db
        .update(sandboxVpcEndpoints)
        .set({ state: 'deleting', stateSince: this.clock() })
        .where(and(eq(sandboxVpcEndpoints.id, id), sql`${sandboxVpcEndpoints.state} not in ('deleting', 'deleted')`));
    });
  }

  private zoneKnown(zoneId: string): boolean {
    return Object.values(this.options.layout.regions).some((r) => r.hostedZones.some((z) => z.id === zoneId));
  }

  /**
   * Route 53 GetChange: a change is PENDING until SANDBOX_DELAY_MS passed since it was submitted, by the adapter's
   * clock, then INSYNC (docs/facts.md#route-53-change-status). An ID it never handed out is AWS's NoSuchChange.
   */
  getDnsChangeStatus(changeId: string): Promise<'PENDING' | 'INSYNC'> {
    return this.runReading({ operation: 'getDnsChange', resource: `change ${changeId}` }, async (fault) => {
      const id = changeId.replace(/^\/change\//, '');
      const [change] = await fault.rows(sandboxDnsChanges, eq(sandboxDnsChanges.id, id));
      if (!change) throw awsError('NoSuchChange', `A change with the specified change ID does not exist: ${id}`, 404);
      if (change.status === 'INSYNC') return 'INSYNC';
      const now = this.clock();
      if (now.getTime() - change.submittedAt.getTime() < this.options.delayMs) return 'PENDING';
      await this.db.update(sandboxDnsChanges).set({ status: 'INSYNC' }).where(eq(sandboxDnsChanges.id, id));
      return 'INSYNC';
    });
  }

  upsertDnsRecords(records: DnsRecord[]): Promise<{ changeIds: string[] }> {
    return this.run({ operation: 'upsertDnsRecords', resource: records[0]?.hostedZoneId }, async () => {
      const unknown = records.find((r) => !this.zoneKnown(r.hostedZoneId));
      if (unknown) throw awsError('NoSuchHostedZone', `No hosted zone found with ID: ${unknown.hostedZoneId}`, 404);
      if (records.length === 0) return { changeIds: [] };
      const now = this.clock();
      // One change batch per zone, as Route 53 takes them; each PENDING until getDnsChangeStatus finds it in sync.
      // IDs shaped like AWS's: C and 13 upper-case letters and digits (returned without the /change/ prefix).
      const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
      const zones = [...new Set(records.map((r) => r.hostedZoneId))];
      const changes = zones.map(() => ({
        id: `C${[...randomBytes(13)].map((b) => chars[b % chars.length]).join('')}`,
        status: 'PENDING',
        submittedAt: now,
      }));
      // The records and their change batches in one statement (the batches as a data-modifying WITH: different
      // tables, so the order in which PostgreSQL runs the two does not matter).
      const batches = this.db
        .$with('batches')
        .as(this.db.insert(sandboxDnsChanges).values(changes).returning({ id: sandboxDnsChanges.id }));
      await this.db
        .with(batches)
        .insert(sandboxDnsRecords)
        .values(records.map((r) => ({ ...r, name: normaliseDnsName(r.name), value: normaliseDnsName(r.value), updatedAt: now })))
        .onConflictDoUpdate({
          target: [sandboxDnsRecords.hostedZoneId, sandboxDnsRecords.name, sandboxDnsRecords.type],
          set: { value: sql`excluded.value`, ttl: sql`excluded.ttl`, updatedAt: now },
        });
      return { changeIds: changes.map((c) => c.id) };
    });
  }

  deleteDnsRecords(records: DnsRecord[]): Promise<void> {
    return this.run({ operation: 'deleteDnsRecords', resource: records[0]?.hostedZoneId }, async () => {
      for (const r of records) {
        await this.db
          .delete(sandboxDnsRecords)
          .where(
            and(
              eq(sandboxDnsRecords.hostedZoneId, r.hostedZoneId),
              eq(sandboxDnsRecords.name, normaliseDnsName(r.name)),
              eq(sandboxDnsRecords.type, r.type),
            ),
          );
      }
    });
  }

  getDnsRecord(hostedZoneId: string, name: string, type: DnsRecord['type']): Promise<DnsRecord | null> {
    return this.run({ operation: 'getDnsRecord', resource: name }, async () => {
      const [r] = await this.db
        .select()
        .from(sandboxDnsRecords)
        .where(
          and(
            eq(sandboxDnsRecords.hostedZoneId, hostedZoneId),
            eq(sandboxDnsRecords.name, normaliseDnsName(name)),
            eq(sandboxDnsRecords.type, type),
          ),
        );
      return r ? { hostedZoneId, name: r.name, type, value: r.value, ttl: r.ttl } : null;
    });
  }

  describeRedshiftAuthorization(region: string, clusterIdentifier: string, grantor: string) {
    return this.redshift.describeAuthorization(region, clusterIdentifier, grantor);
  }

  createRedshiftEndpoint(request: CreateRedshiftEndpointRequest) {
    return this.redshift.create(request);
  }

  describeRedshiftEndpoint(region: string, name: string) {
    return this.redshift.describe(region, name);
  }

  deleteRedshiftEndpoint(region: string, name: string) {
    return this.redshift.remove(region, name);
  }

  getDailyBytesProcessed(t: MetricsTarget, fromDay: string, toDay: string): Promise<DailyBytes[]> {
    return this.run({ operation: 'getDailyBytesProcessed', region: t.region, resource: t.vpcEndpointId }, async () => {
      const [row] = await this.db.select().from(sandboxVpcEndpoints).where(eq(sandboxVpcEndpoints.id, t.vpcEndpointId));
      // CloudWatch answers nothing (not an error) when the dimensions match no metric.
      if (!row || row.serviceName !== t.serviceName || row.vpcId !== t.vpcId) return [];
      const until = new Date(Math.min(this.clock().getTime(), row.deletedAt?.getTime() ?? Infinity));
      // One-off transfers set from the sandbox controls add to the day's rate (docs/design.md#sandbox-traffic).
      const bursts = await this.db
        .select({ day: sandboxTrafficBursts.day, bytes: sandboxTrafficBursts.bytes })
        .from(sandboxTrafficBursts)
        .where(and(eq(sandboxTrafficBursts.vpcEndpointId, row.id), sql`${sandboxTrafficBursts.day} between ${fromDay} and ${toDay}`));
      const extra = new Map(bursts.map((b) => [b.day, b.bytes]));
      const out: DailyBytes[] = [];
      for (let day = fromDay; day <= toDay; day = addDays(day, 1)) {
        const bytes = sandboxDailyBytes(row.id, day, row.createdAt, until, row.trafficGibPerDay) + (extra.get(day) ?? 0);
        if (bytes > 0) out.push({ day, bytes });
      }
      return out;
    });
  }
}
