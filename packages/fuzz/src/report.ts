import { readFileSync } from 'node:fs';

/** Cases one operation got in one phase, by generation mode. */
export interface PhaseCount {
  positive: number;
  negative: number;
}

export interface FuzzReport {
  /** Operation label ("GET /api/activities/home") → phase → counts. */
  cases: Map<string, Map<string, PhaseCount>>;
  /** Check name → how many times it failed. */
  failedChecks: Map<string, number>;
  /** Link id ("POST /api/activities -> [200] ShowActivity -> GET …") → how often it was applied. */
  linksApplied: Map<string, number>;
}

// The few fields of Schemathesis 4's NDJSON events read here.
interface Case {
  value: { method: string; path: string; meta?: { generation?: { mode?: string } } };
  transition?: { id: string; is_inferred?: boolean } | null;
  is_transition_applied?: boolean;
}
interface ScenarioFinished {
  phase: string;
  recorder: { label: string; cases?: Record<string, Case>; checks?: Record<string, Array<{ name: string; status: string }>> };
}

/** Reads the NDJSON event stream of a run. */
export function readReport(ndjsonPath: string): FuzzReport {
  const report: FuzzReport = { cases: new Map(), failedChecks: new Map(), linksApplied: new Map() };
  for (const line of readFileSync(ndjsonPath, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const event = JSON.parse(line) as Record<string, unknown>;
    const scenario = event.ScenarioFinished as ScenarioFinished | undefined;
    if (!scenario) continue;
    for (const { value, transition, is_transition_applied } of Object.values(scenario.recorder.cases ?? {})) {
      const label = `${value.method} ${value.path}`;
      const phases = report.cases.get(label) ?? new Map<string, PhaseCount>();
      const count = phases.get(scenario.phase) ?? { positive: 0, negative: 0 };
      if (value.meta?.generation?.mode === 'negative') count.negative++;
      else count.positive++;
      phases.set(scenario.phase, count);
      report.cases.set(label, phases);
      if (transition && !transition.is_inferred && is_transition_applied) {
        report.linksApplied.set(transition.id, (report.linksApplied.get(transition.id) ?? 0) + 1);
      }
    }
    for (const results of Object.values(scenario.recorder.checks ?? {})) {
      for (const { name, status } of results) if (status === 'failure') report.failedChecks.set(name, (report.failedChecks.get(name) ?? 0) + 1);
    }
  }
  return report;
}

const PHASES = ['examples', 'coverage', 'fuzzing', 'stateful'] as const;

const casesIn = (phases: Map<string, PhaseCount>) => [...phases.values()].reduce((sum, c) => sum + c.positive + c.negative, 0);

/**
 * The cases per documented operation and phase, as valid+invalid, then one line for the
 * methods the document does not list on its paths (the unsupported_method probes), and the total.
 */
export function formatCases(report: FuzzReport, documented: Set<string>): string {
  const width = Math.max(...[...documented].map((l) => l.length), 9);
  const cell = (c: PhaseCount | undefined) => (c ? `${c.positive}+${c.negative}` : '-').padStart(10);
  const entries = [...report.cases.entries()].sort(([a], [b]) => a.localeCompare(b));
  const rows = entries.filter(([label]) => documented.has(label)).map(([label, phases]) => `${label.padEnd(width)} ${PHASES.map((p) => cell(phases.get(p))).join('')}`);
  const others = entries.filter(([label]) => !documented.has(label));
  const probes = others.reduce((sum, [, phases]) => sum + casesIn(phases), 0);
  const total = entries.reduce((sum, [, phases]) => sum + casesIn(phases), 0);
  return [
    `${'operation'.padEnd(width)} ${PHASES.map((p) => p.padStart(10)).join('')}   (cases: valid+invalid)`,
    ...rows,
    `methods no path takes: ${probes} cases on ${others.length} method-path pairs (unsupported_method: 405 with Allow expected)`,
    `${total} cases in all`,
  ].join('\n');
}

/** The documented links (`METHOD path -> [status] Name`) that no stateful case ever followed. */
export function unfollowedLinks(report: FuzzReport, documented: string[]): string[] {
  const applied = [...report.linksApplied.keys()];
  return documented.filter((link) => !applied.some((id) => id.startsWith(`${link} -> `)));
}
