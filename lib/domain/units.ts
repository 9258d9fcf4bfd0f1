/** One GB as AWS bills data transfer and as the beta's monthly limit counts it: 2^30 bytes (docs/program-rules.md#beta-limits). */
export const GIB = 2 ** 30;
