export { callGraph, OUTSIDE, percentile, resolveCalls, sampleRateOf, type Call, type CallEdge } from './call-graph';
export { attributesOf, flattenOtlpJson, SpanKind, StatusCode, type FlatSpan, type OtlpTracesPayload } from './otlp-json';
export { readTraceFiles, traceFiles } from './read-traces';
export { renderSvg, renderTable, toDot } from './render';
