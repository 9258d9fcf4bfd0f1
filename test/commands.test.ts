import { describe, expect, it } from 'vitest';
import { commandsFor, serviceIdOf } from '@/lib/providers/commands';

const edge = { accountId: '210987654321', vpcId: 'vpc-0e19a7c5d3b1f2e4a6', principalArn: 'arn:aws:iam::210987654321:root' };

describe('copy-ready commands', () => {
  it('fills the Redshift authorization with the cluster, edge account and VPC', () => {
    const [cli, tf] = commandsFor('redshift', 'cluster-access', {
      region: 'eu-west-1',
      inputs: { clusterIdentifier: 'analytics-prod' },
      outputs: {},
      edge,
    });
    expect(cli?.code).toBe(
      'aws redshift authorize-endpoint-access \\\n  --region eu-west-1 \\\n  --cluster-identifier analytics-prod \\\n  --account 210987654321 \\\n  --vpc-ids vpc-0e19a7c5d3b1f2e4a6',
    );
    expect(tf?.code).toContain('resource "aws_redshift_endpoint_authorization"');
    expect(tf?.code).toContain('vpc_ids            = ["vpc-0e19a7c5d3b1f2e4a6"]');
  });

  it('uses a placeholder until the cluster identifier is typed', () => {
    const [cli] = commandsFor('redshift', 'cluster-access', { region: 'us-east-1', inputs: {}, outputs: {}, edge });
    expect(cli?.code).toContain('--cluster-identifier <your-cluster-identifier>');
  });

  it('reveals nothing of the edge account before acceptance', () => {
    expect(commandsFor('redshift', 'cluster-access', { region: 'us-east-1', inputs: {}, outputs: {} })).toEqual([]);
    expect(commandsFor('snowflake', 'privatelink-config', { region: 'us-east-1', inputs: {}, outputs: {} })).toEqual([]);
  });

  it('adds the edge principal to the RDS endpoint service by its vpce-svc id', () => {
    const [cli, tf] = commandsFor('rds_postgres', 'allowed-principal', {
      region: 'us-east-1',
      inputs: { endpointServiceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f60718' },
      outputs: {},
      edge,
    });
    expect(cli?.code).toContain('--service-id vpce-svc-0a1b2c3d4e5f60718');
    expect(cli?.code).toContain('--add-allowed-principals arn:aws:iam::210987654321:root');
    expect(tf?.code).toContain('resource "aws_vpc_endpoint_service_allowed_principal"');
  });

  it('shows the NLB enforcement command without edge values', () => {
    const [cli] = commandsFor('rds_postgres', 'nlb-service', { region: 'us-west-2', inputs: {}, outputs: {} });
    expect(cli?.code).toContain('--enforce-security-group-inbound-rules-on-private-link-traffic off');
  });

  it('names the edge account in the Snowflake support case and registers the Databricks endpoint', () => {
    expect(commandsFor('snowflake', 'privatelink-config', { region: 'us-east-1', inputs: {}, outputs: {}, edge })[0]?.code).toContain(
      'AWS account 210987654321',
    );
    const [tf] = commandsFor('databricks', 'register-endpoint', {
      region: 'us-west-2',
      inputs: {},
      outputs: { vpcEndpointId: 'vpce-0123456789abcdef0' },
      edge,
    });
    expect(tf?.code).toContain('aws_vpc_endpoint_id = "vpce-0123456789abcdef0"');
    expect(tf?.code).toContain('aws_account_id      = "210987654321"');
  });

  it.each([
    ['com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f60718', 'vpce-svc-0a1b2c3d4e5f60718'],
    ['  com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0 ', 'vpce-svc-0123456789abcdef0'],
    ['', '<your-vpce-svc-id>'],
    [undefined, '<your-vpce-svc-id>'],
  ])('takes the service id of %s', (name, id) => {
    expect(serviceIdOf(name)).toBe(id);
  });
});
