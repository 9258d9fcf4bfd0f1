import { createSign, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';

// A real OpenID provider (oidc-provider, a certified implementation) for the staff single sign-on specs. The portal
// under test is configured for it by scripts/e2e-server.mjs (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET); the
// portal only contacts it while a sign-in goes through it, so only the specs that sign in with SSO start it. The test
// decides who its users are and which groups they are in, and can make its token endpoint answer a forged ID token.

/** Where the provider listens: the e2e server script computes the same port for the portal's OIDC_ISSUER. */
const IDP_PORT = Number(process.env.E2E_OIDC_PORT ?? Number(process.env.E2E_PORT ?? 3100) + 1);
export const IDP_ISSUER = `http://localhost:${IDP_PORT}`;
const IDP_CLIENT_ID = 'privatelink-portal-e2e';
const IDP_CLIENT_SECRET = 'e2e-oidc-client-secret';

interface IdpUser {
  email: string;
  name: string;
  groups: string[];
}

/**
 * How the token endpoint misbehaves: its answer carries an ID token that is
 * - `resigned`: the provider's own claims, re-signed with the provider's own key (a control: the portal must accept it);
 * - `foreign-key`: the provider's claims signed with a key that is not in its JWKS, under the provider's key id;
 * - `unsigned`: the provider's claims with `alg: none` and no signature;
 * - `wrong-audience` / `wrong-issuer`: `aud` / `iss` changed, signed with the provider's key;
 * - `wrong-nonce`: `nonce` changed to the one of the previous sign-in, signed with the provider's key;
 * - `replayed`: the ID token the provider issued at the previous sign-in, as it was.
 */
export type Misbehaviour = 'resigned' | 'foreign-key' | 'unsigned' | 'wrong-audience' | 'wrong-issuer' | 'wrong-nonce' | 'replayed';

const KEY_ID = 'e2e-idp-signing-key';

function base64url(value: Buffer | string): string {
  return Buffer.from(value).toString('base64url');
}

/** A compact JWS (RFC 7515) with RS256, or `alg: none` and an empty signature when no key is given. */
function signJwt(claims: Record<string, unknown>, key: KeyObject | null): string {
  const header = key ? { alg: 'RS256', typ: 'JWT', kid: KEY_ID } : { alg: 'none', typ: 'JWT' };
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  if (!key) return `${input}.`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(key).toString('base64url')}`;
}

function jwtClaims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

interface TestIdp {
  /** Add a user or replace what the provider says about them (their groups, say); `login` is what they type. */
  setUser(login: string, user: IdpUser): void;
  /** From now on the token endpoint answers this way (null: honestly). */
  misbehave(how: Misbehaviour | null): void;
  /** The ID tokens the token endpoint answered, in order (forged ones included). */
  issuedIdTokens(): string[];
  close(): Promise<void>;
}

/** Start the provider for a portal reachable at `portalUrl` (its redirect URI is next-auth's callback for "oidc"). */
export async function startIdp(portalUrl: string): Promise<TestIdp> {
  const users = new Map<string, IdpUser>();
  let misbehaviour: Misbehaviour | null = null;
  const issued: string[] = [];
  // The last ID token the provider issued honestly: what a replay repeats.
  let lastHonest: string | undefined;
  // The provider's signing key, kept here too so the harness can sign tokens the portal should trust (or not).
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const foreignKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const jwk = { ...(privateKey.export({ format: 'jwk' }) as JsonWebKey), kid: KEY_ID, alg: 'RS256', use: 'sig' };

  const configuration: Configuration = {
    clients: [
      {
        client_id: IDP_CLIENT_ID,
        client_secret: IDP_CLIENT_SECRET,
        redirect_uris: [`${portalUrl}/api/auth/callback/oidc`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ['e2e-idp-cookie-key'] },
    scopes: ['openid', 'email', 'profile', 'groups'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    // The portal reads the groups from the ID token (next-auth takes the profile from it), as Okta or Entra ID can send.
    conformIdTokenClaims: false,
    async findAccount(_ctx, id) {
      const user = users.get(id);
      if (!user) return undefined;
      return {
        accountId: id,
        // Read when the token is made, so a change of groups counts from the next sign-in.
        async claims() {
          const now = users.get(id) ?? user;
          return { sub: id, email: now.email, email_verified: true, name: now.name, groups: [...now.groups] };
        },
      };
    },
    // The portal is a first-party client: no consent screen, the scopes it asks for are granted.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId });
      grant.addOIDCScope('openid email profile groups');
      await grant.save();
      return grant;
    },
    features: { devInteractions: { enabled: true } },
  };
  const provider = new Provider(IDP_ISSUER, configuration);

  provider.use(async (ctx, next) => {
    await next();
    if (ctx.method !== 'POST' || ctx.path !== '/token') return;
    const body = ctx.body as { id_token?: string } | undefined;
    if (!body?.id_token) return;
    const honest = body.id_token;
    const previous = lastHonest;
    lastHonest = honest;
    const claims = jwtClaims(honest);
    let answer = honest;
    switch (misbehaviour) {
      case null:
        break;
      case 'resigned':
        answer = signJwt(claims, privateKey);
        break;
      case 'foreign-key':
        answer = signJwt(claims, foreignKey);
        break;
      case 'unsigned':
        answer = signJwt(claims, null);
        break;
      case 'wrong-audience':
        answer = signJwt({ ...claims, aud: 'another-client' }, privateKey);
        break;
      case 'wrong-issuer':
        answer = signJwt({ ...claims, iss: 'http://idp.evil.example' }, privateKey);
        break;
      case 'wrong-nonce':
        if (!previous) throw new Error('wrong-nonce needs an earlier sign-in');
        answer = signJwt({ ...claims, nonce: jwtClaims(previous).nonce }, privateKey);
        break;
      case 'replayed':
        if (!previous) throw new Error('replayed needs an earlier sign-in');
        answer = previous;
        break;
    }
    issued.push(answer);
    ctx.body = { ...body, id_token: answer };
  });

  const server = http.createServer(provider.callback());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(IDP_PORT, '127.0.0.1', () => resolve());
  });
  if ((server.address() as AddressInfo).port !== IDP_PORT) throw new Error('the test identity provider did not get its port');

  return {
    setUser(login, user) {
      users.set(login, user);
    },
    misbehave(how) {
      misbehaviour = how;
    },
    issuedIdTokens: () => [...issued],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
