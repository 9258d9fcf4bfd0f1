/**
 * The output of Snowflake's `SELECT SYSTEM$GET_PRIVATELINK_CONFIG();`, as customers paste it: plain JSON, the quoted and
 * escaped string the Snowflake UI shows, a CSV cell, or a SnowSQL table — with or without the column header.
 */
import { type Checked, fail, ok, listOf } from './result';
import { readText } from './form';
import { parseEndpointServiceName } from './aws';
import { AWS_REGION_SOURCE } from '@/lib/domain/aws-region';

export const SNOWFLAKE_QUERY = 'SELECT SYSTEM$GET_PRIVATELINK_CONFIG();';

/** The keys kept for the case, OCSP under its documented spelling. */
export interface SnowflakePrivatelinkConfig {
  'privatelink-account-name': string;
  'privatelink-vpce-id': string;
  'privatelink-account-url': string;
  'privatelink-ocsp-url': string;
  'regionless-privatelink-account-url'?: string;
  'regionless-privatelink-ocsp-url'?: string;
  'snowsight-privatelink-url'?: string;
  'regionless-snowsight-privatelink-url'?: string;
  'privatelink-connection-ocsp-urls'?: string[];
  'privatelink-connection-urls'?: string[];
}

/** The region each region-bearing key names (they should all be the case's region). */
export interface ParsedSnowflakeConfig {
  config: SnowflakePrivatelinkConfig;
  regions: {
    'privatelink-vpce-id': string;
    'privatelink-account-url': string;
    'privatelink-account-name': string;
    'privatelink-ocsp-url': string;
  };
}

// Live output sometimes spells the OCSP key with an underscore (docs/facts.md#snowflake).
const OCSP_KEYS = ['privatelink-ocsp-url', 'privatelink_ocsp-url'] as const;
const OPTIONAL_TEXT_KEYS = [
  'regionless-privatelink-account-url',
  'regionless-privatelink-ocsp-url',
  'snowsight-privatelink-url',
  'regionless-snowsight-privatelink-url',
] as const;
const OPTIONAL_LIST_KEYS = ['privatelink-connection-ocsp-urls', 'privatelink-connection-urls'] as const;

/**
 * Every host name a stored configuration names, for its CNAMEs and its claims (docs/facts.md#snowflake): the account
 * and OCSP URLs, their regionless and Snowsight forms, and the connection lists.
 */
export function snowflakeHosts(config: Record<string, unknown>): string[] {
  const one = (v: unknown) => (typeof v === 'string' && v.trim() ? [v.trim()] : []);
  return [
    ...(['privatelink-account-url', 'privatelink-ocsp-url', ...OPTIONAL_TEXT_KEYS] as const).flatMap((k) => one(config[k])),
    ...OPTIONAL_LIST_KEYS.flatMap((k) => (Array.isArray(config[k]) ? (config[k] as unknown[]).flatMap(one) : [])),
  ];
}

const ACCOUNT = '[a-z0-9][a-z0-9_-]*';
// Some Snowflake regions add ".aws" after the region (xy12345.us-east-2.aws.privatelink); accept it so a region added
// to the configuration later needs no code change.
const HOST = `(${ACCOUNT})\\.(${AWS_REGION_SOURCE})(?:\\.aws)?\\.privatelink`;
const ACCOUNT_NAME = new RegExp(`^${HOST}$`);
const ACCOUNT_URL = new RegExp(`^${HOST}\\.snowflakecomputing\\.com$`);
const OCSP_URL = new RegExp(`^ocsp\\.${HOST}\\.snowflakecomputing\\.com$`);

const HEADER_LINE = /^\s*\|?\s*"?SYSTEM\$GET_PRIVATELINK_CONFIG\(\s*\)"?\s*\|?\s*$/i;
const BORDER_LINE = /^\s*[+|][-+=|\s]*$/;
const TABLE_ROW = /^\s*\|\s?(.*?)\s*\|\s*$/;
const SNOWSQL_FOOTER = /^\s*\d+ Row\(s\) produced\./i;

const PASTE_AGAIN = `run ${SNOWFLAKE_QUERY} with the ACCOUNTADMIN role and paste its whole output`;
const PASTE_EXACTLY = 'paste the output exactly as Snowflake returned it';

/** The JSON text inside a paste: without the column header, SnowSQL borders, pipes and row-count footer. */
function stripDecoration(raw: string): string {
  return raw
    .split(/\r?\n/)
    .filter((line) => !HEADER_LINE.test(line) && !BORDER_LINE.test(line) && !SNOWSQL_FOOTER.test(line))
    .map((line) => TABLE_ROW.exec(line)?.[1] ?? line)
    .join('\n')
    .trim();
}

function tryJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** The decoded value: JSON, a JSON string holding JSON (the UI's form), a CSV cell, or JSON with \" escapes. */
function decode(text: string): { ok: true; value: unknown } | { ok: false } {
  const direct = tryJson(text);
  if (direct.ok) {
    return typeof direct.value === 'string' ? tryJson(direct.value.trim()) : direct;
  }
  const candidates: string[] = [];
  if (text.startsWith('"') && text.endsWith('"') && text.includes('""')) {
    candidates.push(text.slice(1, -1).replaceAll('""', '"')); // a CSV cell
  }
  if (text.includes('\\"')) {
    const unquoted = text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
    candidates.push(unquoted.replaceAll('\\"', '"').replaceAll('\\\\', '\\')); // escaped, outer quotes lost
  }
  for (const candidate of candidates) {
    const decoded = tryJson(candidate.trim());
    if (decoded.ok) return decoded;
  }
  return { ok: false };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(record: Record<string, unknown>, key: string): string | undefined {
  return readText(record[key])?.toLowerCase();
}

/** A list of host names given as a JSON array or a JSON-encoded string of one; null when it is neither. */
function readHostList(value: unknown): string[] | null {
  let list = value;
  if (typeof list === 'string') {
    const decoded = tryJson(list.trim() === '' ? '[]' : list);
    if (!decoded.ok) return null;
    list = decoded.value;
  }
  if (!Array.isArray(list) || !list.every((item) => typeof item === 'string')) return null;
  return list.map((item) => item.trim().toLowerCase()).filter((item) => item !== '');
}

/**
 * Parses a pasted SYSTEM$GET_PRIVATELINK_CONFIG output (or an already-parsed config object) and checks the shape of
 * every key the edge account needs. Regions are returned, not compared: the flow compares them with the case.
 */
export function checkSnowflakeConfig(value: unknown, label = 'PrivateLink configuration'): Checked<ParsedSnowflakeConfig> {
  let record: unknown = value;
  if (typeof value === 'string' || value === undefined || value === null) {
    const raw = stripDecoration(value ?? '');
    if (raw === '') return fail('snowflake_config.required', `${label} is empty: ${PASTE_AGAIN}.`);
    const decoded = decode(raw);
    if (!decoded.ok) {
      return fail('snowflake_config.json', `${label} is not JSON: ${PASTE_AGAIN}, from the opening { to the closing }.`);
    }
    record = decoded.value;
  }
  if (!isRecord(record)) {
    return fail(
      'snowflake_config.shape',
      `${label} is JSON but not the object Snowflake returns: ${PASTE_AGAIN}, from the opening { to the closing }.`,
    );
  }

  const vpceId = text(record, 'privatelink-vpce-id');
  const accountUrl = text(record, 'privatelink-account-url');
  const accountName = text(record, 'privatelink-account-name');
  const ocspUrl = OCSP_KEYS.map((key) => text(record, key)).find((v) => v !== undefined);
  const required = {
    'privatelink-vpce-id': vpceId,
    'privatelink-account-url': accountUrl,
    'privatelink-account-name': accountName,
    'privatelink-ocsp-url': ocspUrl,
  };
  if (!vpceId || !accountUrl || !accountName || !ocspUrl) {
    const missing = Object.entries(required).flatMap(([key, v]) => (v === undefined ? [key] : []));
    return fail(
      'snowflake_config.missing_keys',
      `${label} is missing ${listOf(missing, 'and')}: ${PASTE_AGAIN} after Snowflake support has authorized the edge account.`,
    );
  }

  const service = parseEndpointServiceName(vpceId);
  if (!service) {
    return fail(
      'snowflake_config.vpce_id',
      `privatelink-vpce-id "${vpceId}" is not an endpoint service name like com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0: ${PASTE_EXACTLY}.`,
    );
  }
  const url = ACCOUNT_URL.exec(accountUrl);
  if (!url?.[2]) {
    return fail(
      'snowflake_config.account_url',
      `privatelink-account-url "${accountUrl}" is not a Snowflake PrivateLink URL like xy12345.us-east-1.privatelink.snowflakecomputing.com: ${PASTE_EXACTLY}.`,
    );
  }
  const name = ACCOUNT_NAME.exec(accountName);
  if (!name?.[2]) {
    return fail(
      'snowflake_config.account_name',
      `privatelink-account-name "${accountName}" is not a Snowflake PrivateLink account name like xy12345.us-east-1.privatelink: ${PASTE_EXACTLY}.`,
    );
  }
  const ocsp = OCSP_URL.exec(ocspUrl);
  if (!ocsp?.[2]) {
    return fail(
      'snowflake_config.ocsp_url',
      `privatelink-ocsp-url "${ocspUrl}" is not a Snowflake OCSP URL like ocsp.xy12345.us-east-1.privatelink.snowflakecomputing.com: ${PASTE_EXACTLY}.`,
    );
  }
  // The edge points the account URL at the endpoint and the customer connects with the account name: they must be
  // the same host, or we would connect over the internet.
  if (accountUrl !== `${accountName}.snowflakecomputing.com`) {
    return fail(
      'snowflake_config.consistent',
      `privatelink-account-url "${accountUrl}" does not belong to privatelink-account-name "${accountName}": ${PASTE_EXACTLY}, both from the same account.`,
    );
  }

  const config: SnowflakePrivatelinkConfig = {
    'privatelink-account-name': accountName,
    'privatelink-vpce-id': service.name,
    'privatelink-account-url': accountUrl,
    'privatelink-ocsp-url': ocspUrl,
  };
  for (const key of OPTIONAL_TEXT_KEYS) {
    const v = text(record, key);
    if (v !== undefined) config[key] = v;
  }
  for (const key of OPTIONAL_LIST_KEYS) {
    if (record[key] === undefined || record[key] === null) continue;
    const list = readHostList(record[key]);
    if (list === null) {
      return fail('snowflake_config.url_list', `${key} is not a JSON list of host names: ${PASTE_EXACTLY}.`);
    }
    config[key] = list;
  }
  return ok({
    config,
    regions: {
      'privatelink-vpce-id': service.region,
      'privatelink-account-url': url[2],
      'privatelink-account-name': name[2],
      'privatelink-ocsp-url': ocsp[2],
    },
  });
}
