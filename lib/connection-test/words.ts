/** The outcome of a connection test, in words an engineer can act on. Credentials never appear in it. */
export interface ConnectionOutcome {
  ok: boolean;
  kind: 'success' | 'dns' | 'timeout' | 'refused' | 'tls' | 'auth' | 'not_found' | 'http' | 'error';
  message: string;
  latencyMs?: number;
}

const codeOf = (err: unknown): string | undefined => {
  const e = err as { code?: unknown; cause?: { code?: unknown } };
  return typeof e?.code === 'string' || typeof e?.code === 'number'
    ? String(e.code)
    : typeof e?.cause?.code === 'string'
      ? e.cause.code
      : undefined;
};
const messageOf = (err: unknown) => String((err as Error)?.message ?? err);

/** Network-level failures shared by every driver. */
function network(err: unknown, host: string, port?: number): ConnectionOutcome | null {
  const code = codeOf(err);
  const msg = messageOf(err);
  const where = port ? `${host}:${port}` : host;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || /getaddrinfo/i.test(msg)) {
    return {
      ok: false,
      kind: 'dns',
      message: `DNS lookup failed: ${host} does not resolve from the edge. Check the host name, and that the private hosted zone record exists.`,
    };
  }
  if (code === 'ECONNREFUSED')
    return {
      ok: false,
      kind: 'refused',
      message: `Connection refused by ${where}: nothing listens there. Check the port and that the endpoint is available.`,
    };
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT' || /timeout|timed out/i.test(msg)) {
    return {
      ok: false,
      kind: 'timeout',
      message: `No answer from ${where} in time: check security groups, the NLB listener and that the endpoint is available.`,
    };
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH')
    return { ok: false, kind: 'timeout', message: `${where} is unreachable from the edge network.` };
  if (/ssl|tls|certificate|self[- ]signed/i.test(msg) || (code && /^(ERR_TLS|CERT_|DEPTH_ZERO|UNABLE_TO_VERIFY)/.test(code))) {
    return { ok: false, kind: 'tls', message: `TLS failed with ${where}: ${msg.replace(/\s+/g, ' ').slice(0, 160)}.` };
  }
  return null;
}

/** pg (PostgreSQL and Redshift) errors → words. SQLSTATE classes per the PostgreSQL manual, appendix A. */
export function postgresWords(err: unknown, host: string, port: number): ConnectionOutcome {
  const net = network(err, host, port);
  if (net) return net;
  const code = codeOf(err);
  if (code === '28P01' || code === '28000')
    return {
      ok: false,
      kind: 'auth',
      message: `Reached ${host}:${port}, but the server refused the credentials (${code === '28P01' ? 'wrong password' : 'not authorised'}). The network path works.`,
    };
  if (code === '3D000')
    return {
      ok: false,
      kind: 'not_found',
      message: `Reached ${host}:${port} and signed in, but that database does not exist. The network path works.`,
    };
  return { ok: false, kind: 'error', message: `The server at ${host}:${port} answered with an error: ${messageOf(err).slice(0, 200)}` };
}

/**
 * snowflake-sdk errors → words. The driver reports login failures with code 390100 ("Incorrect username or
 * password") and 390144 (JWT), network trouble with 401001 ("Network error") or the underlying socket code.
 */
export function snowflakeWords(err: unknown, account: string): ConnectionOutcome {
  const net = network((err as { cause?: unknown })?.cause ?? err, `${account}.snowflakecomputing.com`);
  if (net) return net;
  const code = codeOf(err);
  const msg = messageOf(err);
  if (code === '390100' || code === '390144' || /incorrect username or password/i.test(msg)) {
    return {
      ok: false,
      kind: 'auth',
      message: `Reached Snowflake account ${account}, but it refused the credentials. The network path works.`,
    };
  }
  if (code === '390201' || code === '390189' || /does not exist|not authorized/i.test(msg)) {
    return {
      ok: false,
      kind: 'not_found',
      message: `Reached Snowflake account ${account}, but the warehouse, database or role given does not exist or is not granted.`,
    };
  }
  if (code === '401001' || /network error/i.test(msg)) {
    return {
      ok: false,
      kind: 'timeout',
      message: `Could not reach Snowflake account ${account} over the network: check the CNAME records for the PrivateLink host names.`,
    };
  }
  return { ok: false, kind: 'error', message: `Snowflake answered with an error${code ? ` (${code})` : ''}: ${msg.slice(0, 200)}` };
}

export function httpWords(err: unknown, host: string): ConnectionOutcome {
  return network(err, host, 443) ?? { ok: false, kind: 'error', message: `The request to ${host} failed: ${messageOf(err).slice(0, 200)}` };
}
