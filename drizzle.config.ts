import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` turns edits of db/schema.ts into committed SQL in db/migrations.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema.ts',
  out: './db/migrations',
});
