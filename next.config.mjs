/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships a WASM build that must be loaded from node_modules, not bundled
  // (docs/platform-notes.md#packages-kept-out-of-the-bundle).
  serverExternalPackages: ['@electric-sql/pglite', 'pg', 'bcryptjs', 'snowflake-sdk'],
  poweredByHeader: false,
  experimental: {
    // Enables forbidden(): a customer who opens a staff page gets the 403 page, not a crash.
    authInterrupts: true,
  },
};

export default nextConfig;
