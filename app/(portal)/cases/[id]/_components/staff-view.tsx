import { CopyField } from '@/app/_components/ui/copy-field';
import type { Case } from '@/db/schema';
import type { CaseEvent, CaseMessage } from '@/db/queries/cases';
import { roleAllows } from '@/lib/auth/policy';
import type { SessionUser } from '@/lib/auth/session';
import { evaluate, rolesFor, transitionsForFlow } from '@/lib/cases/machine';
import { getFlowConfig } from '@/lib/providers';
import { STATE_LABEL } from '@/lib/cases/states';
import type { EdgeValues } from '@/lib/providers/commands';
import type { FlowDefinition, InputPhase } from '@/lib/providers';
import Link from 'next/link';
import type { Conflict } from '@/lib/cases/claims';
import type { StoredPreflight } from '@/lib/preflight';
import { AutoRequestToggle } from './auto-request-toggle';
import { CaseTimeline } from './case-timeline';
import { ConversationForm } from './conversation-form';
import { CaseDiagram } from './case-diagram';
import { PreflightPanel } from './preflight-panel';
import { ConnectionTest } from './connection-test';
import { type ActionOption, StaffActions } from './staff-actions';
import type { CaseState } from '@/lib/domain/case-states';

const ROLE_WORDS: Record<string, string> = {
  customer_admin: 'workspace admins',
  csm: 'CSMs',
  engineer: 'engineers',
  admin: 'administrators',
};

// Which input phases the customer has completed, by state: their checks are shown to staff.
function phasesReached(state: CaseState): InputPhase[] {
  if (state === 'draft') return [];
  if (state === 'submitted' || state === 'awaiting_customer' || state === 'rejected' || state === 'cancelled') return ['draft'];
  return ['draft', 'details'];
}

// Words for the outputs the reconciler records that the flow itself does not label.
const OUTPUT_LABEL: Record<string, string> = {
  vpcEndpointId: 'VPC endpoint ID',
  vpcEndpointDnsName: 'VPC endpoint DNS name',
  host: 'Host',
  port: 'Port',
  workspaceHost: 'Workspace host',
  account: 'Snowflake account',
  redshiftEndpointName: 'Redshift endpoint name',
};

function outputLabel(flow: FlowDefinition, key: string): string {
  return flow.outputs.find((o) => o.key === key)?.label ?? OUTPUT_LABEL[key] ?? key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** Inbound rules as the customer gave them, as a table rather than JSON. */
function RulesTable({ label, rules }: { label: string; rules: Record<string, unknown>[] }) {
  return (
    <div>
      <p className="text-sm font-medium text-slate-900">{label}</p>
      <table className="mt-1 w-full text-left text-sm">
        <thead>
          <tr className="text-xs text-slate-700">
            <th scope="col" className="pr-3 font-medium">
              Source CIDR
            </th>
            <th scope="col" className="pr-3 font-medium">
              Protocol
            </th>
            <th scope="col" className="font-medium">
              Ports
            </th>
          </tr>
        </thead>
        <tbody className="font-mono text-xs text-slate-900">
          {rules.map((r, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rules have no identity but their place in the list
            <tr key={i}>
              <td className="pr-3">{String(r.cidr ?? '—')}</td>
              <td className="pr-3">{String(r.protocol ?? '—').toUpperCase()}</td>
              <td>{r.fromPort === r.toPort ? String(r.fromPort ?? '—') : `${String(r.fromPort)}–${String(r.toPort)}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function display(v: unknown): string {
  if (v === undefined || v === null || v === '') return '—';
  if (v === true) return 'Yes';
  if (v === false) return 'No';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** The staff view of a case: diagram, the actions the viewer may take, what the customer gave and how it checks out. */
export function StaffCaseView({
  c,
  flow,
  events,
  messages,
  user,
  edge,
  preflight,
  conflicts,
  autoRequest,
}: {
  c: Case;
  flow: FlowDefinition;
  events: CaseEvent[];
  messages: CaseMessage[];
  user: SessionUser;
  edge: EdgeValues | undefined;
  preflight: StoredPreflight | null;
  conflicts: Conflict[];
  /** For CSMs: the workspace's auto-request setting. */
  autoRequest: { enabled: boolean; workspaceName: string } | null;
}) {
  const transitions = events.filter((e) => e.fromState && e.fromState !== e.toState);
  const options: ActionOption[] = transitionsForFlow(c.warehouse)
    .filter((t) => t.from === c.state)
    .map((t) => {
      const needsReason =
        t.guard?.({ warehouse: c.warehouse, actorId: null, requestedBy: null, note: null })?.startsWith('Give a reason') ?? false;
      const base = { event: t.event, label: t.label, to: STATE_LABEL[t.to], needsReason };
      if (t.actor.kind === 'reconciler') return { ...base, enabled: false, why: 'The portal does this by itself.' };
      const v = evaluate(
        c.state,
        t.event,
        { role: user.role },
        { warehouse: c.warehouse, actorId: user.id, requestedBy: c.requestedBy, note: 'placeholder reason' },
      );
      if (v.ok) return { ...base, enabled: true, why: null };
      if (v.reason === 'wrong_role')
        return {
          ...base,
          enabled: false,
          why: `Only ${rolesFor(t)
            .map((r) => ROLE_WORDS[r] ?? r)
            .join(' and ')} can do this.`,
        };
      return { ...base, enabled: false, why: v.message };
    });
  const issues = flow.check(c.inputs, { region: c.region, config: getFlowConfig() }, phasesReached(c.state));
  const outputs = Object.entries(c.outputs).filter(([, v]) => typeof v === 'string' || typeof v === 'number');

  return (
    <div className="mt-6 space-y-6">
      {c.lastError ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-900 ring-1 ring-red-200">
          Last error: {c.lastError}
        </p>
      ) : null}
      {conflicts.length ? (
        <section
          role="alert"
          aria-labelledby="conflict-heading"
          className="rounded-md bg-amber-50 p-4 text-sm text-amber-950 ring-1 ring-amber-300"
          data-testid="staff-name-conflict"
        >
          <h2 id="conflict-heading" className="font-semibold">
            Name already claimed by another workspace
          </h2>
          <p className="mt-1">
            A case submitted earlier holds this one&apos;s approval back until staff resolve it (reject or cancel one of them); a later
            claim never holds back an earlier one. The customer is told only that the name is connected from another account.
          </p>
          <ul className="mt-2 list-disc pl-5">
            {conflicts.map((x) => (
              <li key={x.caseId + x.claim.value}>
                {x.claim.value}:{' '}
                <Link href={`/cases/${x.caseId}`} className="underline">
                  PL-{x.number}
                </Link>{' '}
                of {x.workspaceName} ({STATE_LABEL[x.state]}, submitted {x.first ? 'earlier' : 'later'})
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,auto)_minmax(0,1fr)]">
        <CaseDiagram
          warehouse={c.warehouse}
          current={c.state}
          visited={[...new Set(events.map((e) => e.toState))]}
          taken={transitions.map((e) => ({ from: e.fromState!, to: e.toState }))}
        />
        <div className="space-y-6">
          <StaffActions caseId={c.id} version={c.version} options={options} />
          {c.state === 'active' && roleAllows(user.role, 'endpoint.test_connection') ? (
            <ConnectionTest
              caseId={c.id}
              protocol={flow.connection.protocol}
              defaultDatabase={flow.connection.protocol === 'postgres' ? flow.connection.defaultDatabase : undefined}
            />
          ) : null}
          <section aria-labelledby="checks-heading" className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
            <h2 id="checks-heading" className="text-lg font-semibold text-slate-900">
              Checks from the edge account
            </h2>
            {preflight ? null : (
              <p className="mt-1 text-sm text-slate-700">Not run yet: they run when the customer sends details, and on approval.</p>
            )}
            <PreflightPanel caseId={c.id} initial={preflight} title="Latest run" />
            {autoRequest ? (
              <div className="mt-4 border-t border-slate-200 pt-3">
                <AutoRequestToggle workspaceId={c.workspaceId} workspaceName={autoRequest.workspaceName} enabled={autoRequest.enabled} />
              </div>
            ) : null}
          </section>
          <section aria-labelledby="inputs-heading" className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
            <h2 id="inputs-heading" className="text-lg font-semibold text-slate-900">
              What the customer gave
            </h2>
            <p className="mt-1 text-sm" data-testid="validation-summary">
              {issues.length === 0 ? (
                <span className="text-emerald-800">All prerequisite checks pass for the steps completed so far.</span>
              ) : (
                <span className="text-red-800">
                  {issues.length} prerequisite check{issues.length === 1 ? '' : 's'} fail.
                </span>
              )}
            </p>
            {issues.length ? (
              <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-red-900">
                {issues.map((i) => (
                  <li key={i.field + i.message}>{i.message}</li>
                ))}
              </ul>
            ) : null}
            <dl className="mt-3 space-y-2">
              {flow.customerSteps
                .flatMap((s) => s.fields)
                .filter((f) => c.inputs[f.name] !== undefined)
                .map((f) => {
                  const v = c.inputs[f.name];
                  return f.kind === 'rules' && Array.isArray(v) ? (
                    <RulesTable key={f.name} label={f.label} rules={v as Record<string, unknown>[]} />
                  ) : (
                    <CopyField key={f.name} label={f.label} value={display(v)} />
                  );
                })}
            </dl>
          </section>
        </div>
      </div>
      {outputs.length || edge ? (
        <section aria-labelledby="edge-heading">
          <h2 id="edge-heading" className="text-lg font-semibold text-slate-900">
            Edge outputs
          </h2>
          <dl className="mt-3 grid gap-3 md:grid-cols-3">
            {outputs.map(([k, v]) => (
              <CopyField key={k} label={outputLabel(flow, k)} value={String(v)} />
            ))}
            {edge ? <CopyField label="Workspace role ARN" value={edge.principalArn} /> : null}
          </dl>
        </section>
      ) : null}
      <section aria-labelledby="staff-timeline">
        <h2 id="staff-timeline" className="text-lg font-semibold text-slate-900">
          Timeline and conversation
        </h2>
        <p className="mt-1 text-sm text-slate-700">
          Messages to and from the customer are shown to the workspace&apos;s members; internal notes only to staff.
        </p>
        <CaseTimeline events={events} messages={messages} audience="staff" />
        {roleAllows(user.role, 'case.message') ? (
          <ConversationForm caseId={c.id} staff canNote={roleAllows(user.role, 'case.note')} />
        ) : null}
      </section>
    </div>
  );
}
