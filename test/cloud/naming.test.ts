import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SANDBOX_EDGE_LAYOUT } from '@/lib/cloud/layout';
import {
  clientTokenFor,
  hostedZoneFor,
  isValidRedshiftEndpointName,
  redshiftEndpointName,
  sharedAzIds,
  subnetsForAzIds,
} from '@/lib/cloud/naming';

const edge = SANDBOX_EDGE_LAYOUT.regions['us-east-1']!;

describe('Redshift endpoint names', () => {
  it.each([
    ['plp-1', true],
    ['a', true],
    ['x'.repeat(30), true],
    ['x'.repeat(31), false],
    ['1abc', false],
    ['-abc', false],
    ['ab--c', false],
    ['abc-', false],
    ['ab_c', false],
    ['', false],
  ])('%s is %s by the Redshift endpoint name rules', (name, ok) => {
    expect(isValidRedshiftEndpointName(name)).toBe(ok);
  });

  it('derives a valid name from any case id, the same every time, different for different cases', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), (a, b) => {
        const name = redshiftEndpointName(a);
        expect(isValidRedshiftEndpointName(name)).toBe(true);
        expect(redshiftEndpointName(a)).toBe(name);
        if (a.replace(/-/g, '').slice(0, 20) !== b.replace(/-/g, '').slice(0, 20)) expect(redshiftEndpointName(b)).not.toBe(name);
      }),
    );
  });
});

describe('ClientToken', () => {
  it('is fixed by the case and the endpoint generation, and fits in the 64 characters EC2 allows', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.nat(1000), (id, g) => {
        const token = clientTokenFor(id, g);
        expect(token).toBe(clientTokenFor(id, g));
        expect(token).not.toBe(clientTokenFor(id, g + 1));
        expect(token.length).toBeLessThanOrEqual(64);
        expect(token).toMatch(/^[\x21-\x7e]+$/);
      }),
    );
  });
});

describe('edge layout lookups', () => {
  it('picks subnets by AZ ID and keeps only the AZs both sides share', () => {
    expect(sharedAzIds(['use1-az6', 'use1-az3', 'use1-az1'], edge)).toEqual(['use1-az3', 'use1-az1']);
    expect(subnetsForAzIds(edge, ['use1-az3', 'use1-az9'])).toEqual([{ subnetId: 'subnet-013b4c6d8e0f2a4c6', azId: 'use1-az3' }]);
  });

  it('finds the private hosted zone by the longest matching suffix, and none for a foreign name', () => {
    expect(hostedZoneFor(edge, 'OCSP.xy12345.us-east-1.privatelink.snowflakecomputing.com.')?.name).toBe(
      'privatelink.snowflakecomputing.com',
    );
    expect(hostedZoneFor(edge, 'acme.cloud.databricks.com')?.name).toBe('cloud.databricks.com');
    expect(hostedZoneFor(edge, 'evilsnowflakecomputing.com')).toBeUndefined();
  });
});
