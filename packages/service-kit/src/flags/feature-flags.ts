import type { Client, EvaluationDetails, FlagValue as OpenFeatureValue, Logger as OpenFeatureLogger } from '@openfeature/server-sdk';
import { unwatchFile, watchFile, type Stats } from 'node:fs';
import { resolve } from 'node:path';
import { FAULT_FLAGS, type FaultFlag, type FlagValue } from './fault-flags';
import type { Logger } from '../logger';

// The fault flags, through OpenFeature and flagd's provider in its in-process mode, reading a
// flag-definition file: no flagd server runs. The provider's own variables choose the file
// (FLAGD_RESOLVER=in-process, FLAGD_OFFLINE_FLAG_SOURCE_PATH=<file>); without them every flag
// is off and nothing is loaded or evaluated.
//
// Cost: OpenFeature spends some 20 µs on an evaluation, so a flag is only evaluated per call
// while the file turns it on (or gives it targeting); the file's values are read again at
// every change of the file. An evaluation adds the `feature_flag.evaluation` event to the
// active span (OpenFeature's SpanEventHook). The SDK and the provider (which loads gRPC,
// about 150 ms) are loaded after the service is listening, so start-up does not wait on them;
// until they are ready, every flag is off.

/**
 * How often the file is looked at. The provider watches it with fs.watchFile at Node's
 * default interval (5 s) and offers no setting; Node keeps one watcher per path, started by
 * the first fs.watchFile call and shared by later ones, so the watcher started here, before
 * the provider's, sets the interval for both (and, not persistent, never holds the process
 * up at exit).
 */
export const FLAG_FILE_POLL_MS = 1_000;

interface FlagState {
  value: boolean | number;
  /** Whether calls evaluate the flag; false means it is off, and costs nothing. */
  active: boolean;
}

const offStates = (): Map<FaultFlag, FlagState> => new Map((Object.keys(FAULT_FLAGS) as FaultFlag[]).map((key) => [key, { value: FAULT_FLAGS[key].off, active: false }]));

/** The flag file the environment names, or why it names none that can be used. */
export function flagFileFromEnv(env: NodeJS.ProcessEnv = process.env): { file?: string; problem?: string } {
  const file = env.FLAGD_OFFLINE_FLAG_SOURCE_PATH;
  if (!file) return {};
  if (env.FLAGD_RESOLVER?.toLowerCase() !== 'in-process') {
    return { problem: `FLAGD_OFFLINE_FLAG_SOURCE_PATH is set but FLAGD_RESOLVER is "${env.FLAGD_RESOLVER ?? ''}", not in-process: every flag stays off` };
  }
  return { file: resolve(file) };
}

class FeatureFlags {
  private states = offStates();
  private client: Client | undefined;
  /** Problems already logged, per flag, so that each is logged once until it goes away. */
  private readonly reported = new Map<FaultFlag, string>();
  private connecting: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly file: string,
    private readonly logger: Logger,
  ) {}

  private readonly onFileChange = (current: Stats, previous: Stats) => {
    // Before the provider is ready (the file was missing or broken at start), a change is a
    // new chance; once it is, the provider itself reloads the file on the same watcher.
    if (!this.client && !this.stopped && current.mtimeMs !== previous.mtimeMs) void this.connect();
  };

  start(): void {
    watchFile(this.file, { persistent: false, interval: FLAG_FILE_POLL_MS }, this.onFileChange);
    void this.connect();
  }

  /** One attempt at a time; whatever goes wrong leaves the flags off and is logged, never thrown. */
  private connect(): Promise<void> {
    return (this.connecting ??= this.tryConnect()
      .catch((error: unknown) => this.logger.error({ flagFile: this.file, err: error }, 'feature flags: cannot start OpenFeature; every flag is off'))
      .finally(() => (this.connecting = undefined)));
  }

  private async tryConnect(): Promise<void> {
    const OpenFeature = wireOpenFeature();
    const { FlagdProvider } = require('@openfeature/flagd-provider') as typeof import('@openfeature/flagd-provider');
    // What flagFileFromEnv read from the provider's own variables, given to it outright; its
    // other variables (FLAGD_SOURCE_SELECTOR, …) it reads itself.
    const provider = new FlagdProvider({ resolverType: 'in-process', offlineFlagSourcePath: this.file }, this.providerLogger());
    try {
      await OpenFeature.setProviderAndWait(provider);
    } catch (error) {
      if (!this.stopped) this.logger.error({ flagFile: this.file }, `feature flags: cannot read the flag file (${reasonOf(error)}); every flag is off until it is fixed`);
      return;
    }
    if (this.stopped) return;
    this.client = OpenFeature.getClient('cruddur');
    this.logger.info({ flagFile: this.file }, 'feature flags: reading the flag file');
    await this.refresh();
  }

  /**
   * The provider's own log lines. Its one error here is a file it could not read again, when
   * it keeps the flags it has; one it could not read at start is reported by tryConnect.
   */
  private providerLogger(): OpenFeatureLogger {
    const log = this.logger.child({ flagFile: this.file });
    return {
      error: (...args: unknown[]) => {
        if (this.client) log.error(`feature flags: ${args.map(String).join(' ')}; keeping the last good flags`);
      },
      warn: (...args: unknown[]) => log.warn(`feature flags: ${args.map(String).join(' ')}`),
      info: (...args: unknown[]) => log.info(`feature flags: ${args.map(String).join(' ')}`),
      debug: (...args: unknown[]) => log.debug(`feature flags: ${args.map(String).join(' ')}`),
    };
  }

  /** Reads every flag again (after a change of the file), outside any span. */
  async refresh(): Promise<void> {
    const before = new Map(this.states);
    await Promise.all((Object.keys(FAULT_FLAGS) as FaultFlag[]).map((key) => this.evaluate(key)));
    for (const [key, { value }] of this.states) {
      if (value !== before.get(key)!.value) this.logger.info({ flag: key, value }, `feature flags: ${key} is now ${String(value)}`);
    }
  }

  private async evaluate(key: FaultFlag): Promise<void> {
    const client = this.client;
    if (!client) return;
    const off = FAULT_FLAGS[key].off;
    const details = typeof off === 'boolean' ? await client.getBooleanDetails(key, off) : await client.getNumberDetails(key, off);
    this.apply(key, details);
  }

  /** Takes a flag's new value, or keeps its last good one and says why, once. */
  private apply(key: FaultFlag, details: EvaluationDetails<OpenFeatureValue>): void {
    const previous = this.states.get(key)!;
    const { off, schema } = FAULT_FLAGS[key];
    // A file that does not name a flag leaves it off: a flag file may hold only the flags it turns on.
    const problem =
      details.errorCode === 'FLAG_NOT_FOUND'
        ? undefined
        : details.errorCode
          ? `${details.errorCode}: ${details.errorMessage ?? 'no message'}`
          : schema.safeParse(details.value).error?.issues[0]?.message;
    if (problem) {
      if (this.reported.get(key) !== problem) {
        this.reported.set(key, problem);
        this.logger.error({ flag: key, flagFile: this.file, problem }, `feature flags: ${key} is not a valid value (${problem}); keeping its last good value, ${String(previous.value)}`);
      }
      return;
    }
    this.reported.delete(key);
    const value = details.errorCode ? off : (details.value as boolean | number);
    const active = value !== off || (!details.errorCode && details.reason !== 'STATIC');
    this.states.set(key, { value, active });
  }

  /** The flag's value for this call: evaluated (visible on the active span) while the file turns it on. */
  async value<K extends FaultFlag>(key: K): Promise<FlagValue<K>> {
    if (this.states.get(key)!.active) await this.evaluate(key);
    return this.states.get(key)!.value as FlagValue<K>;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    unwatchFile(this.file, this.onFileChange);
    this.states = offStates();
    this.client = undefined;
    const { OpenFeature } = require('@openfeature/server-sdk') as typeof import('@openfeature/server-sdk');
    await OpenFeature.close();
  }
}

/** An error's message, with its cause's (a parse error says what is wrong only there). */
const reasonOf = (error: unknown): string => {
  const { message, cause } = error instanceof Error ? error : { message: String(error), cause: undefined };
  return cause instanceof Error ? `${message}: ${cause.message}` : message;
};

let flags: FeatureFlags | undefined;
let wired = false;

/** OpenFeature, loaded on first use, with the span-event hook and the reload handler, once per process. */
function wireOpenFeature() {
  const { OpenFeature, ProviderEvents } = require('@openfeature/server-sdk') as typeof import('@openfeature/server-sdk');
  if (!wired) {
    wired = true;
    const { SpanEventHook } = require('@openfeature/open-telemetry-hooks') as typeof import('@openfeature/open-telemetry-hooks');
    OpenFeature.addHooks(new SpanEventHook({ excludeExceptions: true }));
    OpenFeature.addHandler(ProviderEvents.ConfigurationChanged, () => void flags?.refresh());
  }
  return OpenFeature;
}

/**
 * Starts reading the flag file the environment names, in the background; logs why not when
 * the environment is half set. Called once the service listens.
 */
export function startFeatureFlags(logger: Logger, env: NodeJS.ProcessEnv = process.env): void {
  if (flags) return;
  const { file, problem } = flagFileFromEnv(env);
  if (problem) logger.warn(`feature flags: ${problem}`);
  if (!file) return;
  flags = new FeatureFlags(file, logger);
  flags.start();
}

/** A fault flag's value for this call: off unless the flag file turns it on. */
export async function faultFlag<K extends FaultFlag>(key: K): Promise<FlagValue<K>> {
  return flags ? flags.value(key) : (FAULT_FLAGS[key].off as FlagValue<K>);
}

/** Stops reading the flag file (every flag is off again); part of a service's stop. */
export async function stopFeatureFlags(): Promise<void> {
  const stopping = flags;
  flags = undefined;
  await stopping?.stop();
}
