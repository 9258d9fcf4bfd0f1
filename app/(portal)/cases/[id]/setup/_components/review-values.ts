import type { FieldSpec } from '@/lib/providers';

const PROTOCOL_WORDS: Record<string, string> = { tcp: 'TCP', udp: 'UDP', icmp: 'ICMP', all: 'All traffic' };

/**
 * One answer on the review, in words: the value as the server will store it (the zod schema's output, sent back by
 * the check), so "1234-5678-9012" reads 123456789012, a ticked box Yes, a choice by its label.
 */
export function storedForReview(field: Pick<FieldSpec, 'kind' | 'options'>, value: unknown): string {
  if (value === undefined || value === null || value === '') return field.kind === 'checkbox' ? 'No' : '—';
  if (field.kind === 'checkbox') return value === true || value === 'on' || value === 'true' ? 'Yes' : 'No';
  if (field.kind === 'select') return field.options?.find((o) => o.value === value)?.label ?? String(value);
  if (field.kind === 'rules' && Array.isArray(value)) {
    if (value.length === 0) return 'None';
    return value
      .map((r, i) => {
        const rule = (r ?? {}) as Record<string, unknown>;
        const protocol = String(rule.protocol ?? 'tcp').toLowerCase();
        const from = rule.fromPort === '' ? undefined : rule.fromPort;
        const to = rule.toPort === '' || rule.toPort === undefined ? from : rule.toPort;
        const ports = from === undefined ? '' : String(to) === String(from) ? `, port ${from}` : `, ports ${from}–${to}`;
        return `${i + 1}. ${rule.cidr || '(no source)'}, ${PROTOCOL_WORDS[protocol] ?? protocol}${ports}`;
      })
      .join('\n');
  }
  if (typeof value === 'object') {
    // A parsed configuration (Snowflake's): one "key: value" line each.
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join('\n');
  }
  const text = String(value);
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}
