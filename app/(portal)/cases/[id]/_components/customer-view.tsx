import Link from 'next/link';
import { buttonClass } from '@/app/_components/ui/button';
import { CodeBlock } from '@/app/_components/ui/code-block';
import { CopyField } from '@/app/_components/ui/copy-field';
import type { Case } from '@/db/schema';
import type { CaseEvent, CaseMessage } from '@/db/queries/cases';
import { findTransition } from '@/lib/cases/machine';
import type { CommandSnippet, EdgeValues } from '@/lib/providers/commands';
import type { FlowDefinition } from '@/lib/providers';
import { CancelCase } from './cancel-case';
import { CaseTimeline } from './case-timeline';
import { ConversationForm } from './conversation-form';
import { type Standing, valuesToPaste } from '@/lib/cases/where-it-stands';

// Who does each step of the flow, as the reader calls them: a read-only member does not do the workspace's part.
const ACTOR_WORDS: Record<string, string> = { customer: 'You', csm: 'Your CSM', engineer: 'Edge engineer', reconciler: 'The portal' };
const VIEWER_ACTOR_WORDS: Record<string, string> = { ...ACTOR_WORDS, customer: 'A workspace admin' };

/** What a customer sees of a case: where it stands, what to do, the values to paste, how it works, the timeline. */
export function CustomerCaseView({
  c,
  flow,
  events,
  messages,
  standing,
  canEdit,
  canWrite,
  canCancel,
  hasSetup,
  edge,
  conflictNotice,
  acceptCommands,
}: {
  c: Case;
  flow: FlowDefinition;
  events: CaseEvent[];
  /** Only the workspace's conversation: the caller never passes internal notes. */
  messages: CaseMessage[];
  standing: Standing;
  canEdit: boolean;
  /** Whether the reader may write to staff (workspace admins; read-only members read). */
  canWrite: boolean;
  canCancel: boolean;
  hasSetup: boolean;
  edge: EdgeValues | undefined;
  conflictNotice: string | null;
  acceptCommands: CommandSnippet[];
}) {
  const outputs = valuesToPaste(c, flow);
  return (
    <>
      {conflictNotice ? (
        <p
          role="alert"
          className="mt-6 rounded-md bg-amber-50 p-3 text-sm text-amber-950 ring-1 ring-amber-300"
          data-testid="name-conflict"
        >
          {conflictNotice}
        </p>
      ) : null}
      <section
        aria-labelledby="standing"
        className={`mt-6 rounded-lg p-5 ring-1 ${standing.customerMustAct ? 'bg-amber-50 ring-amber-300' : 'bg-white ring-slate-200'}`}
      >
        {/* Announced when the page updates by itself (another person or the edge moved the case on). */}
        <div aria-live="polite">
          <h2 id="standing" className="text-lg font-semibold text-slate-900" data-testid="case-standing">
            {standing.headline}
          </h2>
          <p className="mt-1 text-sm text-slate-800">{standing.detail}</p>
        </div>
        <div className="mt-4 flex flex-wrap gap-3">
          {hasSetup && canEdit ? (
            <Link href={`/cases/${c.id}/setup`} className={buttonClass('primary')}>
              {c.state === 'draft' ? 'Continue setup' : 'Open the next step'}
            </Link>
          ) : null}
          {canCancel ? (
            <CancelCase caseId={c.id} version={c.version} tearsDown={findTransition(c.state, 'cancel')?.to === 'decommissioning'} />
          ) : null}
        </div>
      </section>

      {outputs.length > 0 || acceptCommands.length > 0 ? (
        <section aria-labelledby="outputs" className="mt-6">
          <h2 id="outputs" className="text-lg font-semibold text-slate-900">
            Values for your integration
          </h2>
          <dl className="mt-3 grid gap-3 md:grid-cols-2">
            {outputs.map((o) => (
              <CopyField key={o.key} label={o.label} value={o.value} help={o.help} testId={`output-${o.key}`} />
            ))}
          </dl>
          {acceptCommands.length ? (
            <div className="mt-3 space-y-3">
              {acceptCommands.map((cmd) => (
                <CodeBlock key={cmd.title} title={cmd.title} code={cmd.code} />
              ))}
            </div>
          ) : null}
        </section>
      ) : null}

      {edge ? (
        <section aria-labelledby="edge" className="mt-6">
          <h2 id="edge" className="text-lg font-semibold text-slate-900">
            Our edge account
          </h2>
          <dl className="mt-3 grid gap-3 md:grid-cols-3">
            <CopyField label="Edge AWS account ID" value={edge.accountId} />
            <CopyField label={`Edge VPC ID (${c.region})`} value={edge.vpcId} />
            <CopyField label="Your workspace's role ARN" value={edge.principalArn} />
          </dl>
        </section>
      ) : null}

      <div className="mt-8 grid gap-8 lg:grid-cols-2">
        <section aria-labelledby="how">
          <h2 id="how" className="text-lg font-semibold text-slate-900">
            How {flow.name} PrivateLink is set up
          </h2>
          <ol className="mt-3 space-y-3">
            {flow.steps.map((s, i) => (
              <li key={s.id} className="flex gap-3">
                <span
                  aria-hidden="true"
                  className="flex h-6 w-6 shrink-0 items-center justify-center rounded-full bg-slate-200 text-xs font-semibold text-slate-800"
                >
                  {i + 1}
                </span>
                <div>
                  <p className="text-sm font-medium text-slate-900">
                    {s.title} <span className="font-normal text-slate-700">· {(canEdit ? ACTOR_WORDS : VIEWER_ACTOR_WORDS)[s.actor]}</span>
                  </p>
                  <p className="text-sm text-slate-700">{s.description}</p>
                </div>
              </li>
            ))}
          </ol>
        </section>
        <section aria-labelledby="timeline">
          <h2 id="timeline" className="text-lg font-semibold text-slate-900">
            Timeline and messages
          </h2>
          <CaseTimeline events={events} messages={messages} audience="customer" />
          {canWrite ? (
            <ConversationForm caseId={c.id} staff={false} canNote={false} />
          ) : (
            <p className="mt-4 text-sm text-slate-700" data-testid="conversation-read-only">
              Only your workspace&apos;s admins can write to staff on this case; you can read the conversation here.
            </p>
          )}
        </section>
      </div>
    </>
  );
}
