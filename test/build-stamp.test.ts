import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildReason, recordBuild, sourceHashes } from '../scripts/build-stamp.mjs';

// `npm start` decides whether to build from the content of the sources, so `npm install` touching files does not
// rebuild. Each test works on a throwaway project directory.
const SOURCES = ['app', 'package-lock.json'];
let root: string;

function write(rel: string, text: string) {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), text);
}

/** What a successful `next build` leaves behind, plus the record start.mjs writes after it. */
function build() {
  write('.next/BUILD_ID', 'abc123');
  recordBuild(root, sourceHashes(root, SOURCES));
}

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'plp-build-stamp-'));
  write('app/page.tsx', 'export default function Page() { return null; }\n');
  write('package-lock.json', '{"lockfileVersion": 3}\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('whether npm start builds', () => {
  it('builds when there is no build yet', () => {
    expect(buildReason(root, SOURCES)).toBe('no build yet');
  });

  it('does not build again right after a build', () => {
    build();
    expect(buildReason(root, SOURCES)).toBeNull();
  });

  it('does not rebuild when files were touched but their content is the same (npm install)', () => {
    build();
    const later = new Date(Date.now() + 60_000);
    utimesSync(path.join(root, 'package-lock.json'), later, later);
    utimesSync(path.join(root, 'app/page.tsx'), later, later);
    write('package-lock.json', '{"lockfileVersion": 3}\n');
    expect(buildReason(root, SOURCES)).toBeNull();
  });

  it('rebuilds when a source file changed, and names it', () => {
    build();
    write('app/page.tsx', 'export default function Page() { return "changed"; }\n');
    expect(buildReason(root, SOURCES)).toBe('app changed since the last build');
  });

  it('rebuilds when a file is added to or removed from a source directory', () => {
    build();
    write('app/new/page.tsx', 'export default function New() { return null; }\n');
    expect(buildReason(root, SOURCES)).toBe('app changed since the last build');
    rmSync(path.join(root, 'app/new'), { recursive: true });
    expect(buildReason(root, SOURCES)).toBeNull();
    rmSync(path.join(root, 'package-lock.json'));
    expect(buildReason(root, SOURCES)).toBe('package-lock.json changed since the last build');
  });

  it('rebuilds a build made before sources were recorded', () => {
    write('.next/BUILD_ID', 'abc123');
    expect(buildReason(root, SOURCES)).toBe('the last build did not record its sources');
  });
});
