// Validates Kubernetes objects against the Kubernetes OpenAPI schemas with kubernetes-models
// (e.g. `new Deployment(obj).validate()`). kubernetes-models is ESM-only, which jest's
// CommonJS module system cannot load, so the chart tests run this as a plain Node process:
//   stdin:  JSON [{ "source": "<profile>", "object": { apiVersion, kind, ... } }, ...]
//   stdout: JSON [{ "source", "kind", "name", "error" }, ...]   (empty: every object is valid)
import { readFileSync } from 'node:fs';

const items = JSON.parse(readFileSync(0, 'utf8'));
const models = new Map();

async function modelFor(apiVersion, kind) {
  // apiVersion "v1" → kubernetes-models/v1/Service; "apps/v1" → kubernetes-models/apps/v1/Deployment.
  const path = `kubernetes-models/${apiVersion}/${kind}`;
  if (!models.has(path)) {
    models.set(
      path,
      import(path).then(
        (module) => module[kind],
        () => undefined,
      ),
    );
  }
  return models.get(path);
}

const problems = [];
for (const { source, object } of items) {
  const kind = object?.kind;
  const name = object?.metadata?.name;
  if (typeof object?.apiVersion !== 'string' || typeof kind !== 'string') {
    problems.push({ source, kind, name, error: 'no apiVersion/kind' });
    continue;
  }
  const Model = await modelFor(object.apiVersion, kind);
  if (!Model) {
    problems.push({ source, kind, name, error: `no Kubernetes schema for ${object.apiVersion} ${kind}` });
    continue;
  }
  try {
    new Model(object).validate();
  } catch (error) {
    const details = (error.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    problems.push({ source, kind, name, error: details || String(error.message) });
  }
}
process.stdout.write(JSON.stringify(problems));
