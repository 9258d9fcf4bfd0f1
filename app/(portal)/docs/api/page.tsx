import type { Metadata } from 'next';
import Link from 'next/link';
import { CodeBlock } from '@/app/_components/ui/code-block';
import { PageHeader } from '@/app/_components/ui/page-header';
import { automationExample } from '@/lib/api/example';
import { openApiDocument } from '@/lib/api/openapi';
import { requirePageUser } from '@/lib/auth/session';
import { publicOrigin } from '@/lib/public-url';

export const metadata: Metadata = { title: 'API reference' };
export const dynamic = 'force-dynamic';

type Param = { name: string; in: string; required: boolean; description?: string };
type Op = {
  operationId: string;
  summary: string;
  description: string;
  parameters: Param[];
  requestBody?: {
    content: { 'application/json': { schema: { properties?: Record<string, { description?: string }>; required?: string[] } } };
  };
  responses: Record<string, { description: string }>;
};

type BodySchema = { $ref?: string; properties?: Record<string, { description?: string }>; required?: string[] };

function resolveSchema(schema: BodySchema | undefined, components: Record<string, unknown>): BodySchema | undefined {
  const name = schema?.$ref?.replace('#/components/schemas/', '');
  return name ? (components[name] as BodySchema) : schema;
}

/** A description with `code` spans, as the OpenAPI document writes them (CommonMark). */
function Described({ text }: { text: string }) {
  return (
    <>
      {text.split('`').map((part, i) =>
        i % 2 ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed string, never reordered
          <code key={i} className="rounded bg-slate-100 px-1 font-mono text-xs">
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}

// /docs/api – the public API's reference, read from the same OpenAPI document /api/v1/openapi.json serves, and a full
// automation example (create, give details, watch) with the command line and with curl.
export default async function ApiReferencePage() {
  await requirePageUser();
  const doc = openApiDocument();
  const example = automationExample(publicOrigin());
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods as Record<string, Op>).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
  );
  return (
    <>
      <PageHeader
        title="API reference"
        description={
          <>
            Request and follow PrivateLink cases from code. Authenticate with a token from{' '}
            <Link href="/account/tokens" className="font-medium text-indigo-800 underline">
              your API tokens
            </Link>{' '}
            as <code>Authorization: Bearer &lt;token&gt;</code>; a token can do what your role can, and a read token only reads. The
            machine-readable document is{' '}
            <a href="/api/v1/openapi.json" className="font-medium text-indigo-800 underline">
              /api/v1/openapi.json
            </a>{' '}
            (OpenAPI 3.1).
          </>
        }
      />
      <section aria-labelledby="example-heading" className="mb-8 space-y-3">
        <h2 id="example-heading" className="text-lg font-semibold text-slate-900">
          Automate a connection
        </h2>
        <p className="max-w-3xl text-sm text-slate-700">
          The <code>plp</code> command line comes with the portal’s package (<code>npx plp --help</code>). This creates a Snowflake case,
          gives the details once your CSM accepted it, and waits until it is active.
        </p>
        <CodeBlock title="With the command line" code={example.cli} />
        <CodeBlock title="The same with curl" code={example.curl} />
      </section>
      <section aria-labelledby="conventions-heading" className="mb-8 max-w-3xl space-y-2 text-sm text-slate-800">
        <h2 id="conventions-heading" className="text-lg font-semibold text-slate-900">
          Conventions
        </h2>
        <ul className="list-disc space-y-1 pl-5">
          <li>
            Errors always look like <code>{'{"error": {"code", "message", "issues": [{"field", "rule", "message"}], "requestId"}}'}</code>:
            401 token, 403 scope or role, 404 not in your workspace, 409 the case changed or a limit, 422 a field (each issue names the
            field, the rule and the fix), 429 too many requests (wait as long as <code>Retry-After</code> says).
          </li>
          <li>
            Lists are paginated: pass the answer’s <code>nextCursor</code> as <code>?cursor=</code> until it is <code>null</code>.
          </li>
          <li>
            Changes carry the case <code>version</code> you read; a POST with an <code>Idempotency-Key</code> header can be repeated safely
            and answers its first answer.
          </li>
        </ul>
      </section>
      <section aria-labelledby="operations-heading">
        <h2 id="operations-heading" className="mb-3 text-lg font-semibold text-slate-900">
          Operations
        </h2>
        <div className="space-y-4">
          {ops.map(({ path, method, op }) => {
            const body = resolveSchema(op.requestBody?.content['application/json'].schema, doc.components.schemas);
            return (
              <article
                key={op.operationId}
                id={op.operationId}
                aria-labelledby={`${op.operationId}-h`}
                className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
              >
                <h3 id={`${op.operationId}-h`} className="flex flex-wrap items-baseline gap-2 text-base font-semibold text-slate-900">
                  <span className="rounded bg-slate-800 px-1.5 py-0.5 font-mono text-xs text-white">{method}</span>
                  <code className="font-mono text-sm">/api/v1{path}</code>
                  <span className="font-normal text-slate-700">{op.summary}</span>
                </h3>
                <p className="mt-2 whitespace-pre-line text-sm text-slate-800">
                  <Described text={op.description} />
                </p>
                {op.parameters.length > 0 || body?.properties ? (
                  <dl className="mt-2 grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
                    {op.parameters.map((p) => (
                      <div key={`${p.in}-${p.name}`} className="contents">
                        <dt className="font-mono text-xs text-slate-900">
                          {p.name}{' '}
                          <span className="text-slate-600">
                            ({p.in}
                            {p.required ? ', required' : ''})
                          </span>
                        </dt>
                        <dd className="text-slate-700">
                          <Described text={p.description ?? ''} />
                        </dd>
                      </div>
                    ))}
                    {Object.entries(body?.properties ?? {}).map(([name, prop]) => (
                      <div key={`body-${name}`} className="contents">
                        <dt className="font-mono text-xs text-slate-900">
                          {name} <span className="text-slate-600">(body{body?.required?.includes(name) ? ', required' : ''})</span>
                        </dt>
                        <dd className="text-slate-700">
                          <Described text={prop.description ?? ''} />
                        </dd>
                      </div>
                    ))}
                  </dl>
                ) : null}
                <p className="mt-2 text-xs text-slate-700">Answers: {Object.keys(op.responses).join(', ')}</p>
              </article>
            );
          })}
        </div>
      </section>
    </>
  );
}
