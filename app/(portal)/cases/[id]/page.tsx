import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { LiveUpdates } from '@/app/_components/live-updates';
import { StateBadge } from '@/app/_components/state-badge';
import { getDb } from '@/db/index';
import { caseForPage } from '@/db/queries/changes';
import { roleAllows } from '@/lib/auth/policy';
import { requirePageUser } from '@/lib/auth/session';
import { conflictsOf, customerConflictMessage } from '@/lib/cases/claims';
import { findTransition } from '@/lib/cases/machine';
import { preflightOf } from '@/lib/preflight';
import { inputPhaseFor } from '@/lib/cases/service';
import { edgeProviderName } from '@/lib/cloud';
import { edgeValuesFor } from '@/lib/cloud/layout';
import { sandboxAccountData } from '@/lib/cloud/sandbox-customer';
import { commandsFor } from '@/lib/providers/commands';
import { getFlow, warehouseName } from '@/lib/providers';
import { CustomerCaseView } from './_components/customer-view';
import { SandboxAccount } from './_components/sandbox-account';
import { StaffCaseView } from './_components/staff-view';
import { whereItStands } from '@/lib/cases/where-it-stands';
import { isStaff } from '@/lib/domain/roles';

export const metadata: Metadata = { title: 'Case' };
export const dynamic = 'force-dynamic';

// /cases/:id – customers: where the case stands, what to do, values to paste, cancel, timeline.
// Staff: the state-machine diagram, the actions their role may take, inputs and checks, outputs, notes, timeline.
export default async function CasePage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePageUser('case.view');
  const { id } = await params;
  const db = await getDb();
  // The case, its change tag, its timeline and the conversation scoped to the reader (a customer's page never
  // receives an internal note) in one statement, from one snapshot.
  const found = await caseForPage(user, id, db);
  if (!found) notFound();
  const { c, tag, workspaceName, events, messages } = found;
  const live = <LiveUpdates src={`/api/changes?case=${c.id}`} tag={tag} />;
  const flow = getFlow(c.warehouse);
  const conflicts = await conflictsOf(db, c);
  const edge = edgeValuesFor(c);
  const preflight = preflightOf(c);

  const header = (
    <>
      <p className="text-sm text-slate-700">
        <Link href={isStaff(user.role) ? '/queue' : '/cases'} className="underline">
          {isStaff(user.role) ? 'Queue' : 'Cases'}
        </Link>{' '}
        / PL-{c.number}
      </p>
      <div className="mt-1 flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold text-slate-900">
          PL-{c.number} · {warehouseName(c.warehouse)} in {c.region}
        </h1>
        {/* Announced when the page updates by itself. */}
        <span aria-live="polite">
          <StateBadge state={c.state} />
        </span>
        {isStaff(user.role) ? <span className="text-sm text-slate-700">{workspaceName}</span> : null}
      </div>
      {live}
    </>
  );

  if (isStaff(user.role)) {
    return (
      <>
        {header}
        <StaffCaseView
          c={c}
          flow={flow}
          events={events}
          messages={messages}
          user={user}
          edge={edge}
          preflight={preflight}
          conflicts={conflicts}
          autoRequest={
            roleAllows(user.role, 'workspace.auto_request')
              ? { enabled: found.autoRequest, workspaceName: workspaceName ?? 'this workspace' }
              : null
          }
        />
      </>
    );
  }
  const lastNote = [...events].reverse().find((e) => e.note)?.note ?? null;
  // The reason staff gave when they sent the case back into the state it is in now.
  const last = events.at(-1);
  const changes = last?.event === 'request_changes' ? (last.note ?? '') : null;
  const canAct = roleAllows(user.role, 'case.edit_draft');
  const setupPhase = inputPhaseFor(c.state);
  // The simulated customer console: the sandbox only, for an admin of the case's own workspace.
  const sandbox =
    edgeProviderName() === 'sandbox' && roleAllows(user.role, 'sandbox.customer_act') && user.workspaceId === c.workspaceId
      ? await sandboxAccountData(db, c, edge)
      : null;
  return (
    <>
      {header}
      <CustomerCaseView
        c={c}
        flow={flow}
        events={events}
        messages={messages}
        standing={whereItStands(c, flow, lastNote, { canAct }, changes)}
        canEdit={canAct}
        canWrite={roleAllows(user.role, 'case.message')}
        canCancel={roleAllows(user.role, 'case.cancel') && findTransition(c.state, 'cancel') !== undefined}
        hasSetup={setupPhase !== undefined && flow.customerSteps.some((s) => s.phase === setupPhase)}
        edge={edge}
        conflictNotice={customerConflictMessage(conflicts)}
        acceptCommands={
          c.state === 'awaiting_customer_action' && flow.edge.kind === 'customer_service'
            ? commandsFor(c.warehouse, 'accept-connection', { region: c.region, inputs: c.inputs, outputs: c.outputs, edge })
            : []
        }
      />
      {sandbox ? <SandboxAccount data={sandbox} /> : null}
    </>
  );
}
