// `make openapi`: writes the API contract's OpenAPI document, as the gateway serves it at
// /api/openapi.json, to docs/openapi.json. A test fails while the committed copy is stale.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './lib/services.mjs';

const require = createRequire(import.meta.url);
const { openApiDocument } = require(join(ROOT, 'packages', 'api-contract', 'dist', 'openapi.js'));
const target = join(ROOT, 'docs', 'openapi.json');
writeFileSync(target, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
console.log(`wrote ${target}`);
