import { describe, expect, it } from 'vitest';
import { checkWorkspaceUrl } from '@/lib/validation/databricks';

const EXPECTED = 'https://dbc-a1b2c3d4-e5f6.cloud.databricks.com';

describe('checkWorkspaceUrl: normalising', () => {
  it.each([
    ['https://dbc-a1b2c3d4-e5f6.cloud.databricks.com'],
    ['https://dbc-a1b2c3d4-e5f6.cloud.databricks.com/'],
    ['https://dbc-a1b2c3d4-e5f6.cloud.databricks.com///'],
    ['https://dbc-a1b2c3d4-e5f6.cloud.databricks.com/?o=1234567890123456'],
    ['https://dbc-a1b2c3d4-e5f6.cloud.databricks.com/?o=1234567890123456#job/42/run/7'],
    ['https://dbc-a1b2c3d4-e5f6.cloud.databricks.com/sql/editor?o=1'],
    ['https://dbc-a1b2c3d4-e5f6.cloud.databricks.com/login.html'],
    ['HTTPS://DBC-A1B2C3D4-E5F6.CLOUD.DATABRICKS.COM'],
    ['dbc-a1b2c3d4-e5f6.cloud.databricks.com'],
    ['dbc-a1b2c3d4-e5f6.cloud.databricks.com/'],
    ['  https://dbc-a1b2c3d4-e5f6.cloud.databricks.com  '],
    ['http://dbc-a1b2c3d4-e5f6.cloud.databricks.com'],
    ['https://dbc-a1b2c3d4-e5f6.cloud.databricks.com:443/'],
  ])('normalises %j', (url) => {
    expect(checkWorkspaceUrl(url)).toEqual({ ok: true, value: EXPECTED });
  });

  it('keeps a custom workspace name', () => {
    expect(checkWorkspaceUrl('Acme-Analytics.cloud.databricks.com/')).toEqual({
      ok: true,
      value: 'https://acme-analytics.cloud.databricks.com',
    });
  });
});

describe('checkWorkspaceUrl: rejecting', () => {
  it.each([
    ['https://adb-1234567890123456.7.azuredatabricks.net', 'workspace_url.host'],
    ['https://1234567890123456.7.gcp.databricks.com', 'workspace_url.host'],
    ['http://example.com', 'workspace_url.host'],
    ['https://cloud.databricks.com', 'workspace_url.host'],
    ['https://us-east-1.privatelink.cloud.databricks.com', 'workspace_url.host'],
    ['https://dbc-a1b2c3d4-e5f6.cloud.databricks.com.evil.com', 'workspace_url.host'],
    ['https://dbc-a1b2c3d4-e5f6.cloud.databricks.com:8443', 'workspace_url.host'],
    ['https://user:pass@dbc-a1b2c3d4-e5f6.cloud.databricks.com', 'workspace_url.host'],
    ['ftp://dbc-a1b2c3d4-e5f6.cloud.databricks.com', 'workspace_url.host'],
    ['https://-dbc.cloud.databricks.com', 'workspace_url.host'],
    ['https://dbc_a1.cloud.databricks.com', 'workspace_url.host'],
    ['https://accounts.cloud.databricks.com', 'workspace_url.account_console'],
    ['https://dbc a1.cloud.databricks.com', 'workspace_url.format'],
    ['', 'workspace_url.required'],
    [undefined, 'workspace_url.required'],
  ])('rejects %j (%s)', (url, rule) => {
    const result = checkWorkspaceUrl(url);
    expect(!result.ok && result.rule).toBe(rule);
  });

  it('shows the expected shape for an Azure workspace, verbatim', () => {
    expect(checkWorkspaceUrl('https://adb-1234567890123456.7.azuredatabricks.net/')).toEqual({
      ok: false,
      rule: 'workspace_url.host',
      message:
        'Workspace URL "https://adb-1234567890123456.7.azuredatabricks.net/" is not a Databricks on AWS workspace address: copy the address your browser shows when you open the workspace, shaped https://<workspace>.cloud.databricks.com.',
    });
  });

  it('tells the account console from a workspace', () => {
    const result = checkWorkspaceUrl('accounts.cloud.databricks.com');
    expect(!result.ok && result.message).toBe(
      'Workspace URL "accounts.cloud.databricks.com" is the Databricks account console, not a workspace: open the workspace itself and copy the address your browser shows, shaped https://<workspace>.cloud.databricks.com.',
    );
  });
});
