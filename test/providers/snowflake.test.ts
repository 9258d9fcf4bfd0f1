import { describe, expect, it } from 'vitest';
import { DEFAULT_FLOW_CONFIG } from '@/lib/providers/config';
import { snowflakeFlow } from '@/lib/providers/snowflake';
import type { FlowContext, InputPhase } from '@/lib/providers/types';

const ctx: FlowContext = { region: 'us-east-1', config: DEFAULT_FLOW_CONFIG };

// A live-shaped SYSTEM$GET_PRIVATELINK_CONFIG output for region `r`.
function output(r: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'privatelink-account-name': `xy12345.${r}.privatelink`,
    'privatelink-vpce-id': `com.amazonaws.vpce.${r}.vpce-svc-0a1b2c3d4e5f67890`,
    'privatelink-account-url': `xy12345.${r}.privatelink.snowflakecomputing.com`,
    'privatelink_ocsp-url': `ocsp.xy12345.${r}.privatelink.snowflakecomputing.com`,
    'regionless-privatelink-account-url': 'myorg-analytics.privatelink.snowflakecomputing.com',
    'privatelink-connection-urls': '[]',
    'privatelink-account-principal': 'arn:aws:iam::987654321098:root',
    ...overrides,
  };
}
// As the Snowflake UI shows the value: a quoted, escaped JSON string, here under its column header.
const uiPaste = (config: Record<string, unknown>) => `SYSTEM$GET_PRIVATELINK_CONFIG()\n${JSON.stringify(JSON.stringify(config))}`;

const VALID = { region: 'us-east-1', privatelinkEnabled: 'on', privatelinkConfig: uiPaste(output('us-east-1')) };

const rulesOf = (inputs: Record<string, unknown>, phases?: InputPhase[], context = ctx) =>
  snowflakeFlow.check(inputs, context, phases).map((i) => `${i.field}:${i.rule}`);

describe('Snowflake prerequisites', () => {
  it.each([
    ['the UI string under its header', uiPaste(output('us-east-1'))],
    ['plain JSON', JSON.stringify(output('us-east-1'))],
    [
      'the documented OCSP spelling',
      JSON.stringify(
        output('us-east-1', {
          'privatelink_ocsp-url': undefined,
          'privatelink-ocsp-url': 'ocsp.xy12345.us-east-1.privatelink.snowflakecomputing.com',
        }),
      ),
    ],
  ])('accepts %s', (_, privatelinkConfig) => {
    expect(snowflakeFlow.check({ ...VALID, privatelinkConfig }, ctx)).toEqual([]);
  });

  it('rejects a configuration from another region, naming both, verbatim', () => {
    expect(snowflakeFlow.check({ ...VALID, privatelinkConfig: uiPaste(output('us-west-2')) }, ctx)).toEqual([
      {
        field: 'privatelinkConfig',
        rule: 'region.match',
        message:
          'PrivateLink configuration is for a Snowflake account in us-west-2, but this case is in us-east-1: paste the output of SELECT SYSTEM$GET_PRIVATELINK_CONFIG(); from your account in us-east-1, or open a case for us-west-2.',
      },
    ]);
  });

  it('names the one key from another region', () => {
    const mixed = output('us-east-1', { 'privatelink-vpce-id': 'com.amazonaws.vpce.us-west-2.vpce-svc-0a1b2c3d4e5f67890' });
    expect(snowflakeFlow.check({ ...VALID, privatelinkConfig: JSON.stringify(mixed) }, ctx)).toEqual([
      {
        field: 'privatelinkConfig',
        rule: 'region.match',
        message: 'privatelink-vpce-id is in us-west-2, but this case is in us-east-1: paste the output exactly as Snowflake returned it.',
      },
    ]);
  });

  it('compares with the case region when only the details are checked', () => {
    const details = { privatelinkConfig: uiPaste(output('us-east-1')) };
    expect(rulesOf(details, ['details'], { ...ctx, region: 'eu-west-1' })).toEqual(['privatelinkConfig:region.match']);
    expect(rulesOf(details, ['details'])).toEqual([]);
  });

  it.each([
    [{ privatelinkConfig: '' }, ['privatelinkConfig:snowflake_config.required']],
    [{ privatelinkConfig: 'xy12345.us-east-1.privatelink' }, ['privatelinkConfig:snowflake_config.json']],
    [
      { privatelinkConfig: JSON.stringify(output('us-east-1', { 'privatelink-account-url': undefined })) },
      ['privatelinkConfig:snowflake_config.missing_keys'],
    ],
    [
      { privatelinkConfig: JSON.stringify(output('us-east-1', { 'privatelink_ocsp-url': undefined })) },
      ['privatelinkConfig:snowflake_config.missing_keys'],
    ],
    [{ privatelinkEnabled: 'off' }, ['privatelinkEnabled:snowflake.privatelink_enabled']],
    // The region's message alone: a mismatch would ask for a configuration from the region that is not eligible.
    [{ region: 'ap-northeast-1' }, ['region:region.eligible']],
  ])('%j → %j', (change, expected) => {
    expect(rulesOf({ ...VALID, ...change })).toEqual(expected);
  });

  it('asks only for the PrivateLink confirmation before submitting', () => {
    expect(rulesOf({ region: 'eu-west-1', privatelinkEnabled: true }, ['draft'])).toEqual([]);
    expect(rulesOf({ region: 'eu-west-1' }, ['draft'])).toEqual(['privatelinkEnabled:snowflake.privatelink_enabled']);
  });

  it('stores the configuration reduced to the extracted keys, idempotently', () => {
    const stored = snowflakeFlow.normalise(VALID, ctx);
    expect(stored).toEqual({
      region: 'us-east-1',
      privatelinkEnabled: true,
      privatelinkConfig: {
        'privatelink-account-name': 'xy12345.us-east-1.privatelink',
        'privatelink-vpce-id': 'com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f67890',
        'privatelink-account-url': 'xy12345.us-east-1.privatelink.snowflakecomputing.com',
        'privatelink-ocsp-url': 'ocsp.xy12345.us-east-1.privatelink.snowflakecomputing.com',
        'regionless-privatelink-account-url': 'myorg-analytics.privatelink.snowflakecomputing.com',
        'privatelink-connection-urls': [],
      },
    });
    expect(snowflakeFlow.normalise(stored, ctx)).toEqual(stored);
    expect(snowflakeFlow.check(stored, ctx)).toEqual([]);
  });

  it('keeps an unparseable paste as typed so the customer can fix it', () => {
    expect(snowflakeFlow.normalise({ privatelinkConfig: '{oops' }, ctx)).toEqual({ privatelinkConfig: '{oops' });
  });
});
