import { describe, expect, it } from 'vitest';
import { DEFAULT_OIDC_ROLE_MAP, parseRoleMap, roleForGroups } from '@/lib/auth/oidc';

const map = parseRoleMap(DEFAULT_OIDC_ROLE_MAP);

describe('staff SSO group → role mapping', () => {
  it.each([
    { groups: ['portal-csms'], role: 'csm' },
    { groups: ['portal-engineers'], role: 'engineer' },
    { groups: ['portal-csms', 'portal-admins'], role: 'admin' },
    { groups: ['portal-csms', 'portal-engineers'], role: 'engineer' },
    { groups: 'portal-engineers other', role: 'engineer' },
    { groups: ['everyone'], role: null },
    { groups: [], role: null },
    { groups: undefined, role: null },
  ])('maps $groups to $role', ({ groups, role }) => {
    expect(roleForGroups(groups, map)).toBe(role);
  });

  it('refuses to grant a customer role through SSO', () => {
    expect(() => parseRoleMap('acme=customer_admin')).toThrow(
      'OIDC_ROLE_MAP: "acme=customer_admin" must be group=role with role one of admin, engineer, csm',
    );
  });
});
