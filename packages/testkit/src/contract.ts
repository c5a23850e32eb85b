import { internalOpenApiDocument, openApiDocument, type OpenApiDocument } from '@cruddur/api-contract/openapi';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** One operation of a document, with what it takes to match a request to it. */
interface Operation {
  documentId: string;
  method: string;
  template: string;
  pattern: RegExp;
  /** Characters of the template outside its parameters: the more, the more specific. */
  literal: number;
  statuses: string[];
}

/** The served document and the internal one, each registered under an id so that its `#/components` refs resolve. */
const DOCUMENTS: Record<string, OpenApiDocument> = { public: openApiDocument(), internal: internalOpenApiDocument() };

const ajv = new Ajv2020({ allErrors: true, strict: false, validateSchema: false });
addFormats(ajv);
for (const [id, document] of Object.entries(DOCUMENTS)) ajv.addSchema(document as object, id);

const OPERATIONS: Operation[] = Object.entries(DOCUMENTS).flatMap(([documentId, document]) =>
  Object.entries(document.paths ?? {}).flatMap(([template, item]) =>
    Object.entries(item as Record<string, { responses?: Record<string, unknown> }>).map(([method, operation]) => {
      const parts = template.split(/\{\w+\}/);
      return {
        documentId,
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${parts.map((p) => p.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('[^/]+')}$`),
        literal: parts.join('').length,
        statuses: Object.keys(operation.responses ?? {}),
      };
    }),
  ),
);

/** JSON Pointer escaping of one reference token. */
const token = (part: string) => part.replace(/~/g, '~0').replace(/\//g, '~1');

/** The operation a request reaches: of those whose template matches, the most specific (as the gateway orders its routes). */
function operationOf(method: string, path: string): Operation | undefined {
  const matching = OPERATIONS.filter((op) => op.method === method && op.pattern.test(path));
  return matching.sort((a, b) => b.literal - a.literal)[0];
}

/**
 * Checks one answer against the API contract: the operation the request reached must list
 * the status, and the JSON body must match the schema the document gives that status.
 * Throws an error saying what drifted; an answer to no documented operation is drift too.
 */
export function checkAnswer(method: string, url: string, status: number, contentType: string | null, body: unknown): void {
  const path = new URL(url, 'http://contract').pathname;
  const operation = operationOf(method.toUpperCase(), path);
  const what = `${method.toUpperCase()} ${path} → ${status}`;
  if (!operation) throw new Error(`${what}: no operation of the contract takes this request`);
  if (!operation.statuses.includes(String(status))) {
    throw new Error(`${what}: ${operation.template} does not list ${status} (it lists ${operation.statuses.join(', ')})`);
  }
  if (!contentType?.startsWith('application/json')) throw new Error(`${what}: the contract answers application/json, this was ${contentType ?? 'no content type'}`);
  const pointer = ['paths', operation.template, operation.method.toLowerCase(), 'responses', String(status), 'content', 'application/json', 'schema'].map(token).join('/');
  const validate = ajv.getSchema(`${operation.documentId}#/${pointer}`);
  if (!validate) throw new Error(`${what}: the contract has no schema at ${pointer}`);
  if (!validate(body)) throw new Error(`${what}: the body does not match the contract: ${ajv.errorsText(validate.errors, { dataVar: 'body' })}`);
}

export interface CheckedAnswer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read any field of the answer
  body: any;
}

/** fetch() for a Cruddur API call whose answer is held to the contract (checkAnswer) before the test sees it. */
export async function callApi(url: string, init: RequestInit = {}): Promise<CheckedAnswer> {
  const method = init.method ?? 'GET';
  const response = await fetch(url, init);
  const body: unknown = await response.json();
  checkAnswer(method, url, response.status, response.headers.get('content-type'), body);
  return { status: response.status, headers: response.headers, body };
}
