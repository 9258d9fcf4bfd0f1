/**
 * `npm run audit:verify`: prove the audit log's hash chain or name the first broken row
 * (docs/threat-model.md#a-tamper-evident-audit-log). Reads DATABASE_URL, else the embedded database in DATA_DIR.
 * Exit code 0 when whole, 1 when broken, 2 when the database could not be read.
 */
import path from 'node:path';
import { dataDir, openDatabase } from '@/db/index';
import { verifyAuditChain } from '@/db/queries/audit-chain';

const WHY = {
  content: 'its content no longer matches its hash (the row was changed after it was written)',
  link: 'it does not follow the row before it (a row before it was changed or removed)',
  gap: 'rows are missing before it (removed from the chain)',
  unchained: 'it carries no place in the chain (written around the insert trigger)',
} as const;

async function main(): Promise<number> {
  const url = process.env.DATABASE_URL || undefined;
  const h = await openDatabase({ url, dataDir: path.join(dataDir(), 'pglite') });
  try {
    const v = await verifyAuditChain(h.db);
    if (v.ok) {
      console.log(`Audit log intact: ${v.rows} rows, chain head ${v.head ?? '(empty)'}.`);
      return 0;
    }
    console.error(
      `Audit log broken at row id ${v.id}${v.seq === null ? '' : ` (chain position ${v.seq})`}: ${WHY[v.problem]}. ${v.rows} rows checked.`,
    );
    return 1;
  } finally {
    await h.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`Could not read the audit log: ${(err as Error).message}`);
    process.exit(2);
  },
);
