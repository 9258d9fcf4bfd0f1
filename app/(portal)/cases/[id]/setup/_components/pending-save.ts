// Answers typed but not yet saved, kept in this tab until a save of them succeeds, and the save sent while the page
// goes away: docs/design.md#the-wizards-saves-and-sends.

type PendingSave = { caseId: string; version: number; stepId: string; values: Record<string, unknown> };
const pendingKey = (caseId: string) => `plp:pending-save:${caseId}`;

export function rememberPending(input: PendingSave) {
  try {
    sessionStorage.setItem(pendingKey(input.caseId), JSON.stringify(input));
  } catch {
    // Storage refused (private mode, quota): the keepalive save still goes out.
  }
}
export function forgetPending(caseId: string) {
  try {
    sessionStorage.removeItem(pendingKey(caseId));
  } catch {}
}
/** A save of `saved` succeeded at `version`: forget the pending answers if that was them, else keep newer ones. */
export function settlePending(caseId: string, saved: Record<string, unknown>, version: number) {
  const pending = readPending(caseId);
  if (!pending || JSON.stringify(pending.values) === JSON.stringify(saved)) return forgetPending(caseId);
  rememberPending({ ...pending, version });
}
export function readPending(caseId: string): PendingSave | null {
  try {
    const raw = sessionStorage.getItem(pendingKey(caseId));
    const v = raw ? (JSON.parse(raw) as PendingSave) : null;
    return v && typeof v.version === 'number' && typeof v.stepId === 'string' && v.values && typeof v.values === 'object' ? v : null;
  } catch {
    return null;
  }
}

/** saveStepAction's answer, from POST /api/cases/:id/inputs sent with keepalive (a server action cannot outlive the page). */
export async function saveWhileLeaving(input: { caseId: string; version: number; stepId: string; values: Record<string, unknown> }) {
  try {
    const res = await fetch(`/api/cases/${input.caseId}/inputs`, {
      method: 'POST',
      keepalive: true,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ version: input.version, stepId: input.stepId, values: input.values }),
    });
    const body = (await res.json().catch(() => ({}))) as { version?: number; error?: string; fieldErrors?: Record<string, string[]> };
    if (res.ok && typeof body.version === 'number') return { ok: true as const, data: { version: body.version } };
    const code = res.status === 409 ? 'conflict' : res.status === 422 ? 'validation' : 'internal';
    return { ok: false as const, code, message: body.error ?? 'Not saved.', fieldErrors: body.fieldErrors ?? {} };
  } catch {
    return { ok: false as const, code: 'internal' as const, message: 'Not saved: the connection dropped.', fieldErrors: {} };
  }
}
