import { describe, expect, it } from 'vitest';
import { checkSnowflakeConfig } from '@/lib/validation/snowflake';

// Shaped like a live `SELECT SYSTEM$GET_PRIVATELINK_CONFIG();` in us-east-1 (account locator xy12345, org myorg).
const LIVE_US_EAST_1 = {
  'regionless-snowsight-privatelink-url': 'app-myorg-analytics.privatelink.snowflakecomputing.com',
  'privatelink-account-name': 'xy12345.us-east-1.privatelink',
  'snowsight-privatelink-url': 'app.us-east-1.privatelink.snowflakecomputing.com',
  'privatelink-internal-stage': 'sfc-va2-ds1-42-customer-stage.s3.us-east-1.amazonaws.com',
  'privatelink-account-url': 'xy12345.us-east-1.privatelink.snowflakecomputing.com',
  'privatelink-connection-urls': '[]',
  'privatelink-account-principal': 'arn:aws:iam::987654321098:root',
  'privatelink-vpce-id': 'com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f67890',
  'privatelink-connection-ocsp-urls': '[]',
  'privatelink_ocsp-url': 'ocsp.xy12345.us-east-1.privatelink.snowflakecomputing.com',
  'regionless-privatelink-account-url': 'myorg-analytics.privatelink.snowflakecomputing.com',
  'regionless-privatelink-ocsp-url': 'ocsp.myorg-analytics.privatelink.snowflakecomputing.com',
  'app-service-privatelink-url': '*.ua4wq.privatelink.snowflake.app',
};

// The documented spelling of the OCSP key, Client Redirect lists as real arrays, eu-west-1.
const DOCUMENTED_EU_WEST_1 = {
  'privatelink-account-name': 'ab67890.eu-west-1.privatelink',
  'privatelink-vpce-id': 'com.amazonaws.vpce.eu-west-1.vpce-svc-0fedcba9876543210',
  'privatelink-account-url': 'ab67890.eu-west-1.privatelink.snowflakecomputing.com',
  'privatelink-ocsp-url': 'ocsp.ab67890.eu-west-1.privatelink.snowflakecomputing.com',
  'privatelink-connection-urls': ['myorg-conn.privatelink.snowflakecomputing.com'],
  'privatelink-connection-ocsp-urls': ['ocsp.myorg-conn.privatelink.snowflakecomputing.com'],
};

const plain = JSON.stringify(LIVE_US_EAST_1);
const pretty = JSON.stringify(LIVE_US_EAST_1, null, 2);
const uiString = JSON.stringify(plain); // "{\"regionless-…\":\"…\"}" as the Snowflake UI shows the value
const header = 'SYSTEM$GET_PRIVATELINK_CONFIG()';

const EXPECTED_US_EAST_1 = {
  config: {
    'privatelink-account-name': 'xy12345.us-east-1.privatelink',
    'privatelink-vpce-id': 'com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f67890',
    'privatelink-account-url': 'xy12345.us-east-1.privatelink.snowflakecomputing.com',
    'privatelink-ocsp-url': 'ocsp.xy12345.us-east-1.privatelink.snowflakecomputing.com',
    'regionless-privatelink-account-url': 'myorg-analytics.privatelink.snowflakecomputing.com',
    'regionless-privatelink-ocsp-url': 'ocsp.myorg-analytics.privatelink.snowflakecomputing.com',
    'snowsight-privatelink-url': 'app.us-east-1.privatelink.snowflakecomputing.com',
    'regionless-snowsight-privatelink-url': 'app-myorg-analytics.privatelink.snowflakecomputing.com',
    'privatelink-connection-ocsp-urls': [],
    'privatelink-connection-urls': [],
  },
  regions: {
    'privatelink-vpce-id': 'us-east-1',
    'privatelink-account-url': 'us-east-1',
    'privatelink-account-name': 'us-east-1',
    'privatelink-ocsp-url': 'us-east-1',
  },
};

describe('checkSnowflakeConfig: accepted pastes', () => {
  it.each([
    ['plain JSON on one line', plain],
    ['pretty-printed JSON', pretty],
    ['the quoted, escaped string the Snowflake UI shows', uiString],
    ['the escaped string without its outer quotes', uiString.slice(1, -1)],
    ['JSON under the column header', `${header}\n${plain}`],
    ['the UI string under a quoted column header', `"${header}"\n${uiString}`],
    ['surrounding whitespace and blank lines', `\n\n   ${plain}   \n\n`],
    ['Windows line endings', `${header}\r\n${pretty.replaceAll('\n', '\r\n')}\r\n`],
    ['a CSV cell', `"${header}"\n"${plain.replaceAll('"', '""')}"`],
    ['a SnowSQL table', `+----------+\n| ${header} |\n|----------|\n| ${plain} |\n+----------+\n1 Row(s) produced. Time Elapsed: 0.112s`],
    ['an already-parsed object', LIVE_US_EAST_1],
  ])('extracts the keys from %s', (_, paste) => {
    expect(checkSnowflakeConfig(paste)).toEqual({ ok: true, value: EXPECTED_US_EAST_1 });
  });

  it('accepts the documented privatelink-ocsp-url spelling and list values', () => {
    const result = checkSnowflakeConfig(JSON.stringify(DOCUMENTED_EU_WEST_1));
    expect(result.ok && result.value.config).toEqual(DOCUMENTED_EU_WEST_1);
    expect(result.ok && result.value.regions['privatelink-ocsp-url']).toBe('eu-west-1');
  });

  it('reads lists given as JSON-encoded strings', () => {
    const result = checkSnowflakeConfig({
      ...DOCUMENTED_EU_WEST_1,
      'privatelink-connection-urls': '["myorg-conn.privatelink.snowflakecomputing.com"]',
    });
    expect(result.ok && result.value.config['privatelink-connection-urls']).toEqual(['myorg-conn.privatelink.snowflakecomputing.com']);
  });

  it('drops keys the edge does not use', () => {
    const result = checkSnowflakeConfig(plain);
    expect(result.ok && Object.keys(result.value.config)).not.toContain('privatelink-account-principal');
    expect(result.ok && Object.keys(result.value.config)).not.toContain('privatelink_ocsp-url');
  });

  it('accepts a region with the .aws segment', () => {
    const result = checkSnowflakeConfig({
      'privatelink-account-name': 'cd11111.us-east-2.aws.privatelink',
      'privatelink-vpce-id': 'com.amazonaws.vpce.us-east-2.vpce-svc-01234567890abcdef',
      'privatelink-account-url': 'cd11111.us-east-2.aws.privatelink.snowflakecomputing.com',
      'privatelink-ocsp-url': 'ocsp.cd11111.us-east-2.aws.privatelink.snowflakecomputing.com',
    });
    expect(result.ok && result.value.regions['privatelink-account-name']).toBe('us-east-2');
  });

  it('is idempotent on its own output', () => {
    const first = checkSnowflakeConfig(uiString);
    const second = first.ok ? checkSnowflakeConfig(first.value.config) : first;
    expect(second).toEqual(first);
  });
});

function without(...keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(LIVE_US_EAST_1).filter(([key]) => !keys.includes(key)));
}

describe('checkSnowflakeConfig: rejected pastes', () => {
  it.each([
    ['', 'snowflake_config.required'],
    ['   \n ', 'snowflake_config.required'],
    [header, 'snowflake_config.required'],
    [undefined, 'snowflake_config.required'],
    ['xy12345.us-east-1.privatelink', 'snowflake_config.json'],
    ['{"privatelink-account-name": "xy12345.us-east-1.privatelink",', 'snowflake_config.json'],
    ["{'privatelink-account-name': 'xy12345.us-east-1.privatelink'}", 'snowflake_config.json'],
    ['[1, 2]', 'snowflake_config.shape'],
    ['"just a string"', 'snowflake_config.json'],
    ['42', 'snowflake_config.shape'],
    ['null', 'snowflake_config.shape'],
    [42, 'snowflake_config.shape'],
    [null, 'snowflake_config.required'],
    ['{}', 'snowflake_config.missing_keys'],
    [JSON.stringify(without('privatelink-vpce-id')), 'snowflake_config.missing_keys'],
    [JSON.stringify({ ...LIVE_US_EAST_1, 'privatelink-vpce-id': '' }), 'snowflake_config.missing_keys'],
    [JSON.stringify({ ...LIVE_US_EAST_1, 'privatelink-vpce-id': 'vpce-svc-0a1b2c3d4e5f67890' }), 'snowflake_config.vpce_id'],
    [JSON.stringify({ ...LIVE_US_EAST_1, 'privatelink-account-url': 'xy12345.snowflakecomputing.com' }), 'snowflake_config.account_url'],
    [JSON.stringify({ ...LIVE_US_EAST_1, 'privatelink-account-name': 'xy12345' }), 'snowflake_config.account_name'],
    [JSON.stringify({ ...LIVE_US_EAST_1, 'privatelink_ocsp-url': 'ocsp.snowflakecomputing.com' }), 'snowflake_config.ocsp_url'],
    [
      JSON.stringify({ ...LIVE_US_EAST_1, 'privatelink-account-url': 'zz99999.us-east-1.privatelink.snowflakecomputing.com' }),
      'snowflake_config.consistent',
    ],
    [JSON.stringify({ ...LIVE_US_EAST_1, 'privatelink-connection-urls': 'not a list' }), 'snowflake_config.url_list'],
    [JSON.stringify({ ...LIVE_US_EAST_1, 'privatelink-connection-ocsp-urls': [1, 2] }), 'snowflake_config.url_list'],
  ])('rejects %j (%s)', (paste, rule) => {
    const result = checkSnowflakeConfig(paste);
    expect(!result.ok && result.rule).toBe(rule);
  });

  it('names every missing key, verbatim', () => {
    expect(checkSnowflakeConfig(JSON.stringify(without('privatelink-vpce-id', 'privatelink_ocsp-url')))).toEqual({
      ok: false,
      rule: 'snowflake_config.missing_keys',
      message:
        'PrivateLink configuration is missing privatelink-vpce-id and privatelink-ocsp-url: run SELECT SYSTEM$GET_PRIVATELINK_CONFIG(); with the ACCOUNTADMIN role and paste its whole output after Snowflake support has authorized the edge account.',
    });
  });

  it('names all four keys when none is there', () => {
    const result = checkSnowflakeConfig('{"privatelink-account-principal":"arn:aws:iam::987654321098:root"}');
    expect(!result.ok && result.message).toContain(
      'missing privatelink-vpce-id, privatelink-account-url, privatelink-account-name and privatelink-ocsp-url:',
    );
  });

  it('explains text that is not JSON, verbatim', () => {
    expect(checkSnowflakeConfig('privatelink-vpce-id: com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f67890')).toEqual({
      ok: false,
      rule: 'snowflake_config.json',
      message:
        'PrivateLink configuration is not JSON: run SELECT SYSTEM$GET_PRIVATELINK_CONFIG(); with the ACCOUNTADMIN role and paste its whole output, from the opening { to the closing }.',
    });
  });

  it('quotes a malformed vpce id, verbatim', () => {
    const result = checkSnowflakeConfig({ ...LIVE_US_EAST_1, 'privatelink-vpce-id': 'vpce-svc-0a1b2c3d4e5f67890' });
    expect(!result.ok && result.message).toBe(
      'privatelink-vpce-id "vpce-svc-0a1b2c3d4e5f67890" is not an endpoint service name like com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0: paste the output exactly as Snowflake returned it.',
    );
  });

  it('returns the region of each key from another region, without judging it', () => {
    const west = JSON.parse(plain.replaceAll('us-east-1', 'us-west-2')) as Record<string, unknown>;
    const result = checkSnowflakeConfig(west);
    expect(result.ok && result.value.regions).toEqual({
      'privatelink-vpce-id': 'us-west-2',
      'privatelink-account-url': 'us-west-2',
      'privatelink-account-name': 'us-west-2',
      'privatelink-ocsp-url': 'us-west-2',
    });
  });
});
