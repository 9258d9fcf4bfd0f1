/**
 * The OpenAPI 3.1 document of /api/v1, generated from the operations' own zod schemas with zod 4's JSON Schema output
 * (draft 2020-12, the dialect OpenAPI 3.1 uses): what the handlers parse and answer is what the document says.
 */
import { z } from 'zod';
import { ERROR_CODES, errorBodySchema } from './errors';
import type { Operation } from './operation';
import { OPERATIONS } from './operations';

type JsonSchema = Record<string, unknown>;

// Schemas named with `.meta({ id })` become components; zod writes them as `$defs` of each schema, which OpenAPI
// would resolve against the document's root, so they are moved to components.schemas and their refs rewritten.
const components: Record<string, JsonSchema> = {};

const schemaOf = (s: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const generated = z.toJSONSchema(s, { io, unrepresentable: 'any', reused: 'inline' }) as JsonSchema;
  const rewritten = JSON.parse(JSON.stringify(generated).replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonSchema;
  const { $schema: _dialect, $defs, ...rest } = rewritten as JsonSchema & { $defs?: Record<string, JsonSchema> };
  for (const [name, def] of Object.entries($defs ?? {})) components[name] = def;
  return rest;
};

function parameters(op: Operation): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const [where, schema] of [
    ['path', op.params],
    ['query', op.query],
  ] as const) {
    if (!schema) continue;
    const js = schemaOf(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, prop] of Object.entries(js.properties ?? {})) {
      const { description, ...rest } = prop as { description?: string };
      out.push({
        name,
        in: where,
        required: where === 'path' || (js.required ?? []).includes(name),
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  if (op.idempotency) {
    out.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'Any 1–255 visible ASCII characters (a UUID is fine). A repeat with the same key and request answers the first answer.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    });
  }
  return out;
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/** The document, built once per process. */
export function openApiDocument() {
  schemaOf(errorBodySchema, 'output'); // registers the Error component the error answers refer to
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of Object.values(OPERATIONS) as Operation[]) {
    const errors: Record<string, unknown> = {
      '401': errorResponse('No token, or one that is unknown, revoked or expired.'),
      '403': errorResponse('The token’s scope or its owner’s role does not allow this.'),
      '422': errorResponse('A parameter or field is not valid: each issue names the field, the rule and the fix.'),
      '429': {
        ...errorResponse('Too many requests for this token: wait as long as Retry-After says.'),
        headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait.' } },
      },
      '500': errorResponse('Something went wrong on our side; nothing was changed.'),
      '503': errorResponse('The database is not answering; nothing was changed.'),
    };
    if (op.params) errors['404'] = errorResponse('No such case in your workspace.');
    if (op.id === 'getUsage') errors['404'] = errorResponse('No such workspace.');
    if (op.method !== 'GET')
      errors['409'] = errorResponse('The case changed since you read it, is in another state, or a limit is reached.');
    const body = op.body && op.method !== 'GET' ? schemaOf(op.body, 'input') : null;
    paths[op.path] ??= {};
    paths[op.path]![op.method.toLowerCase()] = {
      operationId: op.id,
      summary: op.summary,
      description: `${op.description}\n\nNeeds the \`${op.permission}\` permission${op.method === 'GET' ? '' : ' and a token with the `write` scope'}.`,
      parameters: parameters(op),
      ...(body ? { requestBody: { required: op.id !== 'runCasePreflight', content: { 'application/json': { schema: body } } } } : {}),
      responses: {
        [String(op.status)]: { description: 'OK', content: { 'application/json': { schema: schemaOf(op.response, 'output') } } },
        ...errors,
      },
    };
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'PrivateLink Portal API',
      version: '1',
      description: `Request and track private connectivity from code. Authenticate with an API token made on your account page: \`Authorization: Bearer <token>\`. Errors have one shape; their codes are ${ERROR_CODES.join(', ')}.`,
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token (plp_…).' } },
      schemas: components,
    },
  };
}
