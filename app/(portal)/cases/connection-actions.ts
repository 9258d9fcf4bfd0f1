'use server';

import { z } from 'zod';
import { safeText } from '@/lib/validation/text';
import { writeAudit } from '@/lib/audit';
import { action } from '@/lib/auth/guard';
import { getCase } from '@/lib/cases/service';
import { edgeProviderName } from '@/lib/cloud';
import { sandboxConnectionTests } from '@/lib/cloud/sandbox-connection';
import * as real from '@/lib/connection-test';
import type { ConnectionOutcome } from '@/lib/connection-test';
import { validationError } from '@/lib/errors';
import { getFlow } from '@/lib/providers';

const schema = z.object({
  caseId: z.string().uuid(),
  user: safeText().trim().max(200, 'The user name is at most 200 characters.').optional().default(''),
  password: safeText().max(500, 'The password is at most 500 characters.').optional().default(''),
  database: safeText().trim().max(200).optional().default(''),
  tls: z.enum(['verify', 'require', 'disable']).optional().default('require'),
  warehouse: safeText().trim().max(200).optional().default(''),
  role: safeText().trim().max(200).optional().default(''),
  token: safeText().max(2_000).optional().default(''),
});

function hostPort(value: unknown, fallbackPort: number): { host: string; port: number } | null {
  if (typeof value !== 'string' || !value) return null;
  const m = /^([^:]+)(?::(\d+))?$/.exec(value.trim());
  return m ? { host: m[1]!, port: Number(m[2] ?? fallbackPort) } : null;
}

/**
 * Test connection (engineers, active cases): reach the customer's warehouse through the endpoint with credentials
 * typed for this test only — they are used once, never stored, logged or audited; the outcome is audited. With the
 * sandbox edge there is no warehouse to reach: the sandbox answers as a reachable target would
 * (docs/design.md#connection-test-in-the-sandbox); with `aws` the test really connects.
 */
export const testConnectionAction = action(
  schema,
  { permission: 'endpoint.test_connection' },
  async (input, { user, db, requestId, sourceIp }) => {
    const c = await getCase(db, user, input.caseId);
    if (c.state !== 'active') throw validationError('Test the connection once the case is active.');
    const { testHttps, testPostgres, testSnowflake } = edgeProviderName() === 'sandbox' ? sandboxConnectionTests(db) : real;
    let outcome: ConnectionOutcome;
    let target: string;
    // The flow says how the warehouse is reached (docs/design.md#flows-and-the-registry).
    const flow = getFlow(c.warehouse);
    const how = flow.connection;
    if (how.protocol === 'snowflake') {
      const account = typeof c.outputs.account === 'string' ? c.outputs.account : null;
      if (!account) throw validationError(`This case has no ${flow.name} account name yet.`);
      if (!input.user || !input.password)
        throw validationError(`Enter the ${flow.name} user and password to test with.`, {
          user: input.user ? [] : ['Enter a user.'],
          password: input.password ? [] : ['Enter a password.'],
        });
      target = account;
      outcome = await testSnowflake({ account, user: input.user, password: input.password, warehouse: input.warehouse, role: input.role });
    } else if (how.protocol === 'https') {
      const host = how.host(c.inputs);
      if (!host) throw validationError('This case has no workspace URL yet.');
      target = host;
      outcome = await testHttps({ host, token: input.token || undefined });
    } else {
      const outputs = flow.readOutputs?.(c.outputs) ?? c.outputs;
      const hp = hostPort(outputs.host, how.port(c.inputs, outputs));
      if (!hp) throw validationError('This case has no endpoint host yet.');
      if (!input.user) throw validationError('Enter the database user to test with.', { user: ['Enter a user.'] });
      target = `${hp.host}:${hp.port}`;
      outcome = await testPostgres({
        ...hp,
        database: input.database || how.defaultDatabase,
        user: input.user,
        password: input.password,
        tls: input.tls,
      });
    }
    await writeAudit(db, {
      actor: { id: user.id, email: user.email, role: user.role },
      action: 'case.test_connection',
      targetType: 'case',
      targetId: c.id,
      workspaceId: c.workspaceId,
      after: { target, ok: outcome.ok, kind: outcome.kind, message: outcome.message, latencyMs: outcome.latencyMs ?? null },
      context: { requestId, sourceIp },
    });
    return outcome;
  },
);
