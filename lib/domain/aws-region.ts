/**
 * The shape of an AWS region code: us-east-1, eu-west-1, ap-southeast-2, us-gov-west-1, ca-west-1 … (AWS General
 * Reference, "AWS Regions"). Whether a region is eligible is configuration (ELIGIBLE_REGIONS), not this pattern.
 */
export const AWS_REGION_SOURCE = '[a-z]{2}(?:-[a-z]+)+-\\d{1,2}';
export const AWS_REGION_PATTERN = new RegExp(`^${AWS_REGION_SOURCE}$`);
