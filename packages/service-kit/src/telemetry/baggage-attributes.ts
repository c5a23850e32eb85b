import { propagation, type Context } from '@opentelemetry/api';
import type { Span, SpanProcessor } from '@opentelemetry/sdk-trace';

/**
 * Baggage keys copied onto every span of the request, so traffic a client marks (k6 sends
 * `baggage: app.traffic=loadtest`) can be filtered on any span in any service. Only these
 * keys, with bounded values: baggage comes from clients and must not grow spans at will.
 */
export const BAGGAGE_ATTRIBUTE_KEYS: readonly string[] = ['app.traffic'];

/** The longest baggage value copied onto a span. */
const MAX_VALUE_LENGTH = 64;

/**
 * The span processor that copies BAGGAGE_ATTRIBUTE_KEYS from the parent context's baggage
 * onto each span as it starts, one of the processors the preload hands NodeSDK. (The contrib
 * baggage span processor targets the 2.x SDK, hence these few lines.)
 */
export class BaggageAttributesProcessor implements SpanProcessor {
  onStart(span: Span, parentContext: Context): void {
    const baggage = propagation.getBaggage(parentContext);
    if (!baggage) return;
    for (const key of BAGGAGE_ATTRIBUTE_KEYS) {
      const entry = baggage.getEntry(key);
      if (entry) span.setAttribute(key, entry.value.slice(0, MAX_VALUE_LENGTH));
    }
  }
  onEnd(): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
