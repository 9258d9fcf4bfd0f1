/** What a token may do: `read` only reads (GET); `write` also does what its owner's role may change. */
export const TOKEN_SCOPES = ['read', 'write'] as const;
