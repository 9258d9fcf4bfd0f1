import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { RedshiftClient } from '@aws-sdk/client-redshift';
import { Route53Client } from '@aws-sdk/client-route-53';
import { STSClient } from '@aws-sdk/client-sts';
import type { SessionCredentials } from './aws-iam';
import type { WorkspacePrincipal } from './types';
import { readSettings } from '@/lib/settings';

/**
 * SDK clients for the edge account, one per service and region (and, for calls made as a workspace, per workspace),
 * created on first use. The portal's own clients take credentials from the default provider chain (environment, shared
 * config, SSO, web identity, instance or task role): none are configured here. A workspace's clients sign with that
 * workspace role's session instead (docs/design.md#a-principal-per-workspace). AWS_ENDPOINT_URL points every client,
 * IAM and STS included, at an AWS-compatible emulator. Retries use the SDK's adaptive mode, which adds client-side rate
 * limiting on throttling to the standard exponential backoff.
 */
export interface AwsClientOptions {
  endpoint?: string;
  maxAttempts: number;
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
}

export function awsClientOptions(env: Record<string, string | undefined> = process.env): AwsClientOptions {
  const s = readSettings(env);
  return {
    endpoint: env.AWS_ENDPOINT_URL?.trim() || undefined,
    maxAttempts: s.AWS_MAX_ATTEMPTS,
    connectionTimeoutMs: s.AWS_CONNECT_TIMEOUT_MS,
    requestTimeoutMs: s.AWS_REQUEST_TIMEOUT_MS,
  };
}

export class AwsClients {
  private readonly cache = new Map<string, unknown>();
  constructor(private readonly options: AwsClientOptions) {}

  private config(region: string) {
    return {
      region,
      retryMode: 'adaptive',
      maxAttempts: this.options.maxAttempts,
      ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
      // A call that hangs must not outlive the reconciler's lease on the case.
      requestHandler: { connectionTimeout: this.options.connectionTimeoutMs, requestTimeout: this.options.requestTimeoutMs },
    };
  }

  private get<T>(key: string, make: () => T): T {
    let client = this.cache.get(key) as T | undefined;
    if (!client) {
      client = make();
      this.cache.set(key, client);
    }
    return client;
  }

  /** EC2 as the portal itself. */
  ec2(region: string): EC2Client {
    return this.get(`ec2:${region}`, () => new EC2Client(this.config(region)));
  }

  /**
   * EC2 as a workspace's role: the client asks `credentials` for the role's session on every request (the session
   * cache, WorkspaceSessions, decides when to call STS again).
   */
  workspaceEc2(region: string, principal: WorkspacePrincipal, credentials: () => Promise<SessionCredentials>): EC2Client {
    return this.get(`ec2:${region}:${principal.arn}`, () => new EC2Client({ ...this.config(region), credentials }));
  }

  /** IAM is a global service signed in us-east-1. */
  iam(): IAMClient {
    return this.get('iam', () => new IAMClient(this.config('us-east-1')));
  }

  /** STS in the region of the call that needs a session (regional endpoints, valid in every region). */
  sts(region: string): STSClient {
    return this.get(`sts:${region}`, () => new STSClient(this.config(region)));
  }

  redshift(region: string): RedshiftClient {
    return this.get(`redshift:${region}`, () => new RedshiftClient(this.config(region)));
  }

  cloudwatch(region: string): CloudWatchClient {
    return this.get(`cloudwatch:${region}`, () => new CloudWatchClient(this.config(region)));
  }

  /** Route 53 is a global service signed in us-east-1. */
  route53(): Route53Client {
    return this.get('route53', () => new Route53Client(this.config('us-east-1')));
  }

  destroy() {
    for (const c of this.cache.values()) (c as { destroy(): void }).destroy();
    this.cache.clear();
  }
}
