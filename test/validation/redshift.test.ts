import { describe, expect, it } from 'vitest';
import { checkClusterIdentifier, checkNodeType } from '@/lib/validation/redshift';

describe('checkNodeType', () => {
  it.each(['ra3.large', 'ra3.xlplus', 'ra3.4xlarge', 'ra3.16xlarge', ' RA3.XLPLUS '])('accepts RA3 node type %j', (type) => {
    expect(checkNodeType(type)).toEqual({ ok: true, value: type.trim().toLowerCase() });
  });

  it.each(['dc2.large', 'dc2.8xlarge', 'ds2.xlarge', 'ds2.8xlarge', 'dc1.large'])('rejects %s as not RA3', (type) => {
    const result = checkNodeType(type);
    expect(!result.ok && result.rule).toBe('node_type.ra3');
  });

  it('says RA3 is required, verbatim', () => {
    expect(checkNodeType('dc2.large')).toEqual({
      ok: false,
      rule: 'node_type.ra3',
      message:
        'Node type dc2.large is not RA3: Redshift PrivateLink requires an RA3 node type (ra3.large, ra3.xlplus, ra3.4xlarge or ra3.16xlarge), so resize the cluster to RA3 first.',
    });
  });

  it.each(['ra3.huge', 'm5.large', 'ra3'])('rejects unknown node type %s', (type) => {
    const result = checkNodeType(type);
    expect(!result.ok && result.rule).toBe('node_type.unknown');
  });

  it('reports a missing node type', () => {
    const result = checkNodeType(undefined);
    expect(!result.ok && result.rule).toBe('node_type.required');
  });
});

describe('checkClusterIdentifier', () => {
  it.each(['a', 'analytics-prod', 'redshift-cluster-1', 'a1b2c3', 'a'.repeat(63), ' warehouse '])('accepts %j', (id) => {
    expect(checkClusterIdentifier(id)).toEqual({ ok: true, value: id.trim() });
  });

  it.each([
    ['', 'cluster_identifier.required'],
    ['a'.repeat(64), 'cluster_identifier.length'],
    ['Analytics', 'cluster_identifier.characters'],
    ['analytics_prod', 'cluster_identifier.characters'],
    ['analytics.prod', 'cluster_identifier.characters'],
    ['analytics prod', 'cluster_identifier.characters'],
    ['1analytics', 'cluster_identifier.start'],
    ['-analytics', 'cluster_identifier.start'],
    ['analytics--prod', 'cluster_identifier.hyphens'],
    ['analytics-', 'cluster_identifier.end'],
  ])('rejects %j (%s)', (id, rule) => {
    const result = checkClusterIdentifier(id);
    expect(!result.ok && result.rule).toBe(rule);
  });

  it('explains a double hyphen verbatim', () => {
    expect(checkClusterIdentifier('analytics--prod')).toEqual({
      ok: false,
      rule: 'cluster_identifier.hyphens',
      message:
        'Cluster identifier "analytics--prod" cannot contain two hyphens in a row: copy it exactly as the Redshift console\'s Clusters list shows it.',
    });
  });
});
