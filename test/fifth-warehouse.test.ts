/**
 * A fifth, fictitious warehouse ("Quackhouse") added with one flow and one registry line walks the whole process:
 * nothing outside this file knows its name (docs/design.md#flows-and-the-registry).
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { StaffCaseView } from '@/app/(portal)/cases/[id]/_components/staff-view';
import { listCaseEvents, listCaseMessages } from '@/db/queries/cases';
import { Field } from '@/app/(portal)/cases/[id]/setup/_components/field';
import { Stepper } from '@/app/(portal)/cases/[id]/setup/_components/stepper';
import { z } from 'zod';
import { createDraft, CaseError, applyEvent, saveInputs } from '@/lib/cases/service';
import { whereItStands } from '@/lib/cases/where-it-stands';
import { allowPrincipal, createNlbService } from '@/lib/cloud/sandbox-customer';
import { commandsFor } from '@/lib/providers/commands';
import { customerStepsFor, DEFAULT_FLOW_CONFIG, type FlowDefinition, getFlow, registerFlow } from '@/lib/providers';
import { checkEndpointServiceName } from '@/lib/validation/aws';
import { normaliseSteps, regionIssues, regionSchema } from '@/lib/validation/flow';
import { checkPort } from '@/lib/validation/ports';
import { fail, ok } from '@/lib/validation/result';
import { checkedField, parseSteps } from '@/lib/validation/zod';
import { caseRow, drive, type Env, roleOf, setup } from './reconciler/support';

// The staff view's client pieces ask for the app router, which a plain server render does not mount.
vi.mock('next/navigation', () => ({ useRouter: () => ({ refresh: () => undefined, push: () => undefined }) }));

const pondSchema = z.object({
  region: regionSchema,
  quackService: checkedField((v) => {
    const parsed = checkEndpointServiceName(v, 'Quack service');
    return parsed.ok ? ok(parsed.value.name) : parsed;
  }),
  quackPort: checkedField((v) => checkPort(v, 'Quack port')),
});
const flockSchema = z.object({
  flockName: checkedField((v) =>
    typeof v === 'string' && /^[a-z]{3,20}$/.test(v.trim())
      ? ok(v.trim())
      : fail('quackhouse.flock', 'Flock name must be 3 to 20 lower-case letters: type the name your Quackhouse console shows.'),
  ),
});

const quackhouseFlow: FlowDefinition = {
  warehouse: 'quackhouse',
  name: 'Quackhouse Cloud',
  summary: 'An interface endpoint to your Quackhouse pond service.',
  needs: ['A Quackhouse pond with a PrivateLink service'],
  steps: [
    { id: 'request', title: 'Describe your pond', actor: 'customer', description: 'Name the pond service and its port.' },
    { id: 'review', title: 'CSM review', actor: 'csm', description: 'Your CSM reviews the pond.' },
    { id: 'flock', title: 'Name your flock', actor: 'customer', description: 'Tell us the flock.' },
    { id: 'create-endpoint', title: 'Create the endpoint', actor: 'reconciler', description: 'The portal connects the pond.' },
  ],
  customerSteps: [
    {
      id: 'pond',
      title: 'Your Quackhouse pond',
      description: 'The pond service the edge connects to.',
      phase: 'draft',
      fields: [
        { name: 'region', label: 'Region', help: 'Where the pond floats.', kind: 'select' },
        { name: 'quackService', label: 'Quack service name', help: 'From the pond console.', kind: 'text' },
        { name: 'quackPort', label: 'Quack port', help: 'The port ducks answer on.', kind: 'number' },
      ],
      schema: pondSchema,
    },
    {
      id: 'flock',
      title: 'Your flock',
      description: 'The flock that uses the pond.',
      phase: 'details',
      fields: [{ name: 'flockName', label: 'Flock name', help: 'As the console shows it.', kind: 'text' }],
      schema: flockSchema,
    },
  ],
  usesAwaitingCustomerAction: true,
  outputs: [{ key: 'host', label: 'Pond host', help: 'Use it as the Quackhouse host setting.' }],
  edge: {
    kind: 'customer_service',
    serviceName: (inputs) => (typeof inputs.quackService === 'string' ? inputs.quackService : undefined),
    port: (inputs) => (typeof inputs.quackPort === 'number' ? inputs.quackPort : null),
  },
  claims: { kind: 'endpoint_service', of: (inputs) => (typeof inputs.quackService === 'string' ? [inputs.quackService] : []) },
  connection: { protocol: 'https', host: () => undefined },
  check(inputs, ctx, phases) {
    const all = phases ?? ['draft', 'details', 'after_endpoint'];
    const { issues, values } = parseSteps(this.customerSteps, inputs, all);
    if (all.includes('draft')) issues.push(...regionIssues(values.region, ctx.config.eligibleRegions));
    return issues;
  },
  normalise(inputs) {
    return normaliseSteps(this.customerSteps, inputs);
  },
};

registerFlow(quackhouseFlow);

describe('a fifth warehouse registered with one line', () => {
  it('renders its wizard step with its own labels and the configured regions', () => {
    const steps = customerStepsFor(getFlow('quackhouse'), DEFAULT_FLOW_CONFIG);
    const pond = steps.find((st) => st.id === 'pond')!;
    const noop = () => undefined;
    const html = [
      renderToStaticMarkup(
        createElement(Stepper, {
          items: steps.map((st) => ({ id: st.id, title: st.title, phase: st.phase })),
          current: 'pond',
          phase: 'draft',
          onGo: noop,
        }),
      ),
      ...pond.fields.map((spec) =>
        renderToStaticMarkup(
          createElement(Field, {
            spec,
            value: spec.name === 'quackPort' ? 9440 : '',
            errors: [],
            nestedErrors: {},
            onChange: noop,
            onBlur: noop,
          }),
        ),
      ),
    ].join('');
    expect(html).toContain('Your Quackhouse pond');
    expect(html).toContain('Your flock');
    expect(html).toContain('Quack service name');
    expect(html).toContain('The port ducks answer on.');
    expect(html).toContain('value="9440"');
    expect(html).toContain('us-east-1');
    // The wizard asks for each step's copy-ready commands: a flow that declares none gets none, not an error.
    expect(commandsFor('quackhouse', 'pond', { region: 'us-east-1', inputs: {}, outputs: {} })).toEqual([]);
  });

  let env: Env;
  beforeAll(async () => {
    env = await setup();
  });
  afterAll(async () => {
    await env.h.close();
  });

  it('walks a Quackhouse case from draft to active through the sandbox edge', async () => {
    const { db, w } = env;
    const ada = w.ada;
    expect(getFlow('quackhouse').name).toBe('Quackhouse Cloud');

    const service = await createNlbService(db, { workspaceId: ada.workspaceId!, region: 'us-east-1', acceptanceRequired: false });
    await allowPrincipal(db, { workspaceId: ada.workspaceId!, serviceName: service.serviceName, principalArn: roleOf(ada) });

    let c = await createDraft(db, ada, { warehouse: 'quackhouse', region: 'us-east-1' });
    expect(c.warehouse).toBe('quackhouse');

    // The flow's own schema refuses a bad value, naming the field and the rule.
    const bad = await saveInputs(db, ada, {
      caseId: c.id,
      version: c.version,
      stepId: 'pond',
      values: { region: 'us-east-1', quackService: service.serviceName, quackPort: '70000' },
    });
    expect(bad.issues.map((i) => i.field)).toContain('quackPort');
    let v = bad.case.version;
    v = (
      await saveInputs(db, ada, {
        caseId: c.id,
        version: v,
        stepId: 'pond',
        values: { region: 'us-east-1', quackService: service.serviceName, quackPort: '9440' },
      })
    ).case.version;
    expect((await caseRow(db, c.id)).inputs).toMatchObject({ quackService: service.serviceName, quackPort: 9440 });

    c = await applyEvent(db, ada, { caseId: c.id, event: 'submit', version: v });
    c = await applyEvent(db, w.casey, { caseId: c.id, event: 'accept', version: c.version });

    // A details value must pass its schema to be saved.
    await expect(saveInputs(db, ada, { caseId: c.id, version: c.version, stepId: 'flock', values: { flockName: 'X1' } })).rejects.toSatisfy(
      (e: unknown) => e instanceof CaseError && JSON.stringify(e).includes('flockName'),
    );
    v = (await saveInputs(db, ada, { caseId: c.id, version: c.version, stepId: 'flock', values: { flockName: 'mallards' } })).case.version;
    c = await applyEvent(db, ada, { caseId: c.id, event: 'provide_details', version: v });
    c = await applyEvent(db, w.casey, { caseId: c.id, event: 'request_provisioning', version: c.version });
    c = await applyEvent(db, w.erin, { caseId: c.id, event: 'approve', version: c.version });
    expect(c.state).toBe('provisioning');

    const { c: done } = await drive(env.deps, c.id, ['active', 'failed']);
    expect(done.lastError).toBeNull();
    expect(done.state).toBe('active');
    expect(String(done.outputs.host)).toMatch(/vpce-.*\.vpce-svc-/);

    // The staff case view shows the fictitious flow's inputs under its own labels, and its outputs.
    const staff = { id: w.erin.id, email: w.erin.email!, name: 'Erin', role: w.erin.role, workspaceId: null };
    const html = renderToStaticMarkup(
      createElement(StaffCaseView, {
        c: done,
        flow: getFlow('quackhouse'),
        events: await listCaseEvents(done.id, db),
        messages: await listCaseMessages(w.erin, done.id, db),
        user: staff,
        edge: undefined,
        preflight: null,
        conflicts: [],
        autoRequest: null,
      }),
    );
    expect(html).toContain('Quack service name');
    expect(html).toContain(service.serviceName);
    expect(html).toContain('mallards');
    expect(html).toContain('Pond host');

    const standing = whereItStands(done, getFlow('quackhouse'), null);
    expect(standing.headline).toBe('Active: PrivateLink is ready to use');
  });
});
