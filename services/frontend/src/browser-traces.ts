import { z } from '@cruddur/service-kit';
import { BROWSER_SERVICE_NAME } from './browser-config';

const attribute = z.object({ key: z.string(), value: z.record(z.string(), z.unknown()) });

/**
 * An OTLP/JSON traces request as the browser's exporter sends it, checked as far as the
 * relay needs: `resourceSpans` and nothing beside it (no metrics or logs ride along), each
 * with a resource whose attributes can be read. The spans themselves are the collector's
 * to validate.
 */
const TracesRequest = z.strictObject({
  resourceSpans: z
    .array(
      z.looseObject({
        resource: z.looseObject({ attributes: z.array(attribute) }),
        scopeSpans: z.array(z.looseObject({ spans: z.array(z.looseObject({})).optional() })),
      }),
    )
    .min(1),
});

/**
 * Why `body` is not a batch of the browser app's spans, or undefined when it is. The relay
 * is open to any browser, so it takes traces only, and only those that say they come from
 * frontend-web: nobody can pass spans off as the gateway's through it.
 */
export function browserTracesProblem(body: unknown): string | undefined {
  const parsed = TracesRequest.safeParse(body);
  if (!parsed.success) return `not an OTLP/JSON traces request: ${parsed.error.issues[0]?.message ?? 'malformed'} at ${parsed.error.issues[0]?.path.join('.') || 'the top'}`;
  for (const { resource } of parsed.data.resourceSpans) {
    const name = resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue;
    if (name !== BROWSER_SERVICE_NAME) return `only spans of service.name "${BROWSER_SERVICE_NAME}" are taken here (got ${JSON.stringify(name ?? null)})`;
  }
  return undefined;
}
