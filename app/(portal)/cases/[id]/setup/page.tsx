import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { getDb } from '@/db/index';
import { roleAllows } from '@/lib/auth/policy';
import { requirePageUser } from '@/lib/auth/session';
import { findCase, inputPhaseFor } from '@/lib/cases/service';
import { getFlowConfig } from '@/lib/providers';
import { edgeValuesFor } from '@/lib/cloud/layout';
import { customerStepsFor, getFlow } from '@/lib/providers';
import { checkSteps, preflightOf } from '@/lib/preflight';
import { checkForWizard } from '@/lib/cases/wizard-check';
import { Wizard } from './_components/wizard';

/** The saved answers of this phase's fields, as the wizard sends them for checking. */
function phaseValues(steps: { fields: { name: string }[] }[], inputs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(steps.flatMap((s) => s.fields.map((f) => [f.name, inputs[f.name] ?? null])));
}

export const metadata: Metadata = { title: 'Set up PrivateLink' };
export const dynamic = 'force-dynamic';

/** Display form of stored inputs: the Snowflake config is kept as an object, the textarea shows it as JSON. */
function displayValues(inputs: Record<string, unknown>): Record<string, unknown> {
  const out = { ...inputs };
  if (out.privatelinkConfig && typeof out.privatelinkConfig === 'object')
    out.privatelinkConfig = JSON.stringify(out.privatelinkConfig, null, 2);
  return out;
}

// /cases/:id/setup – the guided wizard for whatever the customer must give now (before submit, after acceptance,
// or once the endpoint exists). Read-only members and staff are sent to the case page.
export default async function SetupPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ step?: string }>;
}) {
  const user = await requirePageUser('case.view');
  const { id } = await params;
  const db = await getDb();
  const c = await findCase(db, user, id);
  if (!c) notFound();
  const phase = inputPhaseFor(c.state);
  if (!phase || !roleAllows(user.role, 'case.edit_draft')) redirect(`/cases/${c.id}`);

  const config = getFlowConfig();
  const flow = getFlow(c.warehouse);
  const steps = customerStepsFor(flow, config).map(({ schema: _schema, ...s }) => s);
  const phaseSteps = steps.filter((s) => s.phase === phase);
  if (phaseSteps.length === 0) redirect(`/cases/${c.id}`);
  const { step } = await searchParams;
  const edge = edgeValuesFor(c);

  return (
    <Wizard
      caseId={c.id}
      reference={`PL-${c.number}`}
      warehouse={c.warehouse}
      flowName={flow.name}
      region={c.region}
      version={c.version}
      phase={phase}
      steps={steps}
      initialStep={phaseSteps.some((s) => s.id === step) || step === 'review' ? step! : phaseSteps[0]!.id}
      initialValues={displayValues(c.inputs)}
      outputs={c.outputs}
      initialCheck={checkForWizard(c, phaseValues(phaseSteps, c.inputs), phase)}
      edge={edge}
      preflight={preflightOf(c)}
      checkSteps={[...checkSteps(c.warehouse)]}
    />
  );
}
