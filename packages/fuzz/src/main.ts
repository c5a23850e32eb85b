// make fuzz / make test: Schemathesis against the OpenAPI document the gateway serves, with
// every check, on the six services started as real processes with their telemetry preload
// (on loopback, spans to a receiver in this process). Fails when Schemathesis finds
// anything, when a documented link was never followed, or when a service did not survive.
import { openApiDocument } from '@cruddur/api-contract/openapi';
import { ensureLocalPostgres, REPO_ROOT, startTracedStack, StatusCode, SpanKind } from '@cruddur/testkit';
import { randomInt } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isProfileName, PROFILES } from './profiles';
import { formatCases, readReport, unfollowedLinks } from './report';
import { runSchemathesis } from './schemathesis';

const log = (line: string) => console.error(line);

type PathItem = Record<string, { responses: Record<string, { links?: Record<string, unknown> }> }>;
const documentedOperations = () =>
  Object.entries(openApiDocument().paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item as PathItem).map(([method, operation]) => ({ label: `${method.toUpperCase()} ${path}`, operation })),
  );

/** Every link of the document, as `METHOD path -> [status] Name`, the way Schemathesis names its transitions. */
const documentedLinks = () =>
  documentedOperations().flatMap(({ label, operation }) =>
    Object.entries(operation.responses).flatMap(([status, response]) => Object.keys(response.links ?? {}).map((name) => `${label} -> [${status}] ${name}`)),
  );

async function main(): Promise<number> {
  const name = process.argv[2] ?? 'full';
  if (!isProfileName(name)) throw new Error(`unknown profile "${name}": one of ${Object.keys(PROFILES).join(', ')}`);
  const profile = PROFILES[name];
  const fixed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 'seed' in profile ? profile.seed : undefined;
  if (fixed !== undefined && !Number.isSafeInteger(fixed)) throw new Error(`FUZZ_SEED must be a whole number, got "${process.env.FUZZ_SEED}"`);
  const seed = fixed ?? randomInt(2 ** 31);
  const workDir = join(REPO_ROOT, '.run', 'fuzz');
  rmSync(workDir, { recursive: true, force: true });

  log(`fuzz (${name}): starting the six services, traced, on loopback, with a database of their own on the local PostgreSQL server…`);
  const stopPostgres = await ensureLocalPostgres();
  const { stack, receiver, stop } = await startTracedStack({ env: { LOG_LEVEL: 'error' } }).catch((error: unknown) => {
    stopPostgres();
    throw error;
  });
  try {
    log(`fuzz: Schemathesis, every check, ${profile.maxExamples} fuzzing cases per operation, seed ${seed}`);
    const run = await runSchemathesis({
      bin: process.env.SCHEMATHESIS_BIN || join(REPO_ROOT, '.tools', 'schemathesis', 'bin', 'st'),
      configFile: join(REPO_ROOT, 'fuzz', 'schemathesis.toml'),
      workDir,
      gatewayUrl: stack.gatewayUrl,
      profile,
      seed,
    });

    const problems: string[] = [];
    if (run.timedOut) problems.push(`Schemathesis overran the ${profile.deadlineMs / 60_000} min deadline and was stopped`);
    if (run.exitCode !== 0) problems.push(`Schemathesis exited ${run.exitCode} (its report is above)`);
    for (const service of Object.values(stack.services)) {
      const ready = service.child.exitCode === null && (await fetch(`${service.url}/readyz`).then((r) => r.ok, () => false));
      if (!ready) problems.push(`${service.name} did not survive the run:\n${service.output().slice(-2000)}`);
    }
    if (existsSync(run.ndjsonPath)) {
      const report = readReport(run.ndjsonPath);
      log(`\n${formatCases(report, new Set(documentedOperations().map((o) => o.label)))}`);
      const links = documentedLinks();
      const unfollowed = unfollowedLinks(report, links);
      log(`links followed: ${links.length - unfollowed.length} of ${links.length}`);
      if (unfollowed.length > 0) {
        const what = `documented links no stateful scenario followed: ${unfollowed.join('; ')}`;
        if (profile.requireEveryLink) problems.push(what);
        else log(`${what} (make fuzz follows them all)`);
      }
    } else problems.push(`Schemathesis wrote no report (${run.ndjsonPath})`);
    // Let the last batches land, then count what the services recorded of the run.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const servers = receiver.spans.filter((s) => s.kind === SpanKind.SERVER);
    const failedServers = servers.filter((s) => s.status.code === StatusCode.ERROR && Number(s.attributes['http.response.status_code']) >= 500);
    log(`spans received: ${receiver.spans.length} (${servers.length} server spans, ${failedServers.length} of them 5xx)`);
    if (problems.length > 0) {
      log(`\nfuzz failed (seed ${seed}; FUZZ_SEED=${seed} repeats the run):\n- ${problems.join('\n- ')}`);
      return 1;
    }
    log(`fuzz passed: no failure, seed ${seed}; reports in ${join(workDir, 'report')}`);
    return 0;
  } finally {
    await stop();
    stopPostgres();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`fuzz failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
