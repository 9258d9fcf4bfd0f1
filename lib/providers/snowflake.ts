/**
 * Snowflake: an interface VPC endpoint to the Snowflake account's PrivateLink service, plus CNAMEs
 * (docs/program-rules.md#snowflake).
 */
import { z } from 'zod';
import { caseRegion, normaliseSteps, regionIssues, regionSchema } from '@/lib/validation/flow';
import { listOf, ok, type ValidationIssue } from '@/lib/validation/result';
import { checkSnowflakeConfig, SNOWFLAKE_QUERY, snowflakeHosts, type ParsedSnowflakeConfig } from '@/lib/validation/snowflake';
import { checkedField, confirmationField, parseSteps } from '@/lib/validation/zod';
import { INPUT_PHASES, type CustomerStep, type FlowDefinition } from './types';

const customerSteps: CustomerStep[] = [
  {
    id: 'account',
    title: 'Your Snowflake account',
    description:
      'Snowflake PrivateLink needs the Business Critical edition with AWS PrivateLink enabled on the account, following ' +
      'Snowflake\'s "AWS PrivateLink and Snowflake" guide.',
    phase: 'draft',
    fields: [
      { name: 'region', label: 'Region', help: 'The AWS region your Snowflake account runs in.', kind: 'select' },
      {
        name: 'privatelinkEnabled',
        label: 'PrivateLink is enabled on my Snowflake account',
        help: 'Business Critical edition or higher, with AWS PrivateLink enabled. Nothing in AWS can tell us this, so we ask.',
        kind: 'checkbox',
      },
    ],
    schema: z.object({
      region: regionSchema,
      privatelinkEnabled: confirmationField(
        'snowflake.privatelink_enabled',
        "PrivateLink on your Snowflake account is not confirmed: enable AWS PrivateLink on the account (Business Critical edition) as Snowflake's guide describes, then tick this box.",
      ),
    }),
  },
  {
    id: 'privatelink-config',
    title: 'Authorize the edge account and share the configuration',
    description:
      'Open a Snowflake support case asking Snowflake to authorize PrivateLink connections from the edge AWS account ID ' +
      `shown on this case, as a third-party vendor. Once Snowflake confirms, run ${SNOWFLAKE_QUERY} with the ` +
      'ACCOUNTADMIN role and paste the whole result here. We see from the edge account whether Snowflake authorized us: ' +
      'no need to confirm it.',
    phase: 'details',
    fields: [
      {
        name: 'privatelinkConfig',
        label: 'PrivateLink configuration',
        help: `The output of ${SNOWFLAKE_QUERY}, pasted as is. We keep privatelink-vpce-id, privatelink-account-url, privatelink-account-name and the OCSP and Snowsight host names.`,
        kind: 'textarea',
        placeholder:
          '{"privatelink-account-name":"xy12345.us-east-1.privatelink","privatelink-vpce-id":"com.amazonaws.vpce.us-east-1.vpce-svc-…",…}',
      },
    ],
    schema: z.object({
      privatelinkConfig: checkedField((v) => {
        const parsed = checkSnowflakeConfig(v);
        return parsed.ok ? ok(parsed.value.config) : parsed;
      }),
    }),
  },
];

/** Every region-bearing key from another region than the case, grouped so one pasted config gives one message. */
function regionMismatches(parsed: ParsedSnowflakeConfig, region: string): ValidationIssue[] {
  const byRegion = new Map<string, string[]>();
  for (const [key, keyRegion] of Object.entries(parsed.regions)) {
    if (keyRegion !== region) byRegion.set(keyRegion, [...(byRegion.get(keyRegion) ?? []), key]);
  }
  const all = Object.keys(parsed.regions).length;
  return [...byRegion].map(([other, keys]) => ({
    field: 'privatelinkConfig',
    rule: 'region.match',
    message:
      keys.length === all
        ? `PrivateLink configuration is for a Snowflake account in ${other}, but this case is in ${region}: paste the output of ${SNOWFLAKE_QUERY} from your account in ${region}, or open a case for ${other}.`
        : `${listOf(keys, 'and')} ${keys.length === 1 ? 'is' : 'are'} in ${other}, but this case is in ${region}: paste the output exactly as Snowflake returned it.`,
  }));
}

const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** The pasted PrivateLink configuration as stored (its keys are read one by one: snowflakeHosts checks each). */
const configOf = (inputs: Record<string, unknown>) => (inputs.privatelinkConfig ?? {}) as Record<string, unknown>;

export const snowflakeFlow: FlowDefinition = {
  warehouse: 'snowflake',
  name: 'Snowflake',
  summary: "An interface VPC endpoint to your Snowflake account's PrivateLink service, with DNS that sends our connections to it.",
  needs: [
    'Snowflake Business Critical edition with AWS PrivateLink enabled',
    'The ACCOUNTADMIN role, to read the PrivateLink configuration',
    'An account in an eligible region',
  ],
  steps: [
    {
      id: 'enable',
      title: 'Enable PrivateLink on Snowflake',
      actor: 'customer',
      description: "Enable AWS PrivateLink for your Snowflake account, following Snowflake's PrivateLink guide.",
    },
    {
      id: 'request',
      title: 'Request PrivateLink',
      actor: 'customer',
      description: 'Choose your region, confirm PrivateLink is enabled, and submit this request.',
    },
    {
      id: 'review',
      title: 'CSM review',
      actor: 'csm',
      description: 'Your CSM reviews the request. Once it is accepted, the edge AWS account ID appears on this case.',
    },
    {
      id: 'support-case',
      title: 'Authorize the edge account',
      actor: 'customer',
      description:
        'Open a Snowflake support case to authorize PrivateLink connections from the edge AWS account ID as a third-party vendor.',
    },
    {
      id: 'privatelink-config',
      title: 'Share the PrivateLink configuration',
      actor: 'customer',
      description: `Once Snowflake support authorizes it, run ${SNOWFLAKE_QUERY} with the ACCOUNTADMIN role and paste the result here. Note privatelink-account-name for yourself: it becomes your Account setting.`,
    },
    {
      id: 'create-endpoint',
      title: 'Create the endpoint and DNS',
      actor: 'reconciler',
      description:
        'Once an engineer approves, the portal creates a VPC endpoint to your Snowflake account and CNAME records so that our connections to your privatelink-account-name go over PrivateLink.',
    },
    {
      id: 'use-account',
      title: 'Use the account name',
      actor: 'customer',
      description:
        'When this case is active, use your privatelink-account-name as the Account setting to update or create Snowflake integrations in our app.',
    },
  ],
  customerSteps,
  usesAwaitingCustomerAction: false,
  edge: {
    kind: 'vendor_service_dns',
    serviceName: (inputs) => text(configOf(inputs)['privatelink-vpce-id']),
    missingService:
      'The case has no Snowflake privatelink-vpce-id: the customer must paste the PrivateLink configuration before provisioning.',
    hosts: (inputs) => snowflakeHosts(configOf(inputs)),
    refusedFix: 'ask the customer to confirm with Snowflake support that the edge AWS account is authorized',
    activeOutputs: (inputs) => ({ account: text(configOf(inputs)['privatelink-account-name']) }),
  },
  connection: { protocol: 'snowflake' },
  claims: { kind: 'host', of: (inputs) => snowflakeHosts(configOf(inputs)) },
  preflight: { checks: 'vendor_service', phase: 'details', stepIds: ['privatelink-config'] },
  outputs: [
    {
      key: 'account',
      label: 'Account',
      help: 'Your privatelink-account-name: use it as the Account setting of your Snowflake integrations.',
    },
  ],
  check(inputs, ctx, phases = INPUT_PHASES) {
    const { issues, values } = parseSteps(customerSteps, inputs, phases);
    if (phases.includes('draft')) issues.push(...regionIssues(values.region, ctx.config.eligibleRegions));
    const region = caseRegion(inputs, ctx.region);
    // An ineligible region has its own message: the configuration is not sent to fetch one from that region.
    if (values.privatelinkConfig !== undefined && region && ctx.config.eligibleRegions.includes(region)) {
      const parsed = checkSnowflakeConfig(values.privatelinkConfig);
      if (parsed.ok) issues.push(...regionMismatches(parsed.value, region));
    }
    return issues;
  },
  normalise(inputs) {
    return normaliseSteps(customerSteps, inputs);
  },
};
