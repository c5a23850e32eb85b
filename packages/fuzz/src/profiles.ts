/**
 * How hard a run fuzzes. Every profile runs every check and every phase (examples,
 * coverage, fuzzing, stateful); they differ in how many cases each operation gets and in
 * whether the seed is fixed. Bounded by the case count, not by Schemathesis's --max-time,
 * which is a budget it spends (it starves the coverage phase when short); the runner's own
 * deadline stops a run that overruns.
 */
export interface Profile {
  /** Fuzzing cases per operation (Schemathesis --max-examples). */
  maxExamples: number;
  /** A fixed seed makes the run repeat request for request; undefined draws one (printed). */
  seed?: number;
  /** The whole run's deadline. */
  deadlineMs: number;
  /**
   * Whether a documented link that no stateful scenario followed fails the run. Which links
   * a few dozen scenarios follow is the seed's luck; a full run's hundreds follow them all.
   */
  requireEveryLink: boolean;
}

export const PROFILES = {
  /** make test: short and the same every run. */
  short: { maxExamples: 25, seed: 20261201, deadlineMs: 5 * 60_000, requireEveryLink: false },
  /** make fuzz: many more cases, a new seed each run (FUZZ_SEED repeats one). */
  full: { maxExamples: 150, deadlineMs: 20 * 60_000, requireEveryLink: true },
} as const satisfies Record<string, Profile>;

export type ProfileName = keyof typeof PROFILES;

export const isProfileName = (name: string): name is ProfileName => Object.hasOwn(PROFILES, name);
