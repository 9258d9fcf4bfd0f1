/** Databricks on AWS workspace URLs. */
import { type Checked, fail, ok } from './result';
import { readText } from './form';

export const WORKSPACE_URL_SHAPE = 'https://<workspace>.cloud.databricks.com';
const EXAMPLE = 'https://dbc-a1b2c3d4-e5f6.cloud.databricks.com';
// One DNS label before cloud.databricks.com (https://<name>.cloud.databricks.com: docs/facts.md#databricks).
const WORKSPACE_HOST = /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\.cloud\.databricks\.com$/;

/**
 * The workspace URL reduced to `https://<name>.cloud.databricks.com`: scheme added when missing, http upgraded (the
 * workspace only serves https), host lowercased, path, query (`?o=…`), fragment and trailing slashes dropped.
 */
export function checkWorkspaceUrl(value: unknown, label = 'Workspace URL'): Checked<string> {
  const raw = readText(value);
  const copy = 'copy the address your browser shows when you open the workspace';
  if (raw === undefined) return fail('workspace_url.required', `${label} is empty: ${copy}, like ${EXAMPLE}.`);
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return fail('workspace_url.format', `${label} "${raw}" is not a URL: ${copy}, shaped ${WORKSPACE_URL_SHAPE}.`);
  }
  const host = url.hostname;
  const match = WORKSPACE_HOST.exec(host);
  const plainWeb = (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
  const defaultPort = url.port === '' || url.port === '443';
  if (!match || !plainWeb || !defaultPort) {
    return fail(
      'workspace_url.host',
      `${label} "${raw}" is not a Databricks on AWS workspace address: ${copy}, shaped ${WORKSPACE_URL_SHAPE}.`,
    );
  }
  if (match[1] === 'accounts') {
    return fail(
      'workspace_url.account_console',
      `${label} "${raw}" is the Databricks account console, not a workspace: open the workspace itself and copy the address your browser shows, shaped ${WORKSPACE_URL_SHAPE}.`,
    );
  }
  return ok(`https://${host}`);
}
