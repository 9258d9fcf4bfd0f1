import { describe, expect, it } from 'vitest';
import { readSettings } from '@/lib/settings';

describe('settings from the environment', () => {
  it('takes the documented defaults when nothing is set, and when a variable is empty', () => {
    expect(readSettings({})).toMatchObject({
      BCRYPT_ROUNDS: 12,
      RECONCILER_LEASE_MS: 120_000,
      SANDBOX_DELAY_MS: 3_000,
      AWS_MAX_ATTEMPTS: 3,
    });
    expect(readSettings({ RECONCILER_POLL_MS: '', BCRYPT_ROUNDS: '  ' })).toMatchObject({ RECONCILER_POLL_MS: 2_000, BCRYPT_ROUNDS: 12 });
  });

  it('reads whole numbers, spaces around them allowed', () => {
    expect(readSettings({ RECONCILER_POLL_MS: ' 250 ', OUTBOX_MAX_ATTEMPTS: '20' })).toMatchObject({
      RECONCILER_POLL_MS: 250,
      OUTBOX_MAX_ATTEMPTS: 20,
    });
  });

  it.each([
    ['BCRYPT_ROUNDS', '9', 'BCRYPT_ROUNDS must be a whole number from 10 to 15, not "9"'],
    ['BCRYPT_ROUNDS', '16', 'BCRYPT_ROUNDS must be a whole number from 10 to 15, not "16"'],
    ['AWS_MAX_ATTEMPTS', '1.5', 'AWS_MAX_ATTEMPTS must be a whole number from 1 to 20, not "1.5"'],
    ['RECONCILER_CONCURRENCY', '0', 'RECONCILER_CONCURRENCY must be a whole number from 1 to 100, not "0"'],
    ['OUTBOX_SEND_TIMEOUT_MS', '5s', 'OUTBOX_SEND_TIMEOUT_MS must be a whole number of milliseconds from 100 to 600000, not "5s"'],
    ['DATABASE_POOL_SIZE', '-1', 'DATABASE_POOL_SIZE must be a whole number from 1 to 200, not "-1"'],
    ['SERVER_CONCURRENCY', '0', 'SERVER_CONCURRENCY must be a whole number from 1 to 1000, not "0"'],
    ['SERVER_QUEUE_LENGTH', 'lots', 'SERVER_QUEUE_LENGTH must be a whole number from 0 to 100000, not "lots"'],
  ])('refuses %s=%s, naming the variable, the rule and the value', (name, value, message) => {
    expect(() => readSettings({ [name]: value })).toThrow(message);
  });

  it('names every bad variable at once', () => {
    expect(() => readSettings({ BCRYPT_ROUNDS: 'x', RECONCILER_LEASE_MS: 'soon' })).toThrow(
      /^Bad settings: BCRYPT_ROUNDS .*; RECONCILER_LEASE_MS /,
    );
  });
});
