// The wizard's saving and sending as one pure state machine: docs/design.md#the-wizards-saves-and-sends.

/** Where the wizard stands with the answers typed so far. */
export type WizardStatus =
  | 'editing' // answers typed since the last save, or nothing typed yet
  | 'saving' // a save is on its way
  | 'saved' // every changed step is saved
  | 'needs-fixes' // Next found problems on the step, or the server saves these details only when valid
  | 'failed' // a save, the checks or a send did not go through; the message says which
  | 'conflict' // someone else changed the case: nothing more is saved until the page is reloaded
  | 'submitting' // the explicit send: saving every step, then the case event
  | 'submitted'; // sent; the page is on its way to the case

export interface WizardState {
  status: WizardStatus;
  /** The status line's words where the status alone does not give them. */
  message: string;
  /** The case version the next save or send is made against. */
  version: number;
  /** Steps whose answers changed since their last successful save. */
  dirty: readonly string[];
  /** The server's explanation of a conflict, shown until the page is reloaded. */
  conflict: string | null;
  /** Field errors the server gave with its last refusal. */
  serverErrors: Record<string, string[]>;
}

/** A refused save or send, as the server actions and the keepalive route report it. */
export interface Refusal {
  code: string;
  message: string;
  fieldErrors: Record<string, string[]>;
}

export type WizardEvent =
  | { type: 'edited'; stepId: string }
  | { type: 'save-started'; stepId: string }
  | { type: 'save-succeeded'; version: number }
  | { type: 'save-failed'; stepId: string; refusal: Refusal }
  | { type: 'next-blocked'; problems: number }
  | { type: 'checks-unavailable' }
  | { type: 'submit-started' }
  | { type: 'submit-succeeded' }
  | { type: 'submit-failed'; refusal: Refusal };

const SAVE_CONFLICT_MESSAGE = 'Not saved: this case was changed somewhere else.';
const SEND_CONFLICT_MESSAGE = 'Not sent: this case was changed somewhere else.';
const FIX_FIELDS_MESSAGE = 'Not saved yet: fix the highlighted fields first.';
const CHECKS_UNAVAILABLE_MESSAGE = 'The checks could not run just now. Try Next again in a moment.';

export function initialWizardState(version: number): WizardState {
  return { status: 'editing', message: '', version, dirty: [], conflict: null, serverErrors: {} };
}

const withStep = (dirty: readonly string[], id: string) => (dirty.includes(id) ? dirty : [...dirty, id]);
const withoutStep = (dirty: readonly string[], id: string) => dirty.filter((d) => d !== id);

/** The text of the status line under the step. */
export function statusText(s: WizardState): string {
  if (s.status === 'saving') return 'Saving…';
  if (s.status === 'saved') return 'All changes saved.';
  return s.message;
}

/** The next state; an event that does not apply where the wizard stands leaves the state as it is. */
export function wizardReducer(s: WizardState, e: WizardEvent): WizardState {
  // A conflict holds until the page is reloaded, and a sent case is being left: nothing else applies.
  if (s.status === 'conflict' || s.status === 'submitted') return s;
  const sending = s.status === 'submitting';
  switch (e.type) {
    case 'edited':
      // A save on its way keeps saying so; its answer then tells whether everything is saved.
      return {
        ...s,
        status: sending || s.status === 'saving' ? s.status : 'editing',
        message: '',
        dirty: withStep(s.dirty, e.stepId),
      };
    case 'save-started':
      return { ...s, status: sending ? s.status : 'saving', message: '', dirty: withoutStep(s.dirty, e.stepId) };
    case 'save-succeeded': {
      const status = s.status === 'saving' ? (s.dirty.length === 0 ? 'saved' : 'editing') : s.status;
      return { ...s, status, version: e.version, serverErrors: {} };
    }
    case 'save-failed': {
      const dirty = withStep(s.dirty, e.stepId);
      if (e.refusal.code === 'conflict')
        return { ...s, status: 'conflict', message: SAVE_CONFLICT_MESSAGE, conflict: e.refusal.message, dirty };
      // Details given after acceptance are saved only when valid; the fields show why.
      if (e.refusal.code === 'validation') return { ...s, status: 'needs-fixes', message: FIX_FIELDS_MESSAGE, dirty };
      return { ...s, status: 'failed', message: e.refusal.message, serverErrors: e.refusal.fieldErrors, dirty };
    }
    case 'next-blocked':
      if (sending) return s;
      return {
        ...s,
        status: 'needs-fixes',
        message: `${e.problems} field${e.problems === 1 ? ' needs' : 's need'} attention on this step.`,
      };
    case 'checks-unavailable':
      return sending ? s : { ...s, status: 'failed', message: CHECKS_UNAVAILABLE_MESSAGE };
    case 'submit-started':
      return sending ? s : { ...s, status: 'submitting', message: '' };
    case 'submit-succeeded':
      return sending ? { ...s, status: 'submitted', message: '' } : s;
    case 'submit-failed':
      if (!sending) return s;
      if (e.refusal.code === 'conflict') return { ...s, status: 'conflict', message: SEND_CONFLICT_MESSAGE, conflict: e.refusal.message };
      return { ...s, status: 'failed', message: e.refusal.message, serverErrors: e.refusal.fieldErrors };
  }
}
