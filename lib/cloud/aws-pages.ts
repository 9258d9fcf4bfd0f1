/**
 * Every page of a paginated AWS call for which the SDK ships no `paginate…` helper (EC2 DescribeVpcEndpointServices
 * has none in @aws-sdk/client-ec2). Where the SDK has one, use it instead, with PAGINATION below. `send` asks for the
 * page after `token` (undefined for the first); `next` reads the token the answer gives for the following page. Like the
 * SDK's own paginators with stopOnSameToken, a token that comes back unchanged ends the walk instead of asking for the
 * same page forever. Stop early by leaving the `for await` loop.
 */
export async function* pagesOf<T>(send: (token: string | undefined) => Promise<T>, next: (page: T) => string | undefined) {
  let token: string | undefined;
  do {
    const page = await send(token);
    yield page;
    const following = next(page);
    token = following && following !== token ? following : undefined;
  } while (token);
}

/** The options every SDK paginator here runs with: a repeated token ends the walk (as in pagesOf). */
export const PAGINATION = { stopOnSameToken: true } as const;
