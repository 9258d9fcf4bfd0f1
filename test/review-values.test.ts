import { describe, expect, it } from 'vitest';
import { storedForReview } from '@/app/(portal)/cases/[id]/setup/_components/review-values';
import { checkForWizard } from '@/lib/cases/wizard-check';

// The wizard's review reads the answers as they will be stored: the server's normalised values, put in words.

const draft = (warehouse: 'databricks' | 'redshift' | 'rds_postgres', inputs: Record<string, unknown> = {}) => ({
  warehouse,
  region: 'us-east-1',
  state: 'draft',
  workspaceId: '00000000-0000-4000-8000-000000000001',
  inputs,
});

describe('the stored form of answers', () => {
  it.each<[string, 'databricks' | 'redshift' | 'rds_postgres', string, Record<string, unknown>, unknown]>([
    ['an account ID without its hyphens', 'redshift', 'details', { awsAccountId: '1234-5678-9012' }, '123456789012'],
    ['a ticked box posted as "on"', 'redshift', 'draft', { relocationEnabled: 'on' }, true],
    ['a port as a number', 'redshift', 'draft', { port: ' 5439 ' }, 5439],
    [
      'a workspace URL as its host',
      'databricks',
      'after_endpoint',
      { workspaceUrl: 'https://Acme-Analytics.cloud.databricks.com/path?o=123' },
      'https://acme-analytics.cloud.databricks.com',
    ],
    [
      'a service name in lower case',
      'rds_postgres',
      'draft',
      { endpointServiceName: ' COM.AMAZONAWS.VPCE.US-EAST-1.VPCE-SVC-0123456789ABCDEF0' },
      'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0',
    ],
    ['a value that does not parse yet, as typed', 'redshift', 'details', { awsAccountId: '12-34' }, '12-34'],
  ])('%s', (_, warehouse, phase, values, expected) => {
    const field = Object.keys(values)[0]!;
    const c = draft(warehouse);
    const { stored } = checkForWizard({ ...c, state: phase === 'draft' ? 'draft' : 'awaiting_customer' }, values, phase as never);
    expect(stored[field]).toEqual(expected);
  });
});

describe('answers in words on the review', () => {
  it.each<[string, Parameters<typeof storedForReview>[0], unknown, string]>([
    ['a ticked box', { kind: 'checkbox' }, true, 'Yes'],
    ['an unticked box', { kind: 'checkbox' }, false, 'No'],
    ['a box never touched', { kind: 'checkbox' }, undefined, 'No'],
    ['a choice by its label', { kind: 'select', options: [{ value: 'on', label: 'On' }] }, 'on', 'On'],
    ['an empty text', { kind: 'text' }, '', '—'],
    ['a number', { kind: 'number' }, 5439, '5439'],
    [
      'rules, one a line',
      { kind: 'rules' },
      [
        { cidr: '10.0.0.0/8', protocol: 'tcp', fromPort: 5432, toPort: 5432 },
        { cidr: '192.168.0.0/16', protocol: 'tcp', fromPort: 5000, toPort: 6000 },
        { cidr: '10.0.0.0/8', protocol: 'all' },
      ],
      '1. 10.0.0.0/8, TCP, port 5432\n2. 192.168.0.0/16, TCP, ports 5000–6000\n3. 10.0.0.0/8, All traffic',
    ],
    ['no rules', { kind: 'rules' }, [], 'None'],
    ['a parsed configuration, key by key', { kind: 'textarea' }, { a: 'x', b: 'y' }, 'a: x\nb: y'],
  ])('%s', (_, field, value, expected) => {
    expect(storedForReview(field, value)).toBe(expected);
  });
});
