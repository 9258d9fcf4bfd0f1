import bcrypt from 'bcryptjs';
import { readSettings } from '@/lib/settings';

// Passwords are stored as bcrypt hashes only (docs/program-rules.md#passwords). Cost 12 by default; BCRYPT_ROUNDS may
// set it from 10 to 15 (lib/settings.ts).
const rounds = (): number => readSettings().BCRYPT_ROUNDS;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, rounds());
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

// A hash of a random string, compared against when the user does not exist, so that an unknown e-mail
// costs the same time as a wrong password.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= bcrypt.hash(Math.random().toString(36), rounds());
  return dummyHash;
}

/** A password for a new account: 18 characters from a URL-safe alphabet (108 bits). */
export function generatePassword(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789-_';
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}
