'use client';

import { useRouter } from 'next/navigation';
import { type ReactNode, startTransition, useState } from 'react';
import { Badge } from '@/app/_components/ui/badge';
import { Button } from '@/app/_components/ui/button';
import { CopyField } from '@/app/_components/ui/copy-field';
import type { SandboxConsoleView } from '@/lib/cloud/sandbox-customer';
import {
  allowPrincipalAction,
  answerConnectionAction,
  authorizeRedshiftAction,
  createNlbServiceAction,
  createRedshiftClusterAction,
  registerDatabricksEndpointAction,
  removePrincipalAction,
  setServiceAzsAction,
  snowflakeAuthorizeAction,
} from '../../sandbox-actions';

type SandboxAccountData = SandboxConsoleView;

type Result = { ok: true; data: { message: string } } | { ok: false; message: string };

const input = 'mt-1 block w-full rounded-md border border-slate-400 px-2 py-1.5 text-sm';
const NODE_TYPES = ['ra3.xlplus', 'ra3.large', 'ra3.4xlarge', 'ra3.16xlarge', 'dc2.large', 'dc2.8xlarge'];

function Part({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="mt-5 border-t border-slate-200 pt-4">
      <h3 id={id} className="text-base font-semibold text-slate-900">
        {title}
      </h3>
      {children}
    </section>
  );
}

/**
 * "Your AWS account (sandbox)": a stand-in for the customer's own AWS console, Snowflake support and Databricks
 * account console (docs/design.md#the-customers-side-of-the-sandbox). Nothing on the customer's side happens until
 * the person acts here; after each act the page refreshes, and the reconciler's progress arrives by live updates.
 */
export function SandboxAccount({ data }: { data: SandboxAccountData }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  async function run(fn: () => Promise<Result>) {
    setPending(true);
    setResult(null);
    const res = await fn();
    setPending(false);
    setResult(res.ok ? { ok: true, text: res.data.message } : { ok: false, text: res.message });
    if (res.ok) startTransition(() => router.refresh());
  }

  const { caseId, edge, prefill } = data;
  return (
    <section
      aria-labelledby="sandbox-account"
      className="mt-8 rounded-lg border-2 border-dashed border-violet-300 bg-violet-50/40 p-5"
      data-testid="sandbox-account"
    >
      <div className="flex flex-wrap items-center gap-3">
        <h2 id="sandbox-account" className="text-lg font-semibold text-slate-900">
          Your AWS account (sandbox)
        </h2>
        <Badge tone="info">Simulation</Badge>
      </div>
      <p className="mt-1 text-sm text-slate-800">
        This portal runs on a sandbox edge account, so this panel stands in for your own consoles: your AWS account
        {data.edgeKind === 'vendor_service_dns' ? `, ${data.warehouseName} support` : ''}
        {data.edgeKind === 'registered_endpoint_dns' ? `, your ${data.warehouseName} account` : ''}. Nothing on your side happens until you
        act here, exactly as with the real thing; no real resource is created.
      </p>
      <dl className="mt-3 grid gap-3 md:grid-cols-2">
        <CopyField label="Your sandbox AWS account ID" value={data.accountId} testId="sandbox-account-id" />
        {edge && data.edgeKind === 'customer_service' ? (
          <CopyField label="Workspace role to allow (edge principal ARN)" value={edge.principalArn} />
        ) : null}
      </dl>

      {data.edgeKind === 'customer_service' ? <RdsActs data={data} run={run} pending={pending} /> : null}
      {data.edgeKind === 'redshift_managed' ? <RedshiftActs data={data} run={run} pending={pending} /> : null}

      {data.edgeKind === 'vendor_service_dns' ? (
        <Part id="sandbox-snowflake" title={`${data.warehouseName} support case`}>
          {edge ? (
            <form
              className="mt-2 grid gap-3 sm:grid-cols-[1fr_auto] sm:items-end"
              onSubmit={(e) => {
                e.preventDefault();
                const privatelinkVpceId = String(new FormData(e.currentTarget).get('privatelinkVpceId') ?? '');
                void run(() => snowflakeAuthorizeAction({ caseId, privatelinkVpceId }));
              }}
            >
              <label className="text-sm font-medium text-slate-900">
                privatelink-vpce-id (from SYSTEM$GET_PRIVATELINK_CONFIG)
                <input name="privatelinkVpceId" defaultValue={prefill.privatelinkVpceId ?? ''} className={input} required />
              </label>
              <Button type="submit" disabled={pending}>
                Snowflake support authorizes our AWS account
              </Button>
              <p className="text-sm text-slate-700 sm:col-span-2">
                Support adds AWS account {edge.accountId} to the Snowflake service&apos;s allowed principals.{' '}
                {/* Known only for the privatelink-vpce-id the case already holds. */}
                {prefill.privatelinkVpceId ? (
                  data.snowflakeAuthorized ? (
                    <Badge tone="success">Authorized</Badge>
                  ) : (
                    <Badge tone="warning">Not authorized yet</Badge>
                  )
                ) : null}
              </p>
            </form>
          ) : (
            <p className="mt-1 text-sm text-slate-700">
              Once your CSM accepts the case, open the support case for the edge account shown here.
            </p>
          )}
        </Part>
      ) : null}

      {data.edgeKind === 'registered_endpoint_dns' ? (
        <Part id="sandbox-databricks" title={`${data.warehouseName} account console`}>
          {prefill.vpcEndpointId ? (
            <div className="mt-2 flex flex-wrap items-center gap-3">
              <p className="text-sm text-slate-800">
                VPC endpoint <code className="font-mono">{prefill.vpcEndpointId}</code>:{' '}
                <Badge tone={data.databricksEndpointState === 'pendingAcceptance' ? 'warning' : 'success'}>
                  {data.databricksEndpointState ?? 'unknown'}
                </Badge>
              </p>
              <Button
                type="button"
                disabled={pending || data.databricksEndpointState !== 'pendingAcceptance'}
                onClick={() => void run(() => registerDatabricksEndpointAction({ caseId, vpcEndpointId: prefill.vpcEndpointId! }))}
              >
                Register the endpoint in my Databricks account
              </Button>
            </div>
          ) : (
            <p className="mt-1 text-sm text-slate-700">The endpoint to register appears here once the portal has created it.</p>
          )}
        </Part>
      ) : null}

      <p
        role="status"
        aria-live="polite"
        data-testid="sandbox-result"
        className={
          result ? `mt-4 rounded-md p-2 text-sm ${result.ok ? 'bg-emerald-50 text-emerald-900' : 'bg-red-50 text-red-900'}` : 'sr-only'
        }
      >
        {result?.text}
      </p>
    </section>
  );
}

interface ActsProps {
  data: SandboxAccountData;
  run: (fn: () => Promise<Result>) => Promise<void>;
  pending: boolean;
}

function AzChoices({ name, all, chosen, legend }: { name: string; all: string[]; chosen: string[]; legend: string }) {
  return (
    <fieldset>
      <legend className="text-sm font-medium text-slate-900">{legend}</legend>
      <div className="mt-1 flex flex-wrap gap-3">
        {all.map((az) => (
          <label key={az} className="inline-flex items-center gap-1.5 text-sm text-slate-800">
            <input type="checkbox" name={name} value={az} defaultChecked={chosen.includes(az)} />
            {az}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function RdsActs({ data, run, pending }: ActsProps) {
  const { caseId, edge } = data;
  return (
    <>
      <Part id="sandbox-create-service" title="Create an endpoint service on your Network Load Balancer">
        <form
          className="mt-2 space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const azIds = f.getAll('azIds').map(String);
            void run(() => createNlbServiceAction({ caseId, acceptanceRequired: f.get('acceptanceRequired') === 'on', azIds }));
          }}
        >
          <AzChoices
            name="azIds"
            all={data.regionAzIds}
            chosen={[]}
            legend="Load balancer Availability Zones (none chosen: two or three of the first three)"
          />
          <label className="inline-flex items-center gap-2 text-sm text-slate-900">
            <input type="checkbox" name="acceptanceRequired" defaultChecked />
            Acceptance required (you accept each connection)
          </label>
          <div>
            <Button type="submit" disabled={pending}>
              Create endpoint service
            </Button>
          </div>
        </form>
      </Part>
      {data.services.map((s, i) => (
        <Part key={s.serviceName} id={`sandbox-service-${i}`} title={`Endpoint service ${s.serviceName.replace(/^.*\./, '')}`}>
          <dl className="mt-2 grid gap-3 md:grid-cols-2">
            <CopyField
              label="Service name"
              value={s.serviceName}
              testId="sandbox-service-name"
              help="Paste it into the setup's endpoint service name."
            />
            <div className="rounded-md bg-white p-3 text-sm ring-1 ring-slate-200">
              <dt className="text-xs font-semibold uppercase tracking-wide text-slate-700">Allowed principals</dt>
              <dd className="mt-1">
                {s.allowedPrincipals.length === 0 ? (
                  <span className="text-slate-700">None: nobody can see or connect to this service.</span>
                ) : (
                  <ul className="space-y-1">
                    {s.allowedPrincipals.map((p) => (
                      <li key={p} className="flex items-start justify-between gap-2">
                        <code className="break-all font-mono text-slate-900">{p}</code>
                        <Button
                          type="button"
                          variant="ghost"
                          className="px-2 py-0.5 text-xs"
                          aria-label={`Remove ${p}`}
                          disabled={pending}
                          onClick={() => void run(() => removePrincipalAction({ caseId, serviceName: s.serviceName, principalArn: p }))}
                        >
                          Remove
                        </Button>
                      </li>
                    ))}
                  </ul>
                )}
              </dd>
            </div>
          </dl>
          <form
            className="mt-3 grid gap-3 sm:grid-cols-[1fr_auto] sm:items-end"
            onSubmit={(e) => {
              e.preventDefault();
              const principalArn = String(new FormData(e.currentTarget).get('principalArn') ?? '');
              void run(() => allowPrincipalAction({ caseId, serviceName: s.serviceName, principalArn }));
            }}
          >
            <label className="text-sm font-medium text-slate-900">
              Principal ARN to allow
              <input
                name="principalArn"
                defaultValue={edge?.principalArn ?? ''}
                placeholder="arn:aws:iam::<account>:role/<name>"
                className={`${input} font-mono`}
                required
              />
            </label>
            <Button type="submit" variant="secondary" disabled={pending}>
              Allow principal
            </Button>
          </form>
          <form
            className="mt-3 space-y-2"
            onSubmit={(e) => {
              e.preventDefault();
              const azIds = new FormData(e.currentTarget).getAll('azIds').map(String);
              void run(() => setServiceAzsAction({ caseId, serviceName: s.serviceName, azIds }));
            }}
          >
            <AzChoices name="azIds" all={data.regionAzIds} chosen={s.azIds} legend="Load balancer Availability Zones" />
            <Button type="submit" variant="secondary" disabled={pending}>
              Change Availability Zones
            </Button>
          </form>
          <h4 className="mt-4 text-sm font-semibold text-slate-900">Endpoint connections</h4>
          {s.connections.length === 0 ? (
            <p className="text-sm text-slate-700">None yet.</p>
          ) : (
            <ul className="mt-1 space-y-2">
              {s.connections.map((cn) => (
                <li key={cn.id} className="flex flex-wrap items-center gap-3 text-sm">
                  <code className="font-mono">{cn.id}</code>
                  <Badge tone={cn.state === 'pendingAcceptance' ? 'warning' : cn.state === 'rejected' ? 'danger' : 'neutral'}>
                    {cn.state}
                  </Badge>
                  <span className="break-all text-slate-700">from {cn.requesterArn ?? 'unknown'}</span>
                  {cn.state === 'pendingAcceptance' ? (
                    <span className="flex gap-2">
                      <Button
                        type="button"
                        disabled={pending}
                        aria-label={`Accept ${cn.id}`}
                        onClick={() => void run(() => answerConnectionAction({ caseId, vpcEndpointId: cn.id, answer: 'accept' }))}
                      >
                        Accept
                      </Button>
                      <Button
                        type="button"
                        variant="danger"
                        disabled={pending}
                        aria-label={`Reject ${cn.id}`}
                        onClick={() => void run(() => answerConnectionAction({ caseId, vpcEndpointId: cn.id, answer: 'reject' }))}
                      >
                        Reject
                      </Button>
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </Part>
      ))}
    </>
  );
}

function RedshiftActs({ data, run, pending }: ActsProps) {
  const { caseId, edge, prefill } = data;
  return (
    <>
      <Part id="sandbox-create-cluster" title="Create a Redshift cluster">
        <form
          className="mt-2 grid gap-3 sm:grid-cols-2"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            void run(() =>
              createRedshiftClusterAction({
                caseId,
                clusterIdentifier: String(f.get('clusterIdentifier') ?? ''),
                nodeType: String(f.get('nodeType') ?? ''),
                relocationEnabled: f.get('relocationEnabled') === 'on',
                port: Number(f.get('port')),
              }),
            );
          }}
        >
          <label className="text-sm font-medium text-slate-900">
            Cluster identifier
            <input name="clusterIdentifier" defaultValue={prefill.clusterIdentifier ?? 'analytics-prod'} className={input} required />
          </label>
          <label className="text-sm font-medium text-slate-900">
            Node type
            <select
              name="nodeType"
              defaultValue={prefill.nodeType && NODE_TYPES.includes(prefill.nodeType) ? prefill.nodeType : 'ra3.xlplus'}
              className={input}
            >
              {NODE_TYPES.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </label>
          <label className="text-sm font-medium text-slate-900">
            Port
            <input name="port" inputMode="numeric" defaultValue={String(prefill.port ?? 5439)} className={input} required />
          </label>
          <label className="inline-flex items-center gap-2 self-end pb-2 text-sm text-slate-900">
            <input type="checkbox" name="relocationEnabled" defaultChecked />
            Cluster relocation on
          </label>
          <div className="sm:col-span-2">
            <Button type="submit" disabled={pending}>
              Create cluster
            </Button>
          </div>
        </form>
      </Part>
      {data.clusters.map((cl, i) => (
        <Part key={`${cl.account}/${cl.clusterIdentifier}`} id={`sandbox-cluster-${i}`} title={`Cluster ${cl.clusterIdentifier}`}>
          <p className="mt-1 text-sm text-slate-800">
            {cl.nodeType}, port {cl.port}, relocation {cl.relocationEnabled ? 'on' : 'off'}, account {cl.account}.{' '}
            {cl.grant ? (
              <Badge tone="success">
                Edge account authorized {cl.grant.allowedAllVpcs ? '(all VPCs)' : `(${cl.grant.vpcIds.join(', ')})`}
              </Badge>
            ) : (
              <Badge tone="warning">Not authorized</Badge>
            )}
          </p>
          {edge ? (
            <form
              className="mt-2 flex flex-wrap items-end gap-3"
              onSubmit={(e) => {
                e.preventDefault();
                const allVpcs = new FormData(e.currentTarget).get('scope') === 'all';
                void run(() => authorizeRedshiftAction({ caseId, clusterIdentifier: cl.clusterIdentifier, allVpcs }));
              }}
            >
              <fieldset>
                <legend className="text-sm font-medium text-slate-900">Grant to account {edge.accountId}</legend>
                <label className="mr-4 inline-flex items-center gap-1.5 text-sm">
                  <input type="radio" name="scope" value="vpc" defaultChecked /> VPC {edge.vpcId} only
                </label>
                <label className="inline-flex items-center gap-1.5 text-sm">
                  <input type="radio" name="scope" value="all" /> All its VPCs
                </label>
              </fieldset>
              <Button type="submit" variant="secondary" disabled={pending}>
                Authorize the edge account
              </Button>
            </form>
          ) : (
            <p className="mt-1 text-sm text-slate-700">Once your CSM accepts the case, you can grant the edge account shown here.</p>
          )}
        </Part>
      ))}
    </>
  );
}
