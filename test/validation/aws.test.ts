import { describe, expect, it } from 'vitest';
import { checkAwsAccountId, checkEndpointServiceName, checkRegion, isRegionShaped, parseEndpointServiceName } from '@/lib/validation/aws';

const ELIGIBLE = ['us-east-1', 'us-west-2', 'eu-west-1'];

describe('checkRegion', () => {
  it.each(['us-east-1', 'us-west-2', 'eu-west-1', ' US-EAST-1 '])('accepts eligible region %j', (region) => {
    expect(checkRegion(region, ELIGIBLE)).toEqual({ ok: true, value: region.trim().toLowerCase() });
  });

  it.each(['us-east-2', 'eu-central-1', 'ap-southeast-2', 'mars-1', 'useast1'])('rejects ineligible region %s', (region) => {
    const result = checkRegion(region, ELIGIBLE);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.rule).toBe('region.eligible');
  });

  it('names the eligible regions verbatim', () => {
    expect(checkRegion('us-east-2', ELIGIBLE)).toEqual({
      ok: false,
      rule: 'region.eligible',
      message: 'Region us-east-2 is not eligible for PrivateLink: choose us-east-1, us-west-2 or eu-west-1.',
    });
  });

  it('follows a configured list', () => {
    expect(checkRegion('us-east-2', [...ELIGIBLE, 'us-east-2']).ok).toBe(true);
  });

  it('reports a missing region', () => {
    const result = checkRegion('', ELIGIBLE);
    expect(!result.ok && result.rule).toBe('region.required');
  });
});

describe('isRegionShaped', () => {
  it.each([
    ['us-east-1', true],
    ['us-gov-west-1', true],
    ['ap-southeast-2', true],
    ['il-central-1', true],
    ['us-east', false],
    ['US-EAST-1', false],
    ['us_east_1', false],
    ['use1', false],
    ['', false],
  ])('%j → %s', (text, expected) => {
    expect(isRegionShaped(text)).toBe(expected);
  });
});

describe('checkAwsAccountId', () => {
  it.each([
    ['123456789012', '123456789012'],
    ['1234-5678-9012', '123456789012'],
    [' 123456789012 ', '123456789012'],
    ['000000000001', '000000000001'],
    [123456789012, '123456789012'],
  ])('accepts %j as %s', (value, id) => {
    expect(checkAwsAccountId(value)).toEqual({ ok: true, value: id });
  });

  it.each(['12345678901', '1234567890123', '12345678901a', 'arn:aws:iam::123456789012:root', '1234.5678.9012'])('rejects %j', (value) => {
    const result = checkAwsAccountId(value);
    expect(!result.ok && result.rule).toBe('aws_account_id.format');
  });

  it('explains a short account ID verbatim', () => {
    expect(checkAwsAccountId('12345678901')).toEqual({
      ok: false,
      rule: 'aws_account_id.format',
      message:
        'AWS account ID "12345678901" is not 12 digits: copy the 12 digits from the account menu at the top right of the AWS console, like 123456789012.',
    });
  });

  it('reports a missing account ID', () => {
    const result = checkAwsAccountId(undefined);
    expect(!result.ok && result.rule).toBe('aws_account_id.required');
  });
});

describe('endpoint service names', () => {
  it.each([
    ['com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0', 'us-east-1'],
    ['com.amazonaws.vpce.eu-west-1.vpce-svc-0da6ebf1461278016', 'eu-west-1'],
    ['  COM.AMAZONAWS.VPCE.US-WEST-2.VPCE-SVC-0129F463FCFBC46C5 ', 'us-west-2'],
    ['com.amazonaws.vpce.ap-southeast-2.vpce-svc-0123456789abcdef0', 'ap-southeast-2'],
  ])('extracts the region of %s', (name, region) => {
    expect(parseEndpointServiceName(name)?.region).toBe(region);
  });

  it('normalises case and spaces', () => {
    expect(parseEndpointServiceName(' com.amazonaws.vpce.us-east-1.VPCE-SVC-0123456789ABCDEF0 ')).toEqual({
      name: 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0',
      region: 'us-east-1',
      serviceId: 'vpce-svc-0123456789abcdef0',
    });
  });

  it.each([
    'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef', // 16 hex
    'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef01', // 18 hex
    'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdefg', // not hex
    'com.amazonaws.vpce.useast1.vpce-svc-0123456789abcdef0',
    'com.amazonaws.us-east-1.s3',
    'com.amazonaws.vpce.us-east-1.vpce-0123456789abcdef0',
    'vpce-svc-0123456789abcdef0',
    'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0.extra',
    'https://com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0',
  ])('rejects malformed %s', (name) => {
    expect(parseEndpointServiceName(name)).toBeNull();
    const result = checkEndpointServiceName(name);
    expect(!result.ok && result.rule).toBe('service_name.format');
  });

  it('recognises a bare service ID', () => {
    const result = checkEndpointServiceName('vpce-svc-0123456789abcdef0');
    expect(!result.ok && result.message).toBe(
      'Endpoint service name "vpce-svc-0123456789abcdef0" is only the service ID: enter the full name shaped com.amazonaws.vpce.<region>.vpce-svc-<17 hex characters>, like com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0.',
    );
  });

  it('recognises a VPC endpoint ID pasted instead', () => {
    const result = checkEndpointServiceName('vpce-0a1b2c3d4e5f67890');
    expect(!result.ok && result.message).toContain('is a VPC endpoint ID, not an endpoint service name');
  });

  it('reports a missing name', () => {
    const result = checkEndpointServiceName('  ');
    expect(!result.ok && result.rule).toBe('service_name.required');
  });
});
