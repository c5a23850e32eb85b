import { ParentBasedSampler, TraceIdRatioBasedSampler, type Sampler } from '@opentelemetry/sdk-trace';

/**
 * The browser samples as the backend does (parent-based: OTEL_TRACES_SAMPLER's default,
 * parentbased_always_on): a root span is kept at `ratio`, and every span under it follows
 * that decision, as does every service the trace reaches, since the fetch spans carry it in
 * traceparent's sampled flag. A kept browser span therefore keeps its whole backend trace,
 * and a dropped one drops it.
 */
export function browserSampler(ratio: number): Sampler {
  return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
}
