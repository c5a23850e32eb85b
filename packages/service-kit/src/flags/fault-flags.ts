import type { Attributes, Span } from '@opentelemetry/api';
import { z } from 'zod';

/**
 * The fault flags: each breaks Cruddur in one known way, and each is off unless the flag
 * file turns it on. The keys are the flag file's (charts/cruddur/files/flags.json, which a
 * test holds to this list); docs/faults.md says how to turn each on and find it in a trace.
 * A value outside its schema is refused, and the flag keeps its last good value.
 */
export const FAULT_FLAGS = {
  /** Every users-service lookup waits this long (ms) first. */
  usersLatencyMs: { off: 0, schema: z.number().int().min(0).max(60_000) },
  /** This fraction of activities-service requests fail with a 500 (the gateway answers 502). */
  activitiesErrorRate: { off: 0, schema: z.number().min(0).max(1) },
  /** The messages service answers 503 to everything but its probes. */
  messagesUnavailable: { off: false, schema: z.boolean() },
  /** Searches whose term is longer than 10 characters wait this long (ms). */
  searchSlowTermMs: { off: 0, schema: z.number().int().min(0).max(60_000) },
  /** Every users-service lookup keeps this many KB for good: under a memory limit, the pod is killed. */
  usersLeakKb: { off: 0, schema: z.number().int().min(0).max(10_240) },
} as const;

export type FaultFlag = keyof typeof FAULT_FLAGS;
export type FlagValue<K extends FaultFlag> = (typeof FAULT_FLAGS)[K]['off'] extends boolean ? boolean : number;

/** The error an injected failure throws: its message, on the failed span, says so. */
export class InjectedFault extends Error {
  constructor(readonly flag: FaultFlag) {
    super(`fault injected by the ${flag} feature flag`);
    this.name = 'InjectedFault';
  }
}

/** Names the fault flag on the span where its fault struck (`app.fault`); `details` says what it did. */
export function markFault(span: Span | undefined, flag: FaultFlag, details: Attributes = {}): void {
  span?.setAttributes({ 'app.fault': flag, ...details });
}
