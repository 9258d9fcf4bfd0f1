import { describe, expect, it } from 'vitest';
import { checkPort, formatPortRanges, portInRanges } from '@/lib/validation/ports';
import { readCheckbox, readNumber, readText } from '@/lib/validation/form';

const REDSHIFT = {
  ranges: [
    { from: 5431, to: 5455 },
    { from: 8191, to: 8215 },
  ],
  by: 'Redshift PrivateLink',
  rule: 'redshift.port',
};

describe('checkPort with allowed ranges (Redshift)', () => {
  it.each([
    [5431, true],
    [5439, true],
    [5455, true],
    [8191, true],
    [8200, true],
    [8215, true],
    [5430, false],
    [5456, false],
    [8190, false],
    [8216, false],
    [5432.0, true],
    [1, false],
    [65535, false],
  ])('port %d allowed: %s', (port, allowed) => {
    expect(checkPort(port, 'Port', { allowed: REDSHIFT }).ok).toBe(allowed);
  });

  it('rejects port 5456 with the pinned message', () => {
    expect(checkPort(5456, 'Port', { allowed: REDSHIFT })).toEqual({
      ok: false,
      rule: 'redshift.port',
      message: 'Port 5456 is outside the ports Redshift PrivateLink allows: use a port in 5431–5455 or 8191–8215.',
    });
  });

  it.each([
    ['5439', 5439],
    [' 8215 ', 8215],
    ['+5431', 5431],
  ])('reads the form value %j as %d', (value, port) => {
    expect(checkPort(value, 'Port', { allowed: REDSHIFT })).toEqual({ ok: true, value: port });
  });
});

describe('checkPort without allowed ranges', () => {
  it.each([1, 5432, 65535])('accepts %d', (port) => {
    expect(checkPort(port, 'Database port')).toEqual({ ok: true, value: port });
  });

  it.each([
    [0, 'port.range'],
    [-1, 'port.range'],
    [65536, 'port.range'],
    ['-1', 'port.range'],
    [5432.5, 'port.integer'],
    ['5432.5', 'port.integer'],
    ['0x1538', 'port.integer'],
    ['1e3', 'port.integer'],
    ['abc', 'port.integer'],
    [Number.NaN, 'port.integer'],
    [Number.POSITIVE_INFINITY, 'port.integer'],
    [true, 'port.integer'],
    [undefined, 'port.required'],
    ['', 'port.required'],
    [null, 'port.required'],
  ])('rejects %j (%s)', (value, rule) => {
    const result = checkPort(value, 'Database port');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.rule).toBe(rule);
  });

  it('allows port 0 when the minimum is 0 (security-group ranges)', () => {
    expect(checkPort(0, 'From port', { min: 0 })).toEqual({ ok: true, value: 0 });
  });

  it('explains an invalid port number verbatim', () => {
    expect(checkPort(65536, 'Database port')).toEqual({
      ok: false,
      rule: 'port.range',
      message: 'Database port 65536 is not a valid port number: use a whole number from 1 to 65535.',
    });
  });

  it('explains a non-integer verbatim', () => {
    expect(checkPort('5432.5', 'Database port')).toEqual({
      ok: false,
      rule: 'port.integer',
      message: 'Database port "5432.5" is not a whole number: use a whole number from 1 to 65535.',
    });
  });
});

describe('port range helpers', () => {
  it('formats ranges for messages', () => {
    expect(formatPortRanges(REDSHIFT.ranges)).toBe('5431–5455 or 8191–8215');
    expect(formatPortRanges([{ from: 5432, to: 5432 }])).toBe('5432');
  });

  it.each([
    [5430, false],
    [5431, true],
    [8215, true],
    [8216, false],
  ])('portInRanges(%d) is %s', (port, expected) => {
    expect(portInRanges(port, REDSHIFT.ranges)).toBe(expected);
  });
});

describe('form readers', () => {
  it.each([
    [true, true],
    ['on', true],
    ['true', true],
    ['yes', true],
    ['1', true],
    [1, true],
    [' ON ', true],
    [false, false],
    ['off', false],
    ['', false],
    [undefined, false],
    ['false', false],
    [0, false],
  ])('readCheckbox(%j) is %s', (value, expected) => {
    expect(readCheckbox(value)).toBe(expected);
  });

  it.each([
    ['  x ', 'x'],
    ['', undefined],
    [5439, '5439'],
    [null, undefined],
    [{}, undefined],
  ])('readText(%j) is %j', (value, expected) => {
    expect(readText(value)).toBe(expected);
  });

  it('readNumber tells missing from not-a-number', () => {
    expect(readNumber(' ')).toEqual({ kind: 'missing' });
    expect(readNumber('12a')).toEqual({ kind: 'not_a_number', raw: '12a' });
    expect(readNumber('-7')).toEqual({ kind: 'number', value: -7 });
  });
});
