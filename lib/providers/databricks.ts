/**
 * Databricks: a front-end VPC endpoint to the regional Databricks workspace service, plus DNS
 * (docs/program-rules.md#databricks).
 */
import { z } from 'zod';
import { listOf } from '@/lib/validation/result';
import { checkWorkspaceUrl } from '@/lib/validation/databricks';
import { caseRegion, normaliseSteps, regionIssues, regionSchema } from '@/lib/validation/flow';
import { checkedField, confirmationField, parseSteps } from '@/lib/validation/zod';
import type { FlowConfig } from './config';
import { inputOf } from './inputs';
import { INPUT_PHASES, type CustomerStep, type FlowDefinition } from './types';

/** The Databricks workspace endpoint service the edge connects to in a region, if the configuration knows one. */
export function databricksWorkspaceService(region: string, config: FlowConfig): string | undefined {
  return Object.hasOwn(config.databricksWorkspaceServices, region) ? config.databricksWorkspaceServices[region] : undefined;
}

const registerSchema = z.object({
  workspaceUsesSettings: confirmationField(
    'databricks.private_access_settings',
    'The Private Access Settings are not confirmed: attach the Private Access Settings object that allows the endpoint to your workspace, then tick this box.',
  ),
  workspaceUrl: checkedField((v) => checkWorkspaceUrl(v)),
});

const customerSteps: CustomerStep[] = [
  {
    id: 'workspace',
    title: 'Your Databricks workspace',
    description:
      'Our front-end connection works together with back-end PrivateLink in your workspace (Enterprise tier, ' +
      'customer-managed VPC). Set that up first, following Databricks\' "Enable private connectivity using AWS PrivateLink".',
    phase: 'draft',
    fields: [
      { name: 'region', label: 'Region', help: 'The AWS region of your Databricks workspace.', kind: 'select' },
      {
        name: 'backendPrivateLink',
        label: 'Back-end PrivateLink is configured for my workspace',
        help: 'The connection from the Databricks compute plane to the control plane goes over PrivateLink.',
        kind: 'checkbox',
      },
    ],
    schema: z.object({
      region: regionSchema,
      backendPrivateLink: confirmationField(
        'databricks.backend_privatelink',
        'Back-end PrivateLink is not confirmed: configure it for your workspace as Databricks\' "Enable private connectivity using AWS PrivateLink" describes, then tick this box.',
      ),
    }),
  },
  {
    id: 'register-endpoint',
    title: 'Register the endpoint and give us your workspace URL',
    description:
      'Register the VPC endpoint ID shown on this case in your Databricks account, allow it in a Private Access Settings ' +
      'object attached to your workspace, then enter the workspace URL so the edge can route our traffic to it.',
    phase: 'after_endpoint',
    fields: [
      {
        name: 'workspaceUsesSettings',
        label: 'My workspace uses that Private Access Settings object',
        help: 'Account console → Workspaces → your workspace → Update workspace: choose the Private Access Settings object. AWS cannot tell us this, so we ask. (Whether you registered the endpoint we check ourselves: its state changes when Databricks accepts it.)',
        kind: 'checkbox',
      },
      {
        name: 'workspaceUrl',
        label: 'Workspace URL',
        help: 'The address your browser shows when you open the workspace.',
        kind: 'text',
        placeholder: 'https://dbc-a1b2c3d4-e5f6.cloud.databricks.com',
      },
    ],
    schema: registerSchema,
  },
];

export const databricksFlow: FlowDefinition = {
  warehouse: 'databricks',
  name: 'Databricks',
  summary: "A VPC endpoint to Databricks' workspace service, which you register in your account, and DNS that routes our traffic to it.",
  needs: [
    'Databricks Enterprise tier with a customer-managed VPC',
    'Back-end PrivateLink configured for the workspace',
    'A workspace in an eligible region',
  ],
  steps: [
    {
      id: 'backend',
      title: 'Configure back-end PrivateLink',
      actor: 'customer',
      description:
        'Set up back-end PrivateLink for your workspace, following Databricks\' "Enable private connectivity using AWS PrivateLink".',
    },
    {
      id: 'request',
      title: 'Request PrivateLink',
      actor: 'customer',
      description: 'Choose your region, confirm back-end PrivateLink, and submit this request.',
    },
    {
      id: 'review',
      title: 'CSM review',
      actor: 'csm',
      description: 'Your CSM reviews the request and passes it to the edge team.',
    },
    {
      id: 'create-endpoint',
      title: 'Create the endpoint',
      actor: 'reconciler',
      description:
        'Once an engineer approves, the portal creates a VPC endpoint to the Databricks workspace service in your region and shows its ID here.',
    },
    {
      id: 'register-endpoint',
      title: 'Register the endpoint',
      actor: 'customer',
      description:
        'Register the VPC endpoint ID in your Databricks account, and create or update a Private Access Settings object to include it.',
    },
    {
      id: 'private-access-settings',
      title: 'Attach the Private Access Settings',
      actor: 'customer',
      description: 'Configure your workspace to use that Private Access Settings object.',
    },
    {
      id: 'workspace-url',
      title: 'Give your workspace URL',
      actor: 'customer',
      description: 'Enter your workspace URL here. The portal then points the edge DNS for your workspace at the VPC endpoint.',
    },
    {
      id: 'complete',
      title: 'PrivateLink in use',
      actor: 'reconciler',
      description:
        'When the DNS record is in place this case turns active: existing and new Databricks integrations that use your workspace URL go over PrivateLink automatically.',
    },
  ],
  customerSteps,
  usesAwaitingCustomerAction: true,
  edge: {
    kind: 'registered_endpoint_dns',
    serviceName: (_inputs, ctx) => databricksWorkspaceService(ctx.region, ctx.config),
    refusedFix: 'ask the customer to register it in their Databricks account with use case "Workspace access"',
    hosts: (inputs) => {
      const url = inputOf(registerSchema, 'workspaceUrl', inputs);
      return url ? [new URL(url).hostname] : [];
    },
  },
  connection: {
    protocol: 'https',
    host: (inputs) => {
      const url = typeof inputs.workspaceUrl === 'string' ? inputs.workspaceUrl : '';
      return url.replace(/^https?:\/\//, '').replace(/\/.*$/, '') || undefined;
    },
  },
  claims: {
    kind: 'host',
    // Read leniently, as given: a claim holds even while the URL does not pass the step's checks yet.
    of: (inputs) => {
      const url = typeof inputs.workspaceUrl === 'string' ? inputs.workspaceUrl.trim() : '';
      try {
        return url ? [new URL(url).hostname] : [];
      } catch {
        return [];
      }
    },
  },
  preflight: { checks: 'regional_service', phase: 'draft', stepIds: ['workspace', 'register-endpoint'] },
  words: {
    awaiting: {
      task: {
        you: 'register the VPC endpoint and give your workspace URL',
        other: 'register the VPC endpoint and give the workspace URL',
      },
      detail: {
        you: 'Register the endpoint ID below in your Databricks account, allow it in your Private Access Settings, then enter your workspace URL.',
        other:
          'A workspace admin registers the endpoint ID below in your Databricks account, allows it in the Private Access Settings, then enters the workspace URL.',
      },
    },
    resumed: {
      headline: 'Pointing our DNS for your workspace at the endpoint',
      detail: {
        you: 'You sent the workspace URL. The case turns active when the DNS record is in place. This page updates when it is done.',
        other:
          'Your workspace sent the workspace URL. The case turns active when the DNS record is in place. This page updates when it is done.',
      },
    },
    emailAwaiting:
      'The VPC endpoint exists. Register it in your Databricks account and give us your workspace URL, then press "Send and finish" on the case.',
  },
  outputs: [
    {
      key: 'vpcEndpointId',
      label: 'VPC endpoint ID',
      help: 'Register this VPC endpoint ID in your Databricks account (use case "Workspace access") and allow it in the Private Access Settings your workspace uses.',
      doneHelp: 'The VPC endpoint registered in your Databricks account; our traffic to your workspace goes through it.',
    },
  ],
  check(inputs, ctx, phases = INPUT_PHASES) {
    const { issues, values } = parseSteps(customerSteps, inputs, phases);
    if (!phases.includes('draft')) return issues;
    const regionProblems = regionIssues(values.region, ctx.config.eligibleRegions);
    issues.push(...regionProblems);
    const region = caseRegion(inputs, ctx.region);
    // An ineligible region already has its message; a missing service only matters for an eligible one.
    if (region && regionProblems.length === 0 && values.region !== undefined && !databricksWorkspaceService(region, ctx.config)) {
      const known = ctx.config.eligibleRegions.filter((r) => databricksWorkspaceService(r, ctx.config));
      issues.push({
        field: 'region',
        rule: 'region.databricks_service',
        message:
          `Region ${region} has no known Databricks workspace endpoint service, so the edge cannot connect to it yet: ` +
          (known.length > 0
            ? `choose ${listOf(known)}, or ask your CSM when ${region} will be supported.`
            : 'ask your CSM when it will be supported.'),
      });
    }
    return issues;
  },
  normalise(inputs) {
    return normaliseSteps(customerSteps, inputs);
  },
};
