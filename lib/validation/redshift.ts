/** Redshift cluster prerequisites: node type and cluster identifier. */
import { type Checked, fail, ok, listOf } from './result';
import { readText } from './form';

// RA3 node types (docs/facts.md#redshift-managed-vpc-endpoints).
export const RA3_NODE_TYPES = ['ra3.large', 'ra3.xlplus', 'ra3.4xlarge', 'ra3.16xlarge'] as const;
// Older families a customer may still run: listed so the wizard can tell them RA3 is required instead of "unknown".
export const NON_RA3_NODE_TYPES = ['dc2.large', 'dc2.8xlarge', 'ds2.xlarge', 'ds2.8xlarge'] as const;

const RA3_LIST = listOf(RA3_NODE_TYPES);

/** An RA3 node type (the program requires one: docs/program-rules.md#redshift). */
export function checkNodeType(value: unknown): Checked<string> {
  const text = readText(value)?.toLowerCase();
  if (text === undefined) {
    return fail('node_type.required', `Node type is empty: choose your cluster's node type, one of ${RA3_LIST}.`);
  }
  if ((RA3_NODE_TYPES as readonly string[]).includes(text)) return ok(text);
  if (/^(?:dc1|dc2|ds1|ds2)\.[a-z0-9]+$/.test(text)) {
    return fail(
      'node_type.ra3',
      `Node type ${text} is not RA3: Redshift PrivateLink requires an RA3 node type (${RA3_LIST}), so resize the cluster to RA3 first.`,
    );
  }
  return fail(
    'node_type.unknown',
    `Node type "${text}" is not a Redshift node type: choose the one shown on your cluster's page, which must be ${RA3_LIST}.`,
  );
}

// Redshift management guide: 1–63 characters, lowercase letters, digits and hyphens, starting with a letter,
// no two consecutive hyphens, not ending with a hyphen.
export function checkClusterIdentifier(value: unknown, label = 'Cluster identifier'): Checked<string> {
  const fix = "copy it exactly as the Redshift console's Clusters list shows it";
  const id = readText(value);
  if (id === undefined) return fail('cluster_identifier.required', `${label} is empty: ${fix}.`);
  if (id.length > 63) {
    return fail('cluster_identifier.length', `${label} is ${id.length} characters long, more than Redshift's 63: ${fix}.`);
  }
  if (!/^[a-z0-9-]+$/.test(id)) {
    return fail('cluster_identifier.characters', `${label} "${id}" may contain only lowercase letters, digits and hyphens: ${fix}.`);
  }
  if (!/^[a-z]/.test(id)) return fail('cluster_identifier.start', `${label} "${id}" must start with a letter: ${fix}.`);
  if (id.includes('--')) {
    return fail('cluster_identifier.hyphens', `${label} "${id}" cannot contain two hyphens in a row: ${fix}.`);
  }
  if (id.endsWith('-')) return fail('cluster_identifier.end', `${label} "${id}" cannot end with a hyphen: ${fix}.`);
  return ok(id);
}
