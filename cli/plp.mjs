#!/usr/bin/env node
// plp – the PrivateLink Portal command line (README "Command line"; docs/design.md#the-command-line). Every command
// is a call of the public API /api/v1 with the token `plp login` saved.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { CliError, loadConfig, request, saveConfig } from './client.mjs';

// The states a case ends waiting in: `watch` stops there. Active is success; the others are failures.
const SUCCESS = new Set(['active']);
const FAILURE = new Set(['failed', 'rejected', 'cancelled', 'decommissioned']);
// Exit codes of `watch`: 0 active, 1 failed or ended otherwise, 2 refused (login, API), 3 still going at --timeout.
const EXIT = { active: 0, failed: 1, error: 2, timeout: 3 };

function table(rows, columns) {
  if (rows.length === 0) return '(none)';
  const cells = rows.map((r) => columns.map(([, get]) => String(get(r) ?? '')));
  const widths = columns.map(([head], i) => Math.max(head.length, ...cells.map((c) => c[i].length)));
  const line = (values) =>
    values
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(columns.map(([head]) => head)), ...cells.map(line)].join('\n');
}

function print(cmd, data, readable) {
  const { json } = cmd.optsWithGlobals();
  process.stdout.write(`${json ? JSON.stringify(data, null, 2) : readable(data)}\n`);
}

async function readJson(file, what) {
  let text;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`Cannot read ${what} from ${file}: ${err.code ?? err.message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError(`${file} is not JSON: ${err.message}`);
  }
}

const config = (cmd) => loadConfig(cmd.optsWithGlobals());
const next = (c) => (c.nextActor === 'nobody' ? 'nobody' : `${c.nextActor} acts next`);

const CASE_COLUMNS = [
  ['REFERENCE', (c) => c.reference],
  ['ID', (c) => c.id],
  ['WAREHOUSE', (c) => c.warehouse],
  ['REGION', (c) => c.region],
  ['STATE', (c) => c.state],
  ['NEXT', (c) => c.nextActor],
  ['WHERE IT STANDS', (c) => c.standing.headline],
];

function showCase(c) {
  const lines = [
    `${c.reference}  ${c.warehouse} in ${c.region}  (${c.workspace.name})`,
    `id:       ${c.id}`,
    `state:    ${c.state} (${c.stateLabel}), version ${c.version}`,
    `standing: ${c.standing.headline}`,
    `          ${c.standing.detail}`,
    `next:     ${next(c)}`,
  ];
  if (c.events?.length) lines.push(`you can:  ${c.events.join(', ')}`);
  const open = (c.steps ?? []).filter((s) => s.open);
  if (open.length) lines.push(`details:  ${open.map((s) => `${s.id} (${s.title})`).join(', ')}`);
  const outputs = Object.entries(c.outputs ?? {});
  if (outputs.length) lines.push('outputs:', ...outputs.map(([k, v]) => `  ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`));
  if (c.lastError) lines.push(`error:    ${c.lastError}`);
  return lines.join('\n');
}

const program = new Command('plp')
  .description('PrivateLink Portal from the command line: request and follow private connectivity cases.')
  .option('--url <url>', 'the portal URL, like https://portal.example (default: the one login saved, or PLP_URL)')
  .option('--json', 'print JSON for scripts instead of a table')
  .showHelpAfterError();

program
  .command('login')
  .description('check a token and save it, with the portal URL, in your config directory (file mode 600)')
  .option('--token <token>', 'an API token from your account page (default: PLP_TOKEN, else read from standard input)')
  .action(async (opts, cmd) => {
    let token = opts.token || process.env.PLP_TOKEN;
    if (!token) {
      const chunks = [];
      for await (const chunk of process.stdin) chunks.push(chunk);
      token = Buffer.concat(chunks).toString('utf8').trim();
    }
    if (!token) throw new CliError('Give the token with --token, PLP_TOKEN or on standard input.');
    const given = cmd.optsWithGlobals().url || process.env.PLP_URL;
    if (!given) throw new CliError('Give the portal URL: plp login --url https://portal.example --token <token>.');
    const url = given.replace(/\/+$/, '');
    const me = await request({ url, token }, 'GET', '/me');
    const file = await saveConfig({ url, token });
    print(
      cmd,
      { ...me, config: file },
      () =>
        `Logged in to ${url} as ${me.user.email} (${me.user.role}), ${me.token.scope} token "${me.token.name}" until ${me.token.expiresAt.slice(0, 10)}. Saved in ${file}.`,
    );
  });

const cases = program.command('cases').description('list, show, create, give details to and watch cases');

cases
  .command('list')
  .description('the cases you can see, newest first')
  .addOption(new Option('--state <state>', 'only cases in this state'))
  .option('--limit <n>', 'at most this many', (v) => Number(v), 50)
  .action(async (opts, cmd) => {
    const cfg = await config(cmd);
    const all = [];
    let cursor = null;
    do {
      const q = new URLSearchParams({ limit: String(Math.min(100, opts.limit - all.length)) });
      if (opts.state) q.set('state', opts.state);
      if (cursor) q.set('cursor', cursor);
      const page = await request(cfg, 'GET', `/cases?${q}`);
      all.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor && all.length < opts.limit);
    print(cmd, all, (rows) => table(rows, CASE_COLUMNS));
  });

cases
  .command('show <id>')
  .description('one case: where it stands, who acts next, what you can do, its outputs')
  .action(async (id, _opts, cmd) => {
    print(cmd, await request(await config(cmd), 'GET', `/cases/${encodeURIComponent(id)}`), showCase);
  });

cases
  .command('create')
  .description('create a case with its first answers and submit it to your CSM')
  .requiredOption('--warehouse <warehouse>', 'databricks, rds_postgres, redshift or snowflake')
  .option('--region <region>', 'an eligible AWS region (default: the portal’s first)')
  .option('--from-file <file>', 'a JSON object of the answers asked before submitting (field name → value)')
  .option('--no-submit', 'keep it a draft')
  .option('--idempotency-key <key>', 'repeat-safe key (default: a new UUID, reused on a network retry)')
  .action(async (opts, cmd) => {
    const cfg = await config(cmd);
    const inputs = opts.fromFile ? await readJson(opts.fromFile, 'the answers') : {};
    const key = opts.idempotencyKey ?? randomUUID();
    let c = await request(cfg, 'POST', '/cases', { warehouse: opts.warehouse, region: opts.region, inputs }, { 'idempotency-key': key });
    if (opts.submit) {
      c = await request(
        cfg,
        'POST',
        `/cases/${c.id}/events`,
        { event: 'submit', version: c.version },
        { 'idempotency-key': `${key}:submit` },
      );
    }
    print(cmd, c, showCase);
  });

cases
  .command('details <id>')
  .description('give the details the case waits for, then send them')
  .requiredOption('--from-file <file>', 'a JSON object: step id → { field: value } (see `cases show` for the open steps)')
  .option('--no-send', 'only save them')
  .action(async (id, opts, cmd) => {
    const cfg = await config(cmd);
    const steps = await readJson(opts.fromFile, 'the details');
    let c = await request(cfg, 'GET', `/cases/${encodeURIComponent(id)}`);
    let version = c.version;
    for (const [stepId, values] of Object.entries(steps)) {
      const saved = await request(cfg, 'PUT', `/cases/${c.id}/steps/${encodeURIComponent(stepId)}`, { version, values });
      version = saved.version;
      for (const i of saved.issues) process.stderr.write(`${stepId}.${i.field}: ${i.message}\n`);
    }
    if (opts.send) {
      const event = c.state === 'awaiting_customer_action' ? 'send_customer_action' : 'provide_details';
      c = await request(cfg, 'POST', `/cases/${c.id}/events`, { event, version }, { 'idempotency-key': randomUUID() });
    } else c = await request(cfg, 'GET', `/cases/${c.id}`);
    print(cmd, c, showCase);
  });

cases
  .command('check <id>')
  .description('run the checks from the edge account (“Check from our side”)')
  .action(async (id, _opts, cmd) => {
    const r = await request(await config(cmd), 'POST', `/cases/${encodeURIComponent(id)}/preflight`, undefined, {
      'idempotency-key': randomUUID(),
    });
    print(cmd, r, (p) =>
      table(p.checks, [
        ['CHECK', (k) => k.label],
        ['STATUS', (k) => k.status],
        ['DETAIL', (k) => k.detail],
      ]),
    );
  });

cases
  .command('cancel <id>')
  .description('cancel a case, with the reason')
  .requiredOption('--reason <text>', 'why (recorded on the case)')
  .action(async (id, opts, cmd) => {
    const cfg = await config(cmd);
    const c = await request(cfg, 'GET', `/cases/${encodeURIComponent(id)}`);
    const r = await request(
      cfg,
      'POST',
      `/cases/${c.id}/events`,
      { event: 'cancel', version: c.version, note: opts.reason },
      { 'idempotency-key': randomUUID() },
    );
    print(cmd, r, showCase);
  });

cases
  .command('watch <id>')
  .description('follow a case until it is active (exit 0) or failed or ended (exit 1), printing each change')
  .option('--interval <seconds>', 'seconds between looks', (v) => Number(v), 3)
  .option('--timeout <seconds>', 'give up after this long (exit 3); 0 waits for ever', (v) => Number(v), 0)
  .action(async (id, opts, cmd) => {
    const cfg = await config(cmd);
    const { json } = cmd.optsWithGlobals();
    const started = Date.now();
    let last = null;
    for (;;) {
      const c = await request(cfg, 'GET', `/cases/${encodeURIComponent(id)}`);
      const seen = `${c.state}|${c.standing.headline}`;
      if (seen !== last) {
        last = seen;
        const at = new Date().toISOString().slice(11, 19);
        const change = { at, state: c.state, nextActor: c.nextActor, standing: c.standing.headline };
        process.stdout.write(
          `${json ? JSON.stringify(change) : `${at}  ${c.reference}  ${c.state.padEnd(24)}  ${next(c)}: ${c.standing.headline}`}\n`,
        );
      }
      if (SUCCESS.has(c.state)) return;
      if (FAILURE.has(c.state)) {
        process.exitCode = EXIT.failed;
        return;
      }
      if (opts.timeout > 0 && Date.now() - started > opts.timeout * 1000) {
        process.stderr.write(`Still ${c.state} after ${opts.timeout} s.\n`);
        process.exitCode = EXIT.timeout;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, opts.interval * 1000));
    }
  });

program
  .command('endpoints')
  .description('PrivateLink endpoints')
  .command('list')
  .description('the live endpoints you can see, with the values to connect with')
  .action(async (_opts, cmd) => {
    const cfg = await config(cmd);
    const all = [];
    let cursor = null;
    do {
      const page = await request(cfg, 'GET', `/endpoints?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      all.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    print(cmd, all, (rows) =>
      table(rows, [
        ['CASE', (e) => e.reference],
        ['WAREHOUSE', (e) => e.warehouse],
        ['REGION', (e) => e.region],
        ['STATE', (e) => e.state],
        ['ENDPOINT', (e) => e.awsId],
        ['DNS NAME', (e) => e.dnsName],
        ['PORT', (e) => e.port],
      ]),
    );
  });

program
  .command('usage')
  .description('this month’s endpoint slots and transfer against your limits')
  .option('--workspace <id>', 'staff: the workspace')
  .action(async (opts, cmd) => {
    const u = await request(await config(cmd), 'GET', `/usage${opts.workspace ? `?workspace=${encodeURIComponent(opts.workspace)}` : ''}`);
    print(
      cmd,
      u,
      () =>
        `${u.workspace.name}, ${u.month} (UTC)\nendpoints: ${u.endpointsUsed} of ${u.endpointLimit}\ntransfer:  ${(u.monthBytes / 2 ** 30).toFixed(1)} of ${u.monthlyTransferLimitGib} GB (${u.transferPercent}%)`,
    );
  });

program.parseAsync(process.argv).catch((err) => {
  process.stderr.write(`plp: ${err instanceof CliError ? err.message : (err?.stack ?? String(err))}\n`);
  process.exitCode = err instanceof CliError ? err.exitCode : EXIT.error;
});
