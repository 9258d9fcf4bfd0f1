import { describe, expect, it } from 'vitest';
import {
  initialWizardState,
  statusText,
  type WizardEvent,
  type WizardState,
  wizardReducer,
} from '@/app/(portal)/cases/[id]/setup/_components/wizard-state';

// The wizard's saving and sending, written out independently from docs/design.md#the-wizards-saves-and-sends: for
// each (state, event) the expected status, status line, unsaved steps, version and conflict text.

type Status = WizardState['status'];

// One state of each kind at version 3. Step "a" is the one on screen; "b" is another step with unsaved answers
// where a state can have them.
const FROM: Record<Status, WizardState> = {
  editing: { status: 'editing', message: '', version: 3, dirty: ['a'], conflict: null, serverErrors: {} },
  saving: { status: 'saving', message: '', version: 3, dirty: [], conflict: null, serverErrors: {} },
  saved: { status: 'saved', message: '', version: 3, dirty: [], conflict: null, serverErrors: {} },
  'needs-fixes': {
    status: 'needs-fixes',
    message: '2 fields need attention on this step.',
    version: 3,
    dirty: ['a'],
    conflict: null,
    serverErrors: {},
  },
  failed: {
    status: 'failed',
    message: 'Not saved: the connection dropped.',
    version: 3,
    dirty: ['a'],
    conflict: null,
    serverErrors: { port: ['Use a port in 1150–65535.'] },
  },
  conflict: {
    status: 'conflict',
    message: 'Not saved: this case was changed somewhere else.',
    version: 3,
    dirty: ['a'],
    conflict: 'Someone else saved first.',
    serverErrors: {},
  },
  submitting: { status: 'submitting', message: '', version: 3, dirty: ['a'], conflict: null, serverErrors: {} },
  submitted: { status: 'submitted', message: '', version: 4, dirty: [], conflict: null, serverErrors: {} },
};

const refusal = (code: string, message: string, fieldErrors: Record<string, string[]> = {}) => ({ code, message, fieldErrors });
const EV = {
  editA: { type: 'edited', stepId: 'a' },
  editB: { type: 'edited', stepId: 'b' },
  startA: { type: 'save-started', stepId: 'a' },
  saved5: { type: 'save-succeeded', version: 5 },
  saveConflict: { type: 'save-failed', stepId: 'a', refusal: refusal('conflict', 'Changed by Ada a moment ago.') },
  saveInvalid: { type: 'save-failed', stepId: 'a', refusal: refusal('validation', 'Some fields need attention.') },
  saveDropped: {
    type: 'save-failed',
    stepId: 'a',
    refusal: refusal('internal', 'Not saved: the connection dropped.', { port: ['Required.'] }),
  },
  blocked1: { type: 'next-blocked', problems: 1 },
  blocked3: { type: 'next-blocked', problems: 3 },
  noChecks: { type: 'checks-unavailable' },
  send: { type: 'submit-started' },
  sent: { type: 'submit-succeeded' },
  sendConflict: { type: 'submit-failed', refusal: refusal('conflict', 'Changed by Ada a moment ago.') },
  sendRefused: { type: 'submit-failed', refusal: refusal('failed_precondition', 'The edge account is not authorized yet.') },
} satisfies Record<string, WizardEvent>;

// [from, event, status, status line, unsaved steps, version, conflict text]
type Row = [Status, keyof typeof EV, Status, string, string[], number, string | null];
const SAVE_CONFLICT = 'Not saved: this case was changed somewhere else.';
const SEND_CONFLICT = 'Not sent: this case was changed somewhere else.';
const FIX = 'Not saved yet: fix the highlighted fields first.';
const NO_CHECKS = 'The checks could not run just now. Try Next again in a moment.';
const EXPECTED: Row[] = [
  // Typing: the status line clears, the step waits for its save; a save on its way keeps saying "Saving…".
  ['editing', 'editB', 'editing', '', ['a', 'b'], 3, null],
  ['editing', 'editA', 'editing', '', ['a'], 3, null],
  ['saved', 'editA', 'editing', '', ['a'], 3, null],
  ['needs-fixes', 'editA', 'editing', '', ['a'], 3, null],
  ['failed', 'editA', 'editing', '', ['a'], 3, null],
  ['saving', 'editA', 'saving', 'Saving…', ['a'], 3, null],
  ['submitting', 'editB', 'submitting', '', ['a', 'b'], 3, null],
  // Autosave, Next, leaving the page: a save starts from wherever the person was.
  ['editing', 'startA', 'saving', 'Saving…', [], 3, null],
  ['needs-fixes', 'startA', 'saving', 'Saving…', [], 3, null],
  ['failed', 'startA', 'saving', 'Saving…', [], 3, null],
  ['submitting', 'startA', 'submitting', '', [], 3, null],
  // A save's answer.
  ['saving', 'saved5', 'saved', 'All changes saved.', [], 5, null],
  ['submitting', 'saved5', 'submitting', '', ['a'], 5, null],
  ['needs-fixes', 'saved5', 'needs-fixes', '2 fields need attention on this step.', ['a'], 5, null],
  ['saving', 'saveConflict', 'conflict', SAVE_CONFLICT, ['a'], 3, 'Changed by Ada a moment ago.'],
  ['submitting', 'saveConflict', 'conflict', SAVE_CONFLICT, ['a'], 3, 'Changed by Ada a moment ago.'],
  ['saving', 'saveInvalid', 'needs-fixes', FIX, ['a'], 3, null],
  ['submitting', 'saveInvalid', 'needs-fixes', FIX, ['a'], 3, null],
  ['saving', 'saveDropped', 'failed', 'Not saved: the connection dropped.', ['a'], 3, null],
  ['submitting', 'saveDropped', 'failed', 'Not saved: the connection dropped.', ['a'], 3, null],
  // Next with problems on the step, or with the checks out of reach.
  ['editing', 'blocked1', 'needs-fixes', '1 field needs attention on this step.', ['a'], 3, null],
  ['saved', 'blocked3', 'needs-fixes', '3 fields need attention on this step.', [], 3, null],
  ['saving', 'blocked1', 'needs-fixes', '1 field needs attention on this step.', [], 3, null],
  ['editing', 'noChecks', 'failed', NO_CHECKS, ['a'], 3, null],
  ['submitting', 'noChecks', 'submitting', '', ['a'], 3, null],
  // The explicit send.
  ['saved', 'send', 'submitting', '', [], 3, null],
  ['editing', 'send', 'submitting', '', ['a'], 3, null],
  ['failed', 'send', 'submitting', '', ['a'], 3, null],
  ['needs-fixes', 'send', 'submitting', '', ['a'], 3, null],
  ['submitting', 'sent', 'submitted', '', ['a'], 3, null],
  ['submitting', 'sendConflict', 'conflict', SEND_CONFLICT, ['a'], 3, 'Changed by Ada a moment ago.'],
  ['submitting', 'sendRefused', 'failed', 'The edge account is not authorized yet.', ['a'], 3, null],
  // A send's answer or a Next outside a send changes nothing.
  ['editing', 'sent', 'editing', '', ['a'], 3, null],
  ['saved', 'sendRefused', 'saved', 'All changes saved.', [], 3, null],
  ['submitting', 'blocked1', 'submitting', '', ['a'], 3, null],
  ['submitting', 'send', 'submitting', '', ['a'], 3, null],
  // A conflict holds until the reload; a sent case is being left.
  ['conflict', 'editA', 'conflict', SAVE_CONFLICT, ['a'], 3, 'Someone else saved first.'],
  ['conflict', 'startA', 'conflict', SAVE_CONFLICT, ['a'], 3, 'Someone else saved first.'],
  ['conflict', 'saved5', 'conflict', SAVE_CONFLICT, ['a'], 3, 'Someone else saved first.'],
  ['conflict', 'send', 'conflict', SAVE_CONFLICT, ['a'], 3, 'Someone else saved first.'],
  ['conflict', 'blocked1', 'conflict', SAVE_CONFLICT, ['a'], 3, 'Someone else saved first.'],
  ['submitted', 'editA', 'submitted', '', [], 4, null],
  ['submitted', 'sendRefused', 'submitted', '', [], 4, null],
];

describe('the wizard state machine', () => {
  it.each(EXPECTED)('%s --%s--> %s', (from, event, status, line, dirty, version, conflict) => {
    const next = wizardReducer(FROM[from], EV[event]);
    expect(next.status).toBe(status);
    expect(statusText(next)).toBe(line);
    expect([...next.dirty].sort()).toEqual(dirty);
    expect(next.version).toBe(version);
    expect(next.conflict).toBe(conflict);
  });

  it('says nothing saved until a step is saved, then "All changes saved."', () => {
    let s = initialWizardState(1);
    expect(statusText(s)).toBe('');
    for (const e of [EV.editA, EV.startA] as WizardEvent[]) s = wizardReducer(s, e);
    expect(statusText(s)).toBe('Saving…');
    s = wizardReducer(s, { type: 'save-succeeded', version: 2 });
    expect(statusText(s)).toBe('All changes saved.');
    expect(s.version).toBe(2);
  });

  it('does not claim everything saved while another typed answer waits for its save', () => {
    const s = [EV.editA, EV.startA, EV.editA, EV.saved5].reduce<WizardState>(wizardReducer, initialWizardState(1));
    expect(s.status).toBe('editing');
    expect(s.dirty).toEqual(['a']);
  });

  it('keeps the server field errors of a refused save until a save succeeds', () => {
    const refused = wizardReducer(FROM.saving, EV.saveDropped);
    expect(refused.serverErrors).toEqual({ port: ['Required.'] });
    const typed = wizardReducer(refused, EV.editA);
    expect(typed.serverErrors).toEqual({ port: ['Required.'] });
    const saved = wizardReducer(wizardReducer(typed, EV.startA), EV.saved5);
    expect(saved.serverErrors).toEqual({});
  });

  it('lets the person send again after a refused send', () => {
    const refused = wizardReducer(FROM.submitting, EV.sendRefused);
    expect(wizardReducer(refused, EV.send).status).toBe('submitting');
  });
});
