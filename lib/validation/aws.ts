/** AWS identifiers: regions, account IDs, VPC endpoint service names. */
import { type Checked, fail, ok, listOf } from './result';
import { readText } from './form';
import { AWS_REGION_PATTERN } from '@/lib/domain/aws-region';

export function isRegionShaped(text: string): boolean {
  return AWS_REGION_PATTERN.test(text);
}

/** The case's region from a form value: present and one of the eligible regions. */
export function checkRegion(value: unknown, eligible: readonly string[]): Checked<string> {
  const choices = listOf(eligible);
  const region = readText(value)?.toLowerCase();
  if (region === undefined) {
    return fail('region.required', `Region is empty: choose the AWS region your warehouse runs in, one of ${choices}.`);
  }
  if (!eligible.includes(region)) {
    return fail('region.eligible', `Region ${region} is not eligible for PrivateLink: choose ${choices}.`);
  }
  return ok(region);
}

/** "<label> is in us-west-2, but this case is in us-east-1: <fix>." */
export function regionMismatchMessage(label: string, found: string, caseRegion: string, fix: string): string {
  return `${label} is in ${found}, but this case is in ${caseRegion}: ${fix}.`;
}

/** A 12-digit AWS account ID; the console's "1234-5678-9012" form is accepted and stored without hyphens. */
export function checkAwsAccountId(value: unknown, label = 'AWS account ID'): Checked<string> {
  const fix = 'copy the 12 digits from the account menu at the top right of the AWS console, like 123456789012';
  const text = readText(value);
  if (text === undefined) return fail('aws_account_id.required', `${label} is empty: ${fix}.`);
  const digits = text.replace(/[\s-]/g, '');
  if (!/^\d{12}$/.test(digits)) {
    return fail('aws_account_id.format', `${label} "${text}" is not 12 digits: ${fix}.`);
  }
  return ok(digits);
}

export interface EndpointServiceName {
  /** The full name, lowercased: com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0 */
  name: string;
  region: string;
  /** vpce-svc-0123456789abcdef0 */
  serviceId: string;
}

// com.amazonaws.vpce.<region>.vpce-svc-<17 hex> (docs/facts.md#endpoint-services-and-availability-zones). Services
// created before AWS moved to long IDs in 2018 may carry 8 hex digits; none is expected in this beta, so only the long
// form is accepted.
const SERVICE_NAME = /^com\.amazonaws\.vpce\.([a-z]{2}(?:-[a-z]+)+-\d{1,2})\.(vpce-svc-[0-9a-f]{17})$/;

export const EXAMPLE_SERVICE_NAME = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';

/** The parts of a VPC endpoint service name, or null when it is not one. Case and surrounding spaces are ignored. */
export function parseEndpointServiceName(text: string): EndpointServiceName | null {
  const name = text.trim().toLowerCase();
  const match = SERVICE_NAME.exec(name);
  if (!match?.[1] || !match[2]) return null;
  return { name, region: match[1], serviceId: match[2] };
}

/** A VPC endpoint service name from a form value, with a message that recognises the usual wrong pastes. */
export function checkEndpointServiceName(value: unknown, label = 'Endpoint service name'): Checked<EndpointServiceName> {
  const text = readText(value);
  if (text === undefined) {
    return fail(
      'service_name.required',
      `${label} is empty: copy the service name from the VPC console's Endpoint services page, like ${EXAMPLE_SERVICE_NAME}.`,
    );
  }
  const parsed = parseEndpointServiceName(text);
  if (parsed) return ok(parsed);
  const lower = text.toLowerCase();
  let why = 'is not a VPC endpoint service name';
  if (/^vpce-svc-[0-9a-f]+$/.test(lower)) why = 'is only the service ID';
  else if (/^vpce-[0-9a-f]+$/.test(lower)) why = 'is a VPC endpoint ID, not an endpoint service name';
  return fail(
    'service_name.format',
    `${label} "${text}" ${why}: enter the full name shaped com.amazonaws.vpce.<region>.vpce-svc-<17 hex characters>, like ${EXAMPLE_SERVICE_NAME}.`,
  );
}
