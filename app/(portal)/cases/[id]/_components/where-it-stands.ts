// Where a case stands is shared with the public API: it lives in lib/cases/where-it-stands.ts.
export { type Standing, valuesToPaste, whereItStands } from '@/lib/cases/where-it-stands';
