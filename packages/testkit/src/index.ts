export { attributesOf, flattenOtlpJson, SpanKind, StatusCode, type FlatSpan, type OtlpTracesPayload } from './otlp-json';
export { startOtlpReceiver, type OtlpReceiver } from './otlp-receiver';
export { CALLS, entryOf, freePort, REPO_ROOT, SERVICE_NAMES, startService, startStack, type RunningService, type ServiceName, type Stack, type StackOptions } from './stack';
export { waitFor } from './wait';
export { callEdges, childrenOf, rootsOf, serverSpan, spansOfTrace } from './trace-shape';
