'use client';

import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Button } from '@/app/_components/ui/button';
import { CodeBlock } from '@/app/_components/ui/code-block';
import { CopyField } from '@/app/_components/ui/copy-field';
import { commandsFor, type EdgeValues } from '@/lib/providers/commands';
import type { CustomerStep, InputPhase, ValidationIssue } from '@/lib/providers';
import { caseEventAction, checkInputsAction, saveStepAction } from '../../../actions';
import type { StoredPreflight } from '@/lib/preflight';
import { PreflightPanel } from '../../_components/preflight-panel';
import { Field } from './field';
import { forgetPending, readPending, rememberPending, saveWhileLeaving, settlePending } from './pending-save';
import { ReviewStep } from './review-step';
import { Stepper } from './stepper';
import { initialWizardState, statusText, type WizardEvent, wizardReducer } from './wizard-state';
import type { Warehouse } from '@/lib/domain/warehouses';
import type { WizardCheck } from '@/lib/cases/wizard-check';

export type StepView = Omit<CustomerStep, 'schema'>;

export interface WizardProps {
  caseId: string;
  reference: string;
  warehouse: Warehouse;
  flowName: string;
  region: string;
  version: number;
  phase: InputPhase;
  steps: StepView[];
  initialStep: string;
  initialValues: Record<string, unknown>;
  outputs: Record<string, unknown>;
  /** The flow's checks over the saved inputs, computed on the server for the first render. */
  initialCheck: WizardCheck;
  edge?: EdgeValues;
  /** The case's last checks from the edge account, and the steps that offer "Check from our side". */
  preflight: StoredPreflight | null;
  checkSteps: string[];
}

// Each phase ends with the customer's explicit send: saved answers reach staff and the edge only through it.
const FINISH: Record<InputPhase, { label: string; event: 'submit' | 'provide_details' | 'send_customer_action' }> = {
  draft: { label: 'Submit request', event: 'submit' },
  details: { label: 'Send details', event: 'provide_details' },
  after_endpoint: { label: 'Send and finish', event: 'send_customer_action' },
};

/** The guided setup: one step per screen, autosaved, validated inline with the flow's own checks. */
export function Wizard(p: WizardProps) {
  const router = useRouter();
  const search = useSearchParams();
  const phaseSteps = p.steps.filter((s) => s.phase === p.phase);
  const order = [...phaseSteps.map((s) => s.id), 'review'];
  const urlStep = search.get('step');
  const stepId = urlStep && order.includes(urlStep) ? urlStep : p.initialStep;
  const step = phaseSteps.find((s) => s.id === stepId);

  const [values, setValues] = useState<Record<string, unknown>>(p.initialValues);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [attempted, setAttempted] = useState<Set<string>>(new Set());
  // Saving and sending go through the reducer in wizard-state.ts. The ref holds its latest state for the code that
  // runs between renders (the save queue, a page being left), which must see a save's new version at once.
  const [state, setState] = useState(() => initialWizardState(p.version));
  const machine = useRef(state);
  const dispatch = useCallback((event: WizardEvent) => {
    machine.current = wizardReducer(machine.current, event);
    setState(machine.current);
  }, []);
  const { conflict, serverErrors } = state;
  const submitting = state.status === 'submitting' || state.status === 'submitted';
  const queue = useRef<Promise<boolean>>(Promise.resolve(true));
  const heading = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);
  const firstCheck = useRef(true);
  // The values as last rendered, for saves that run outside React's render (a page being left).
  const latestValues = useRef(values);
  latestValues.current = values;

  const region = typeof values.region === 'string' && values.region ? values.region : p.region;
  // Inline validation runs the flow's checks on the server (same zod schemas as submit), so the browser does not
  // download zod and the four flows; the latest answer wins.
  // `checked` pairs the issues with the values they were computed for: a field's message shows only while the field
  // still holds the value that was checked, so an edit never sits under a stale error.
  const [checked, setChecked] = useState<WizardCheck & { values: Record<string, unknown> }>({
    values: p.initialValues,
    ...p.initialCheck,
  });
  const issues = checked.issues;
  const checkSeq = useRef(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: phaseSteps comes from the flow, fixed while the wizard is mounted
  const phaseValues = useMemo(
    () => Object.fromEntries(phaseSteps.flatMap((s) => s.fields.map((f) => [f.name, values[f.name] ?? null]))),
    [values],
  );
  /** Run the checks on these values; with `force`, the answer is used even if a newer check started meanwhile. */
  const check = useCallback(
    async (force = false): Promise<ValidationIssue[] | null> => {
      const seq = ++checkSeq.current;
      const snapshot = phaseValues;
      const res = await checkInputsAction({ caseId: p.caseId, values: snapshot });
      if (!res.ok) return null;
      if (force || seq === checkSeq.current) setChecked({ values: snapshot, ...res.data });
      return res.data.issues;
    },
    [p.caseId, phaseValues],
  );
  useEffect(() => {
    if (firstCheck.current) {
      firstCheck.current = false;
      return;
    }
    const t = setTimeout(() => void check(), 250);
    return () => clearTimeout(t);
  }, [check]);
  const current = (name: string) => JSON.stringify(checked.values[name] ?? null) === JSON.stringify(values[name] ?? null);
  const stepOf = (field: string) => phaseSteps.find((s) => s.fields.some((f) => f.name === field.split('.')[0]));

  const errorsFor = (name: string, s: StepView) => {
    const show = touched.has(name) || attempted.has(s.id);
    const own = show && current(name) ? issues.filter((i) => i.field === name).map((i) => i.message) : [];
    return [...new Set([...own, ...(serverErrors[name] ?? [])])];
  };
  const warningsFor = (name: string, s: StepView) =>
    (touched.has(name) || attempted.has(s.id)) && current(name)
      ? checked.warnings.filter((w) => w.field === name).map((w) => w.message)
      : [];
  const nestedFor = (name: string, s: StepView) => {
    const out: Record<string, string[]> = {};
    if (!(touched.has(name) || attempted.has(s.id)) || !current(name)) return out;
    for (const i of issues) {
      if (!i.field.startsWith(`${name}.`)) continue;
      out[i.field] = [...(out[i.field] ?? []), i.message];
    }
    return out;
  };

  /**
   * Save one step's fields if they changed; serialised so that two saves never race on the same version. With
   * `leaving`, through a keepalive request the browser completes even if the page goes away meanwhile.
   */
  // biome-ignore lint/correctness/useExhaustiveDependencies: phaseSteps comes from the flow, fixed while the wizard is mounted
  const saveStep = useCallback(
    (id: string, leaving = false): Promise<boolean> => {
      const run = async (): Promise<boolean> => {
        const s = phaseSteps.find((x) => x.id === id);
        if (machine.current.status === 'conflict') return false;
        if (!s || !machine.current.dirty.includes(id)) return true;
        dispatch({ type: 'save-started', stepId: id });
        const current = latestValues.current;
        const stepValues = Object.fromEntries(s.fields.map((f) => [f.name, current[f.name] ?? null]));
        const input = { caseId: p.caseId, version: machine.current.version, stepId: id, values: stepValues };
        const res = leaving ? await saveWhileLeaving(input) : await saveStepAction(input);
        // A save sent while leaving keeps the pending answers: the next page may have been read before this save
        // committed (the browser asks for it at once), and it decides by version whether to show them again.
        if (res.ok && !leaving) settlePending(p.caseId, stepValues, res.data.version);
        if (res.ok) {
          dispatch({ type: 'save-succeeded', version: res.data.version });
          return true;
        }
        dispatch({ type: 'save-failed', stepId: id, refusal: res });
        return false;
      };
      queue.current = queue.current.then(run, run);
      return queue.current;
    },
    [dispatch, p.caseId],
  );

  // Autosave waits for typing to stop, so the last answers would be lost if the page is hidden or left first (a
  // reload, a closed tab, a phone switching apps). Save them at once then. `beforeunload` comes first for a reload
  // or a link, before the browser asks for the next page, so that page already shows what was typed; `pagehide`
  // and `visibilitychange` cover closing and backgrounding, where beforeunload may not fire.
  useEffect(() => {
    const on = (event: 'beforeunload' | 'pagehide' | 'visibilitychange') => () => {
      if (event === 'visibilitychange' && document.visibilityState !== 'hidden') return;
      if (step && machine.current.dirty.includes(step.id)) void saveStep(step.id, true);
    };
    const handlers = (['beforeunload', 'pagehide', 'visibilitychange'] as const).map((e) => [e, on(e)] as const);
    for (const [e, h] of handlers) (e === 'visibilitychange' ? document : window).addEventListener(e, h);
    return () => {
      for (const [e, h] of handlers) (e === 'visibilitychange' ? document : window).removeEventListener(e, h);
    };
  }, [step, saveStep]);

  // The browser may ask for the reloaded page before the save sent on leaving arrives (or the page may go without
  // one), so that page can be older than what was typed. Typed answers are also kept in this tab's sessionStorage
  // until a save of them succeeds: if this page was rendered from the version they were typed against, show them
  // again and save them (the server takes the same answers sent twice as saved, not as a conflict).
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, on mount, against the version this page was rendered from
  useEffect(() => {
    const pending = readPending(p.caseId);
    if (!pending) return;
    if (pending.version !== p.version || !phaseSteps.some((s) => s.id === pending.stepId)) return forgetPending(p.caseId);
    dispatch({ type: 'edited', stepId: pending.stepId });
    setValues((old) => ({ ...old, ...pending.values }));
  }, []);

  // Autosave a second after typing stops.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `values` is the trigger: each change restarts the timer
  useEffect(() => {
    if (!step || !machine.current.dirty.includes(step.id)) return;
    const t = setTimeout(() => void saveStep(step.id), 1000);
    return () => clearTimeout(t);
  }, [values, step, saveStep]);

  // Move focus to the new step's heading when the step changes (not on first load).
  // biome-ignore lint/correctness/useExhaustiveDependencies: `stepId` is the trigger; the effect reads only the ref
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    heading.current?.focus();
  }, [stepId]);

  function change(s: StepView, name: string, v: unknown) {
    // A choice (select, checkbox) is checked at once; typed text, and each cell of the rules, once it loses focus.
    const kind = s.fields.find((f) => f.name === name)?.kind;
    if (kind === 'select' || kind === 'checkbox') setTouched((t) => (t.has(name) ? t : new Set(t).add(name)));
    dispatch({ type: 'edited', stepId: s.id });
    setValues((old) => ({ ...old, [name]: v }));
    const typed = { ...latestValues.current, [name]: v };
    rememberPending({
      caseId: p.caseId,
      version: machine.current.version,
      stepId: s.id,
      values: Object.fromEntries(s.fields.map((f) => [f.name, typed[f.name] ?? null])),
    });
  }

  async function go(target: string) {
    if (step) await saveStep(step.id);
    window.history.pushState(null, '', `?step=${encodeURIComponent(target)}`);
  }

  async function next() {
    if (!step) return;
    setAttempted((a) => new Set(a).add(step.id));
    const fresh = await check(true);
    if (!fresh) {
      dispatch({ type: 'checks-unavailable' });
      return;
    }
    const problems = fresh.filter((i) => stepOf(i.field)?.id === step.id);
    if (problems.length > 0) {
      const first = problems[0]!.field;
      const el = document.getElementById(`field-${first.split('.')[0]}`) ?? document.querySelector<HTMLElement>(`[aria-invalid="true"]`);
      requestAnimationFrame(() => el?.focus());
      dispatch({ type: 'next-blocked', problems: problems.length });
      return;
    }
    const ok = await saveStep(step.id);
    if (ok || p.phase === 'draft') await go(order[order.indexOf(step.id) + 1]!);
  }

  async function finish() {
    dispatch({ type: 'submit-started' });
    if (machine.current.status !== 'submitting') return;
    // A failed save ends the send (the reducer leaves `submitting`), and the status line says why.
    for (const s of phaseSteps) if (!(await saveStep(s.id))) return;
    const res = await caseEventAction({ caseId: p.caseId, event: FINISH[p.phase].event, version: machine.current.version });
    if (!res.ok) return dispatch({ type: 'submit-failed', refusal: res });
    dispatch({ type: 'submit-succeeded' });
    router.push(`/cases/${p.caseId}`);
    router.refresh();
  }

  const items = [
    ...p.steps.map((s) => ({ id: s.id, title: s.title, phase: s.phase })),
    { id: 'review', title: 'Review', phase: 'review' as const },
  ];
  const commands = step ? commandsFor(p.warehouse, step.id, { region, inputs: values, outputs: p.outputs, edge: p.edge }) : [];

  return (
    <div>
      <p className="text-sm text-slate-700">
        <Link href={`/cases/${p.caseId}`} className="underline">
          {p.reference}
        </Link>{' '}
        · {p.flowName}
      </p>
      <h1 className="mt-1 text-2xl font-semibold text-slate-900">Set up {p.flowName} PrivateLink</h1>
      {conflict ? (
        <div role="alert" className="mt-4 rounded-md bg-amber-50 p-4 text-sm text-amber-950 ring-1 ring-amber-300" data-testid="conflict">
          <p className="font-semibold">This case was changed somewhere else</p>
          <p className="mt-1">{conflict} What you typed here since then was not saved.</p>
          <Button type="button" variant="secondary" className="mt-3" onClick={() => window.location.reload()}>
            Reload the latest
          </Button>
        </div>
      ) : null}
      <div className="mt-6 grid gap-8 lg:grid-cols-[16rem_minmax(0,1fr)]">
        <Stepper items={items} current={stepId} phase={p.phase} onGo={(id) => void go(id)} />
        <section aria-labelledby="step-heading" className="min-w-0 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
          {step ? (
            <>
              <h2 id="step-heading" ref={heading} tabIndex={-1} className="text-lg font-semibold text-slate-900">
                {step.title}
              </h2>
              <p className="mt-1 text-sm text-slate-700">{step.description}</p>
              {p.phase !== 'draft' && p.edge ? <EdgeBox edge={p.edge} region={region} /> : null}
              {typeof p.outputs.vpcEndpointId === 'string' ? (
                <dl className="mt-4">
                  <CopyField label="VPC endpoint ID" value={p.outputs.vpcEndpointId} testId="output-vpcEndpointId" />
                </dl>
              ) : null}
              {p.checkSteps.includes(step.id) && (p.phase !== 'draft' || step.phase === 'draft') ? (
                <PreflightPanel caseId={p.caseId} initial={p.preflight} stepId={step.id} beforeRun={() => saveStep(step.id)} />
              ) : null}
              {commands.length ? (
                <div className="mt-4 space-y-3">
                  {commands.map((c) => (
                    <CodeBlock key={c.title} title={c.title} code={c.code} />
                  ))}
                </div>
              ) : null}
              <form
                className="mt-6 space-y-5"
                noValidate
                onSubmit={(e) => {
                  e.preventDefault();
                  void next();
                }}
              >
                {step.fields
                  .filter((f) => f.kind !== 'rules' || values.inboundEnforcement === 'on')
                  .map((f) => (
                    <Field
                      key={f.name}
                      // Examples name the case's own region, never one that contradicts it.
                      spec={f.placeholder ? { ...f, placeholder: f.placeholder.replaceAll('us-east-1', region) } : f}
                      value={values[f.name]}
                      errors={errorsFor(f.name, step)}
                      warnings={warningsFor(f.name, step)}
                      nestedErrors={nestedFor(f.name, step)}
                      showAllErrors={attempted.has(step.id)}
                      onChange={(v) => change(step, f.name, v)}
                      onBlur={() => setTouched((t) => new Set(t).add(f.name))}
                      disabled={Boolean(conflict)}
                    />
                  ))}
                <div className="flex items-center justify-between gap-3 border-t border-slate-200 pt-4">
                  {order.indexOf(step.id) > 0 ? (
                    <Button type="button" variant="secondary" onClick={() => void go(order[order.indexOf(step.id) - 1]!)}>
                      Back
                    </Button>
                  ) : (
                    <span />
                  )}
                  <Button type="submit" disabled={Boolean(conflict)}>
                    Next
                  </Button>
                </div>
              </form>
            </>
          ) : (
            <ReviewStep
              headingRef={heading}
              steps={phaseSteps}
              values={values}
              checked={checked}
              issues={issues}
              finishLabel={FINISH[p.phase].label}
              submitting={submitting}
              disabled={Boolean(conflict)}
              onEdit={(id) => void go(id)}
              onBack={() => void go(order[order.length - 2]!)}
              onFinish={() => void finish()}
              phase={p.phase}
            />
          )}
          <p aria-live="polite" role="status" className="mt-4 min-h-5 text-sm text-slate-700" data-testid="save-status">
            {statusText(state)}
          </p>
        </section>
      </div>
    </div>
  );
}

function EdgeBox({ edge, region }: { edge: EdgeValues; region: string }) {
  return (
    <section aria-label="Edge account values" className="mt-4 rounded-md bg-indigo-50 p-4 ring-1 ring-indigo-200">
      <h3 className="text-sm font-semibold text-indigo-950">Our edge account ({region})</h3>
      <dl className="mt-2 grid gap-2 md:grid-cols-3">
        <CopyField label="Edge AWS account ID" value={edge.accountId} testId="edge-account-id" />
        <CopyField label="Edge VPC ID" value={edge.vpcId} testId="edge-vpc-id" />
        <CopyField label="Your workspace's role ARN (allow this principal)" value={edge.principalArn} testId="edge-principal" />
      </dl>
    </section>
  );
}
