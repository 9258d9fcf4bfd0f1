import type { MetadataRoute } from 'next';

// A private portal: nothing to index. Also the static baseline of bench/load.ts.
export default function robots(): MetadataRoute.Robots {
  return { rules: { userAgent: '*', disallow: '/' } };
}
