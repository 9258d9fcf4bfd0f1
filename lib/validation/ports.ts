/** TCP ports and port ranges. */
import { type Checked, fail, ok, listOf } from './result';
import { readNumber } from './form';

export interface PortRange {
  from: number;
  to: number;
}

export function portInRanges(port: number, ranges: readonly PortRange[]): boolean {
  return ranges.some((range) => port >= range.from && port <= range.to);
}

/** "5431–5455 or 8191–8215" */
export function formatPortRanges(ranges: readonly PortRange[]): string {
  return listOf(ranges.map((r) => (r.from === r.to ? String(r.from) : `${r.from}–${r.to}`)));
}

export interface PortRules {
  /** Lowest valid port: 1 for a listening port, 0 for a security-group rule range. */
  min?: number;
  /** Ports the product allows, when narrower than min–65535, with who sets the limit and the rule id to report. */
  allowed?: { ranges: readonly PortRange[]; by: string; rule: string };
}

/** An integer port from a form value, within min–65535 and, when given, the allowed ranges. */
export function checkPort(value: unknown, label: string, rules: PortRules = {}): Checked<number> {
  const min = rules.min ?? 1;
  const fix = rules.allowed ? `use a port in ${formatPortRanges(rules.allowed.ranges)}` : `use a whole number from ${min} to 65535`;
  const reading = readNumber(value);
  if (reading.kind === 'missing') return fail('port.required', `${label} is empty: ${fix}.`);
  if (reading.kind === 'not_a_number' || !Number.isInteger(reading.value)) {
    const shown = reading.kind === 'number' ? String(reading.value) : reading.raw;
    return fail('port.integer', `${label} "${shown}" is not a whole number: ${fix}.`);
  }
  const port = reading.value;
  if (port < min || port > 65535) {
    return fail('port.range', `${label} ${port} is not a valid port number: ${fix}.`);
  }
  if (rules.allowed && !portInRanges(port, rules.allowed.ranges)) {
    return fail(rules.allowed.rule, `${label} ${port} is outside the ports ${rules.allowed.by} allows: ${fix}.`);
  }
  return ok(port);
}
