/**
 * Security-group inbound rules as a customer describes them for their NLB, and whether one of them admits a CIDR block
 * on a port.
 */
import { z } from 'zod';
import { readText } from './form';
import { checkCidr, cidrContains } from './ipv4';
import { checkPort } from './ports';

export type RuleProtocol = 'tcp' | 'udp' | 'icmp' | 'all';

export interface InboundRule {
  /** Source CIDR, normalised to its network. */
  cidr: string;
  protocol: RuleProtocol;
  /** Absent for protocol "all" (every port) and "icmp" (no ports). */
  fromPort?: number;
  toPort?: number;
}

/** A problem in one rule, with its path below the rules field (e.g. [0, 'cidr']). */
export interface RuleProblem {
  path: (string | number)[];
  rule: string;
  message: string;
}

// The console's names and the API's protocol numbers ("-1" is "all traffic").
const PROTOCOLS: Record<string, RuleProtocol> = {
  tcp: 'tcp',
  '6': 'tcp',
  udp: 'udp',
  '17': 'udp',
  icmp: 'icmp',
  '1': 'icmp',
  all: 'all',
  '-1': 'all',
  'all traffic': 'all',
};

function parseRule(item: unknown, index: number): { rule?: InboundRule; problems: RuleProblem[] } {
  const n = index + 1;
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return {
      problems: [
        {
          path: [index],
          rule: 'inbound_rule.format',
          message: `Inbound rule ${n} is not a rule: give it a source CIDR block, a protocol and a port range.`,
        },
      ],
    };
  }
  const raw = item as Record<string, unknown>;
  const problems: RuleProblem[] = [];
  const cidr = checkCidr(raw.cidr, `Inbound rule ${n} source`);
  if (!cidr.ok) problems.push({ path: [index, 'cidr'], rule: cidr.rule, message: cidr.message });

  const protocolText = readText(raw.protocol)?.toLowerCase() ?? 'tcp';
  const protocol = PROTOCOLS[protocolText];
  if (!protocol) {
    problems.push({
      path: [index, 'protocol'],
      rule: 'inbound_rule.protocol',
      message: `Inbound rule ${n} protocol "${protocolText}" is not one the NLB's security group uses: choose TCP, UDP, ICMP or All traffic.`,
    });
  }

  let fromPort: number | undefined;
  let toPort: number | undefined;
  if (protocol === 'tcp' || protocol === 'udp') {
    const from = checkPort(raw.fromPort, `Inbound rule ${n} from port`, { min: 0 });
    // A single port may be given as fromPort alone.
    const to = checkPort(raw.toPort ?? raw.fromPort, `Inbound rule ${n} to port`, { min: 0 });
    if (!from.ok) problems.push({ path: [index, 'fromPort'], rule: from.rule, message: from.message });
    if (from.ok && !to.ok) problems.push({ path: [index, 'toPort'], rule: to.rule, message: to.message });
    if (from.ok && to.ok) {
      if (from.value > to.value) {
        problems.push({
          path: [index, 'toPort'],
          rule: 'inbound_rule.port_order',
          message: `Inbound rule ${n} port range ${from.value}–${to.value} ends before it starts: make the from port no larger than the to port.`,
        });
      }
      fromPort = from.value;
      toPort = to.value;
    }
  }
  if (problems.length > 0 || !cidr.ok || !protocol) return { problems };
  return { rule: { cidr: cidr.value, protocol, ...(fromPort === undefined ? {} : { fromPort, toPort }) }, problems };
}

/**
 * The rules from a form value: an array of {cidr, fromPort, toPort, protocol?}, or its JSON text (what a form's hidden
 * input posts). Protocol defaults to TCP. Every problem is returned with its path; valid rules are returned either way.
 */
export function parseInboundRules(value: unknown): { rules: InboundRule[]; problems: RuleProblem[] } {
  let list = value;
  if (list === undefined || list === null || (typeof list === 'string' && list.trim() === '')) {
    return { rules: [], problems: [] };
  }
  if (typeof list === 'string') {
    try {
      list = JSON.parse(list) as unknown;
    } catch {
      list = undefined;
    }
  }
  if (!Array.isArray(list)) {
    return {
      rules: [],
      problems: [
        {
          path: [],
          rule: 'inbound_rules.format',
          message: 'Inbound rules could not be read: add each rule with its source CIDR block, protocol and port range.',
        },
      ],
    };
  }
  const rules: InboundRule[] = [];
  const problems: RuleProblem[] = [];
  list.forEach((item, index) => {
    const parsed = parseRule(item, index);
    if (parsed.rule) rules.push(parsed.rule);
    problems.push(...parsed.problems);
  });
  return { rules, problems };
}

/** True when the rule lets every address of `source` reach TCP `port`. */
export function ruleAdmits(rule: InboundRule, source: string, port: number): boolean {
  if (!cidrContains(rule.cidr, source)) return false;
  if (rule.protocol === 'all') return true;
  return (
    rule.protocol === 'tcp' && rule.fromPort !== undefined && rule.toPort !== undefined && rule.fromPort <= port && port <= rule.toPort
  );
}

/** The zod field for a list of inbound rules: the normalised rules, or one issue per problem at its path. */
export function inboundRulesField() {
  return z.unknown().transform((value, ctx): InboundRule[] => {
    const { rules, problems } = parseInboundRules(value);
    for (const problem of problems) {
      ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path, params: { rule: problem.rule } });
    }
    return problems.length > 0 ? z.NEVER : rules;
  });
}
