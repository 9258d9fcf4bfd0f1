// The CLI's side of the public API (docs/design.md#the-command-line): where the token is kept, and one request
// function that turns the API's error body into a message. Plain JavaScript on Node's own fetch: the command runs
// wherever `npm install` put the package, with no build step and no devDependency (README "Command line").
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

/** The user's config directory: PLP_CONFIG_DIR, else $XDG_CONFIG_HOME/plp, else %APPDATA%\plp, else ~/.config/plp. */
export function configDir(env = process.env) {
  if (env.PLP_CONFIG_DIR) return env.PLP_CONFIG_DIR;
  if (env.XDG_CONFIG_HOME) return path.join(env.XDG_CONFIG_HOME, 'plp');
  if (process.platform === 'win32' && env.APPDATA) return path.join(env.APPDATA, 'plp');
  return path.join(homedir(), '.config', 'plp');
}

const configFile = () => path.join(configDir(), 'config.json');

/** Keep the portal URL and token readable by the user alone (mode 600, its directory 700). */
export async function saveConfig(config) {
  await mkdir(configDir(), { recursive: true, mode: 0o700 });
  await writeFile(configFile(), `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(configFile(), 0o600); // writeFile's mode applies only when it creates the file
  return configFile();
}

/** The portal URL and token: options and PLP_URL / PLP_TOKEN first, then the saved config. */
export async function loadConfig(opts = {}) {
  let saved = {};
  try {
    saved = JSON.parse(await readFile(configFile(), 'utf8'));
  } catch {
    // not logged in yet
  }
  const url = opts.url || process.env.PLP_URL || saved.url;
  const token = process.env.PLP_TOKEN || saved.token;
  if (!url || !token) throw new CliError('Not logged in: run `plp login --url https://portal.example --token <token>` first.', 2);
  return { url: url.replace(/\/+$/, ''), token };
}

/** An error that ends the command with a message and an exit code (2: usage, login or API refusal). */
export class CliError extends Error {
  constructor(message, exitCode = 2) {
    super(message);
    this.exitCode = exitCode;
  }
}

function describeError(status, body) {
  const e = body?.error;
  if (!e) return `The portal answered ${status}.`;
  const issues = (e.issues ?? []).map((i) => `\n  ${i.field}: ${i.message} [${i.rule}]`).join('');
  return `${e.message}${issues}${e.requestId ? `\n  (request ${e.requestId})` : ''}`;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One API call: JSON in and out, the error body turned into a CliError. A 429 waits as long as Retry-After says and
 * tries again (a few times); so does a POST's network failure when it carries an Idempotency-Key, which makes the
 * repeat safe.
 */
export async function request(config, method, apiPath, body, headers = {}) {
  for (let attempt = 1; ; attempt++) {
    let res;
    try {
      res = await fetch(`${config.url}/api/v1${apiPath}`, {
        method,
        headers: {
          authorization: `Bearer ${config.token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      const retriable = method === 'GET' || headers['idempotency-key'];
      if (retriable && attempt < 4) {
        await sleep(500 * attempt);
        continue;
      }
      throw new CliError(`Cannot reach ${config.url}: ${err.cause?.code ?? err.message}`, 2);
    }
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      throw new CliError(`The portal at ${config.url} did not answer JSON (status ${res.status}): is the URL right?`, 2);
    }
    if (res.status === 429 && attempt < 5) {
      await sleep(Number(res.headers.get('retry-after') ?? 1) * 1000);
      continue;
    }
    if (!res.ok) throw new CliError(describeError(res.status, json), 2);
    return json;
  }
}
