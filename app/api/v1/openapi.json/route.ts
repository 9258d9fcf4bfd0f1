// GET /api/v1/openapi.json – the OpenAPI 3.1 document of /api/v1, generated from the handlers' zod schemas. Public:
// it describes the API, it holds no data.
import { NextResponse } from 'next/server';
import { openApiDocument } from '@/lib/api/openapi';

export const dynamic = 'force-static';

export function GET() {
  return NextResponse.json(openApiDocument());
}
