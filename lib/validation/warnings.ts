/**
 * Answers that are allowed but usually a mistake: the wizard shows them as warnings (they never block a save or a
 * send). Read from the stored (normalised) values, so "1234-5678-9012" and "123456789012" warn alike.
 */
import type { ValidationIssue } from './result';

export interface WarningContext {
  /** The edge AWS account's own ID, when the case shows it. */
  edgeAccountId?: string;
  /** The CIDR block the edge connects from (docs/program-rules.md#rds-postgres). */
  edgeCidr: string;
}

export function inputWarnings(stored: Record<string, unknown>, ctx: WarningContext): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  // Security-group rules matter only while the NLB enforces them on PrivateLink traffic.
  if (stored.inboundEnforcement === 'on' && Array.isArray(stored.inboundRules)) {
    stored.inboundRules.forEach((rule, i) => {
      const cidr = typeof rule === 'object' && rule ? String((rule as { cidr?: unknown }).cidr ?? '').trim() : '';
      if (cidr === '0.0.0.0/0') {
        out.push({
          field: 'inboundRules',
          rule: 'nlb.open_to_all',
          message: `Inbound rule ${i + 1} admits 0.0.0.0/0, every IPv4 address, so anyone who can reach the NLB gets through. This is allowed, but unless you mean it, narrow the source to ${ctx.edgeCidr}, the block our edge connects from.`,
        });
      }
    });
  }
  if (ctx.edgeAccountId && stored.awsAccountId === ctx.edgeAccountId) {
    out.push({
      field: 'awsAccountId',
      rule: 'aws_account_id.is_edge',
      message: `AWS account ID ${ctx.edgeAccountId} is our edge account's ID, shown on this case, not yours. This is allowed, but enter the ID of the account that owns your cluster (the account menu at the top right of your AWS console) unless you are sure.`,
    });
  }
  return out;
}
