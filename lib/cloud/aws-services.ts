import { type CloudWatchClient, type GetMetricDataCommandInput, paginateGetMetricData } from '@aws-sdk/client-cloudwatch';
import {
  CreateEndpointAccessCommand,
  DeleteEndpointAccessCommand,
  type EndpointAccess,
  paginateDescribeEndpointAccess,
  paginateDescribeEndpointAuthorization,
  type RedshiftClient,
} from '@aws-sdk/client-redshift';
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListResourceRecordSetsCommand,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import { PAGINATION } from './aws-pages';
import { callAws, EdgeError, type ErrorContext, isAwsNotFound, mapAwsError } from './errors';
import type { EdgeRegion } from './layout';
import { normaliseDnsName } from './naming';
import type { CreateRedshiftEndpointRequest, DailyBytes, DnsRecord, MetricsTarget, RedshiftAuthorization, RedshiftEndpoint } from './types';
import { addDays, dayStart, utcDay } from '@/lib/domain/utc-day';

// --- Route 53: records in the edge VPC's private hosted zones. UPSERT makes a repeated write harmless.

const CHANGE_PREFIX = /^\/change\//;

export function awsDnsRecords(route53: () => Route53Client) {
  /**
   * A positioned read, not a listing: Route 53 lists a zone's records sorted by name, then type, from
   * StartRecordName/StartRecordType, so the record is the first one answered or is not there, and no further page
   * can hold it (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListResourceRecordSets.html).
   */
  async function get(hostedZoneId: string, name: string, type: DnsRecord['type']): Promise<DnsRecord | null> {
    const want = normaliseDnsName(name);
    const out = await callAws({ operation: 'getDnsRecord', resource: `${want} in ${hostedZoneId}` }, () =>
      route53().send(
        new ListResourceRecordSetsCommand({ HostedZoneId: hostedZoneId, StartRecordName: want, StartRecordType: type, MaxItems: 1 }),
      ),
    );
    const r = out.ResourceRecordSets?.[0];
    if (!r || normaliseDnsName(r.Name ?? '') !== want || r.Type !== type) return null;
    return { hostedZoneId, name: want, type, value: normaliseDnsName(r.ResourceRecords?.[0]?.Value ?? ''), ttl: r.TTL ?? 0 };
  }

  /** One change batch per zone; returns each batch's change ID (docs/facts.md#route-53-change-status). */
  async function change(action: 'UPSERT' | 'DELETE', records: DnsRecord[]): Promise<string[]> {
    const byZone = new Map<string, DnsRecord[]>();
    for (const r of records) byZone.set(r.hostedZoneId, [...(byZone.get(r.hostedZoneId) ?? []), r]);
    const changeIds: string[] = [];
    for (const [zone, rs] of byZone) {
      const operation = action === 'UPSERT' ? 'upsertDnsRecords' : 'deleteDnsRecords';
      const out = await callAws({ operation, resource: `hosted zone ${zone}` }, () =>
        route53().send(
          new ChangeResourceRecordSetsCommand({
            HostedZoneId: zone,
            ChangeBatch: {
              Comment: 'privatelink-portal',
              Changes: rs.map((r) => ({
                Action: action,
                ResourceRecordSet: { Name: r.name, Type: r.type, TTL: r.ttl, ResourceRecords: [{ Value: r.value }] },
              })),
            },
          }),
        ),
      );
      // ChangeInfo.Id comes as /change/C2682N5HXP0BZ4: kept bare, as the sandbox's are (the SDK strips the prefix
      // from GetChange's Id by itself, so either form would be accepted there).
      const id = out.ChangeInfo?.Id?.replace(CHANGE_PREFIX, '');
      if (id) changeIds.push(id);
    }
    return changeIds;
  }

  return {
    get,
    upsert: async (records: DnsRecord[]) => ({ changeIds: await change('UPSERT', records) }),
    /** GetChange: PENDING until every Route 53 server of the zone has the change, then INSYNC. */
    async changeStatus(changeId: string): Promise<'PENDING' | 'INSYNC'> {
      const id = changeId.replace(CHANGE_PREFIX, '');
      const out = await callAws({ operation: 'getDnsChange', resource: `change ${id}` }, () =>
        route53().send(new GetChangeCommand({ Id: id })),
      );
      return out.ChangeInfo?.Status === 'INSYNC' ? 'INSYNC' : 'PENDING';
    },
    /** DELETE must name the record exactly as it is: read each first, and skip the ones already gone. */
    async remove(records: DnsRecord[]) {
      const present: DnsRecord[] = [];
      for (const r of records) {
        const current = await get(r.hostedZoneId, r.name, r.type);
        if (current) present.push(current);
      }
      if (present.length > 0) await change('DELETE', present);
    },
  };
}

// --- Redshift-managed VPC endpoints (docs/facts.md#redshift-managed-vpc-endpoints).

function toRedshiftEndpoint(e: EndpointAccess): RedshiftEndpoint {
  return {
    name: e.EndpointName ?? '',
    clusterIdentifier: e.ClusterIdentifier ?? '',
    resourceOwner: e.ResourceOwner ?? '',
    status: (e.EndpointStatus ?? 'creating').toLowerCase(),
    address: e.Address?.toLowerCase() ?? null,
    port: e.Port ?? null,
    vpcEndpointId: e.VpcEndpoint?.VpcEndpointId ?? null,
  };
}

export function awsRedshift(redshift: (region: string) => RedshiftClient, layout: (region: string) => EdgeRegion) {
  const api = {
    async describeAuthorization(region: string, clusterIdentifier: string, grantor: string): Promise<RedshiftAuthorization | null> {
      const ctx: ErrorContext = {
        operation: 'describeRedshiftAuthorization',
        region,
        resource: `cluster ${clusterIdentifier} of account ${grantor}`,
      };
      try {
        // Grantee=true: Account is the grantor (the cluster owner) and we ask as the grantee.
        const pages = paginateDescribeEndpointAuthorization(
          { client: redshift(region), ...PAGINATION },
          { ClusterIdentifier: clusterIdentifier, Account: grantor, Grantee: true },
        );
        for await (const page of pages) {
          const a = page.EndpointAuthorizationList?.find((x) => x.ClusterIdentifier === clusterIdentifier && x.Grantor === grantor);
          if (a)
            return {
              clusterIdentifier,
              grantor,
              grantee: a.Grantee ?? '',
              status: a.Status ?? 'Authorized',
              allowedAllVpcs: a.AllowedAllVPCs ?? false,
              allowedVpcs: a.AllowedVPCs ?? [],
            };
        }
        return null;
      } catch (err) {
        if (isAwsNotFound(err)) return null;
        throw mapAwsError(err, ctx);
      }
    },

    async create(req: CreateRedshiftEndpointRequest): Promise<RedshiftEndpoint> {
      const r = layout(req.region);
      try {
        const out = await redshift(req.region).send(
          new CreateEndpointAccessCommand({
            ClusterIdentifier: req.clusterIdentifier,
            // The cluster is the customer's: ResourceOwner names their account
            // (docs/facts.md#redshift-managed-vpc-endpoints).
            ResourceOwner: req.resourceOwner,
            EndpointName: req.endpointName,
            SubnetGroupName: r.redshiftSubnetGroup,
            VpcSecurityGroupIds: r.securityGroupIds,
          }),
        );
        return toRedshiftEndpoint(out);
      } catch (err) {
        // The name is the idempotency key: a create repeated after a crash finds the endpoint the first one made.
        const name = (err as { name?: string }).name ?? '';
        if (name.startsWith('EndpointAlreadyExists')) {
          const existing = await api.describe(req.region, req.endpointName);
          if (existing && existing.clusterIdentifier === req.clusterIdentifier && existing.resourceOwner === req.resourceOwner)
            return existing;
        }
        throw mapAwsError(err, { operation: 'createRedshiftEndpoint', region: req.region, resource: `cluster ${req.clusterIdentifier}` });
      }
    },

    async describe(region: string, name: string): Promise<RedshiftEndpoint | null> {
      try {
        for await (const page of paginateDescribeEndpointAccess({ client: redshift(region), ...PAGINATION }, { EndpointName: name })) {
          const e = page.EndpointAccessList?.find((x) => x.EndpointName === name);
          if (e) return toRedshiftEndpoint(e);
        }
        return null;
      } catch (err) {
        if (isAwsNotFound(err)) return null;
        throw mapAwsError(err, { operation: 'describeRedshiftEndpoint', region, resource: name });
      }
    },

    async remove(region: string, name: string): Promise<void> {
      try {
        await redshift(region).send(new DeleteEndpointAccessCommand({ EndpointName: name }));
      } catch (err) {
        if (isAwsNotFound(err)) return;
        throw mapAwsError(err, { operation: 'deleteRedshiftEndpoint', region, resource: name });
      }
    },
  };
  return api;
}

// --- CloudWatch: BytesProcessed per endpoint per UTC day (dimension names with spaces: docs/facts.md#usage-metering).

export function awsMetrics(cloudwatch: (region: string) => CloudWatchClient) {
  return {
    async dailyBytes(t: MetricsTarget, fromDay: string, toDay: string): Promise<DailyBytes[]> {
      const start = dayStart(fromDay);
      const end = dayStart(addDays(toDay, 1));
      if (!(end > start)) throw new EdgeError('invalid_request', `Usage range ${fromDay}..${toDay} is empty.`, 'getDailyBytesProcessed');
      const totals = new Map<string, number>();
      const input: GetMetricDataCommandInput = {
        StartTime: start,
        EndTime: end,
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [
          {
            Id: 'bytes',
            ReturnData: true,
            MetricStat: {
              Metric: {
                Namespace: 'AWS/PrivateLinkEndpoints',
                MetricName: 'BytesProcessed',
                Dimensions: [
                  { Name: 'Endpoint Type', Value: 'Interface' },
                  { Name: 'Service Name', Value: t.serviceName },
                  { Name: 'VPC Endpoint Id', Value: t.vpcEndpointId },
                  { Name: 'VPC Id', Value: t.vpcId },
                ],
              },
              // One datapoint per UTC day: periods start at StartTime, which is a UTC midnight.
              Period: 86_400,
              Stat: 'Sum',
            },
          },
        ],
      };
      await callAws({ operation: 'getDailyBytesProcessed', region: t.region, resource: t.vpcEndpointId }, async () => {
        for await (const page of paginateGetMetricData({ client: cloudwatch(t.region), ...PAGINATION }, input)) {
          for (const r of page.MetricDataResults ?? []) {
            (r.Timestamps ?? []).forEach((ts, i) => {
              const day = utcDay(ts);
              totals.set(day, (totals.get(day) ?? 0) + Math.round(r.Values?.[i] ?? 0));
            });
          }
        }
      });
      return [...totals].sort(([a], [b]) => a.localeCompare(b)).map(([day, bytes]) => ({ day, bytes }));
    },
  };
}
