export { attributesOf, flattenOtlpJson, SpanKind, StatusCode, type FlatSpan, type OtlpTracesPayload } from '@cruddur/service-map';
export { startOtlpReceiver, startTracedStack, type OtlpReceiver } from './otlp-receiver';
export { CALLS, entryOf, freePort, lostPortRace, REPO_ROOT, SERVICE_NAMES, startEntry, startService, startStack, type RunningProcess, type RunningService, type ServiceName, type ServiceOptions, type Stack, type StackOptions } from './stack';
export { waitFor } from './wait';
export { callEdges, childrenOf, rootsOf, serverSpan, spansOfTrace } from './trace-shape';
export { startCollector, type CollectorOptions, type RunningCollector } from './collector';
export {
  CHART_ENV,
  COLLECTOR_CONFIG_DIR,
  COLLECTOR_PROFILES,
  collectorConfigArgs,
  featureGatesFor,
  LOCAL_ENV,
  LOCAL_SAMPLERS_ENV,
  otelcolBin,
  overlayFile,
  profileConfigArgs,
  type CollectorProfile,
  type Overlay,
} from './collector-profiles';
export { fakeUsersClient, MOCK_USERS } from './fake-users';
export { callAsGateway, invalidCodes, serveRoutes } from './serve-routes';
export { callApi, checkAnswer, type CheckedAnswer } from './contract';
export { drive, profileMix, type DriveOptions, type LoadResult } from './drive';
export { sequentialUuids } from './uuids';
export { holdsListeningPort, rssMb, socketsOf } from './proc';
export { HEAP_PROBE_ARGS, liveHeapMb } from './heap';
export { SHIPPED_FLAG_FILE, shippedFlagsWith } from './fault-flags';
export { createTestDatabase, dropLeftoverTestDatabases, TEST_DATABASE_PREFIX, type TestDatabase } from './database';
export { ensureLocalPostgres, startWithRoles } from './local-postgres';
