import type { Role } from '@/lib/domain/roles';

/**
 * Staff SSO: the IdP's group claim decides the role. OIDC_ROLE_MAP lists "group=role" pairs separated by commas,
 * e.g. "portal-admins=admin,edge-engineers=engineer,customer-success=csm". Only staff roles can be granted this way
 * (customers sign in with a password and belong to one workspace). A user in several mapped groups gets the most
 * privileged role; a user in none is refused.
 */
export const DEFAULT_OIDC_ROLE_MAP = 'portal-admins=admin,portal-engineers=engineer,portal-csms=csm';
const SSO_ROLES = ['admin', 'engineer', 'csm'] as const satisfies readonly Role[];
type SsoRole = (typeof SSO_ROLES)[number];

export function parseRoleMap(spec: string): Map<string, SsoRole> {
  const map = new Map<string, SsoRole>();
  for (const pair of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [group, role] = pair.split('=').map((s) => s?.trim());
    if (!group || !role || !(SSO_ROLES as readonly string[]).includes(role)) {
      throw new Error(`OIDC_ROLE_MAP: "${pair}" must be group=role with role one of ${SSO_ROLES.join(', ')}`);
    }
    map.set(group, role as SsoRole);
  }
  return map;
}

/** The role for a set of IdP groups, or null when none maps (sign-in refused). */
export function roleForGroups(groups: unknown, map: Map<string, SsoRole>): SsoRole | null {
  const list = Array.isArray(groups) ? groups.map(String) : typeof groups === 'string' ? groups.split(/[ ,]+/) : [];
  const roles = list.map((g) => map.get(g)).filter((r): r is SsoRole => r !== undefined);
  // SSO_ROLES is ordered most to least privileged.
  return SSO_ROLES.find((r) => roles.includes(r)) ?? null;
}
