/**
 * RDS Postgres: an interface VPC endpoint in the edge VPC to the customer's NLB endpoint service
 * (docs/program-rules.md#rds-postgres).
 */
import { z } from 'zod';
import { checkEndpointServiceName, parseEndpointServiceName, regionMismatchMessage } from '@/lib/validation/aws';
import { readText } from '@/lib/validation/form';
import { caseRegion, normaliseSteps, regionIssues, regionSchema } from '@/lib/validation/flow';
import { inboundRulesField, parseInboundRules, ruleAdmits } from '@/lib/validation/inbound-rules';
import { checkPort } from '@/lib/validation/ports';
import { fail, listOf, ok } from '@/lib/validation/result';
import { checkedField, parseSteps } from '@/lib/validation/zod';
import { inputOf } from './inputs';
import { INPUT_PHASES, type CustomerStep, type FlowDefinition } from './types';

// The edge CIDR an NLB that enforces inbound rules on PrivateLink traffic must admit
// (docs/program-rules.md#rds-postgres).
export const EDGE_CIDR = '10.0.0.0/8';

const ENFORCEMENT = 'Enforce inbound rules on PrivateLink traffic';

const nlbServiceSchema = z.object({
  region: regionSchema,
  endpointServiceName: checkedField((v) => {
    const parsed = checkEndpointServiceName(v);
    return parsed.ok ? ok(parsed.value.name) : parsed;
  }),
  databasePort: checkedField((v) => checkPort(v, 'Database port')),
  inboundEnforcement: checkedField((v) => {
    const value = readText(v)?.toLowerCase();
    return value === 'on' || value === 'off'
      ? ok(value)
      : fail('nlb.enforcement', `${ENFORCEMENT} is not set: choose On or Off, as the NLB's Security tab shows it.`);
  }),
  inboundRules: inboundRulesField(),
});

const customerSteps: CustomerStep[] = [
  {
    // The service name is asked before submitting: in the program's flow the customer creates the endpoint service
    // before contacting anyone (docs/program-rules.md#rds-postgres), so it exists at this point, and checking its shape
    // and region now catches a wrong paste before a CSM spends time on the case. Only the allowed principal waits for
    // the CSM's acceptance (below).
    id: 'nlb-service',
    title: 'Your load balancer and endpoint service',
    description:
      'We reach your database through a Network Load Balancer in front of it and a VPC endpoint service on that ' +
      'NLB. Tell us how the NLB treats PrivateLink traffic and which endpoint service to connect to.',
    phase: 'draft',
    fields: [
      { name: 'region', label: 'Region', help: 'The AWS region of your database and NLB.', kind: 'select' },
      {
        name: 'endpointServiceName',
        label: 'Endpoint service name',
        help: 'In the VPC console, Endpoint services: the Service name of the service you created for the NLB.',
        kind: 'text',
        placeholder: 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0',
      },
      {
        name: 'databasePort',
        label: 'Database port',
        help: 'The port the NLB listener forwards to Postgres, usually 5432.',
        kind: 'number',
        placeholder: '5432',
      },
      {
        name: 'inboundEnforcement',
        label: ENFORCEMENT,
        help: "The NLB's Security tab shows this setting. With it off, the NLB's security groups do not filter PrivateLink traffic.",
        kind: 'select',
        options: [
          { value: 'off', label: 'Off' },
          { value: 'on', label: 'On' },
        ],
      },
      {
        name: 'inboundRules',
        label: "The NLB security group's inbound rules",
        help: `Needed only when "${ENFORCEMENT}" is on: one rule must admit all of ${EDGE_CIDR} on the database port.`,
        kind: 'rules',
      },
    ],
    schema: nlbServiceSchema,
  },
  {
    id: 'allowed-principal',
    title: "Allow your workspace's role",
    description:
      "Add your workspace's role ARN shown on this case as an allowed principal of your endpoint service (VPC console → " +
      'Endpoint services → your service → Allow principals). Then check from our side: we look at your service as that ' +
      'role, so there is nothing to confirm.',
    phase: 'details',
    fields: [],
    schema: z.object({}),
  },
];

export const rdsPostgresFlow: FlowDefinition = {
  warehouse: 'rds_postgres',
  name: 'RDS Postgres',
  summary: 'An interface VPC endpoint in the edge VPC connects our platform to your Postgres database through your NLB endpoint service.',
  needs: [
    'A Network Load Balancer in front of the database, ideally with target IP synchronisation',
    `"${ENFORCEMENT}" off on the NLB, or an inbound rule admitting ${EDGE_CIDR} on the database port`,
    'A VPC endpoint service for the NLB, in an eligible region',
  ],
  steps: [
    {
      id: 'nlb',
      title: 'Put an NLB in front of the database',
      actor: 'customer',
      description: `Route traffic to Postgres through a Network Load Balancer, ideally with its target IPs kept in sync (for example by a Lambda function). Either turn off "${ENFORCEMENT}" or add an inbound rule admitting ${EDGE_CIDR}. If you later change the NLB's Availability Zones, the edge endpoint follows by itself: the portal rechecks your service's zones.`,
    },
    {
      id: 'endpoint-service',
      title: 'Create the endpoint service',
      actor: 'customer',
      description: 'Create a VPC endpoint service powered by the NLB (AWS guide "Create a service powered by AWS PrivateLink").',
    },
    {
      id: 'request',
      title: 'Request PrivateLink',
      actor: 'customer',
      description: "Enter the service's name and the NLB's settings, and submit this request. The portal checks them first.",
    },
    {
      id: 'review',
      title: 'CSM review',
      actor: 'csm',
      description:
        "Your CSM reviews the request. Once it is accepted, your workspace's own role ARN in the edge account appears on this case.",
    },
    {
      id: 'allowed-principal',
      title: "Allow your workspace's role",
      actor: 'customer',
      description:
        "Add your workspace's role ARN as an allowed principal of your endpoint service. The portal checks it from the edge account before you send.",
    },
    {
      id: 'create-endpoint',
      title: 'Create the endpoint',
      actor: 'reconciler',
      description:
        'Once an engineer approves, the portal creates a VPC endpoint to your service in the edge VPC, in the Availability Zones your service and the edge share.',
    },
    {
      id: 'accept-connection',
      title: 'Accept the connection',
      actor: 'customer',
      description:
        'If your endpoint service requires acceptance, accept the pending endpoint connection (VPC console → Endpoint services → Endpoint connections). The case moves on by itself.',
    },
    {
      id: 'use-host',
      title: 'Use the host name',
      actor: 'customer',
      description:
        "Use the endpoint's private DNS name shown here as the Host setting when you update or create Postgres integrations in our app.",
    },
  ],
  customerSteps,
  usesAwaitingCustomerAction: true,
  edge: {
    kind: 'customer_service',
    serviceName: (inputs) => inputOf(nlbServiceSchema, 'endpointServiceName', inputs),
    missingService: 'The case has no endpoint service name: the customer must give it before provisioning.',
    port: (inputs) => inputOf(nlbServiceSchema, 'databasePort', inputs) ?? null,
  },
  connection: { protocol: 'postgres', defaultDatabase: 'postgres', port: (inputs) => Number(inputs.databasePort ?? 5432) },
  claims: {
    kind: 'endpoint_service',
    // Read leniently, as given: a claim holds even while the value does not pass the step's checks yet.
    of: (inputs) =>
      typeof inputs.endpointServiceName === 'string' && inputs.endpointServiceName.trim()
        ? [inputs.endpointServiceName.trim().toLowerCase()]
        : [],
  },
  preflight: { checks: 'customer_service', phase: 'details', stepIds: ['allowed-principal'] },
  words: {
    emailAwaiting:
      'The VPC endpoint to your endpoint service exists. Accept the pending endpoint connection (VPC console → Endpoint services → Endpoint connections); the case moves on by itself.',
    emailAccepted:
      "Your CSM accepted the request. Add your workspace's role ARN shown on the case as an allowed principal of your endpoint service, then check from our side and send.",
  },
  outputs: [
    {
      key: 'host',
      label: 'Host',
      help: "The VPC endpoint's private DNS name: use it as the Host setting of your Postgres integrations.",
    },
  ],
  check(inputs, ctx, phases = INPUT_PHASES) {
    const { issues, values } = parseSteps(customerSteps, inputs, phases);
    if (!phases.includes('draft')) return issues;
    const regionProblems = regionIssues(values.region, ctx.config.eligibleRegions);
    issues.push(...regionProblems);

    const region = caseRegion(inputs, ctx.region);
    const service = typeof values.endpointServiceName === 'string' ? parseEndpointServiceName(values.endpointServiceName) : null;
    const eligible = ctx.config.eligibleRegions;
    // With an ineligible region the region's own message says what to choose; the service's must agree with it, so it
    // never points at the ineligible region.
    if (service && region && service.region !== region && regionProblems.length === 0) {
      issues.push({
        field: 'endpointServiceName',
        rule: 'region.match',
        message: regionMismatchMessage('Endpoint service name', service.region, region, `use an endpoint service in ${region}`),
      });
    } else if (service && regionProblems.length > 0 && !eligible.includes(service.region)) {
      issues.push({
        field: 'endpointServiceName',
        rule: 'region.eligible',
        message: `Endpoint service name is in ${service.region}, which is not eligible for PrivateLink: use an endpoint service in ${listOf(eligible)}, the region you choose for this case.`,
      });
    }

    // With enforcement off the rules do not apply, so problems in them are not the customer's to fix.
    if (values.inboundEnforcement !== 'on') return issues.filter((i) => !i.field.startsWith('inboundRules'));
    const port = values.databasePort;
    if (typeof port !== 'number') return issues;
    // The program asks for one rule admitting the edge CIDR: rules that only cover it together are not accepted.
    const { rules } = parseInboundRules(inputs.inboundRules);
    if (!rules.some((rule) => ruleAdmits(rule, EDGE_CIDR, port))) {
      issues.push({
        field: 'inboundRules',
        rule: 'nlb.edge_cidr',
        message: `No inbound rule admits all of ${EDGE_CIDR} on database port ${port}: add a TCP rule with source ${EDGE_CIDR} and port ${port}, or turn off "${ENFORCEMENT}" on the NLB.`,
      });
    }
    return issues;
  },
  normalise(inputs) {
    return normaliseSteps(customerSteps, inputs);
  },
};
