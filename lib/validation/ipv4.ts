/**
 * IPv4 addresses and CIDR blocks, as 32-bit unsigned integers, with real containment.
 *
 * Host bits: "10.0.0.1/8" is accepted and read as its network, 10.0.0.0/8 (decision: AWS shows and compares rules by
 * their network, and rejecting a rule the customer copied from the console would only cost them a round trip).
 */
import { type Checked, fail, ok } from './result';
import { readText } from './form';

export interface Ipv4Cidr {
  /** The network address (host bits cleared), as an unsigned 32-bit integer. */
  network: number;
  /** Prefix length, 0–32. */
  prefix: number;
}

// Each octet 0–255 in plain decimal; leading zeros are refused because some parsers read "010" as octal.
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);
const PREFIX = /^(?:3[0-2]|[12]?\d)$/;

/** The address as an unsigned 32-bit integer, or null when it is not a dotted quad. */
export function parseIpv4(text: string): number | null {
  if (!IPV4.test(text)) return null;
  return text.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

export function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 255).join('.');
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** A CIDR block read on its network (host bits cleared), or null when it is not `a.b.c.d/n`. */
export function parseCidr(text: string): Ipv4Cidr | null {
  const slash = text.indexOf('/');
  if (slash < 0) return null;
  const address = parseIpv4(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (address === null || !PREFIX.test(prefixText)) return null;
  const prefix = Number(prefixText);
  return { network: (address & mask(prefix)) >>> 0, prefix };
}

export function formatCidr(cidr: Ipv4Cidr): string {
  return `${formatIpv4(cidr.network)}/${cidr.prefix}`;
}

/** True when every address of `inner` is in `outer`; false when either is malformed. */
export function cidrContains(outer: string | Ipv4Cidr, inner: string | Ipv4Cidr): boolean {
  const o = typeof outer === 'string' ? parseCidr(outer.trim()) : outer;
  const i = typeof inner === 'string' ? parseCidr(inner.trim()) : inner;
  if (!o || !i || o.prefix > i.prefix) return false;
  return (i.network & mask(o.prefix)) >>> 0 === o.network;
}

/** A CIDR block from a form value, normalised to its network (`10.0.0.1/8` → `10.0.0.0/8`). */
export function checkCidr(value: unknown, label: string): Checked<string> {
  const text = readText(value);
  if (text === undefined) {
    return fail('cidr.required', `${label} is empty: enter an IPv4 CIDR block such as 10.0.0.0/8.`);
  }
  const cidr = parseCidr(text);
  if (!cidr) {
    const hint = parseIpv4(text) === null ? '' : ` (for a single address write ${text}/32)`;
    return fail(
      'cidr.format',
      `${label} "${text}" is not an IPv4 CIDR block: write four numbers from 0 to 255 and a prefix length from 0 to 32, such as 10.0.0.0/8${hint}.`,
    );
  }
  return ok(formatCidr(cidr));
}
