// Child process for test/restart.integration.test.ts: submits the given drafts one after another, as fast as it can,
// until it is killed. Usage: tsx --conditions=react-server test/support/submit-loop.ts <userJson> <caseId,version>...
import { openDatabase } from '@/db/index';
import { applyEvent } from '@/lib/cases/service';

const [actorJson, ...pairs] = process.argv.slice(2);
const h = await openDatabase({ url: process.env.DATABASE_URL });
const actor = JSON.parse(actorJson!);
process.stdout.write('ready\n');
for (const pair of pairs) {
  const [caseId, version] = pair.split(',');
  await applyEvent(h.db, actor, { caseId: caseId!, event: 'submit', version: Number(version) }).catch(() => {});
}
await h.close();
