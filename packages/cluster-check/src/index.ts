export { callGraph, livePods, podFacts, portOf, type Edge, type PodFacts } from './call-graph';
export { describeFailure, judge, likelyCauses, planProbes, type Probe, type ProbeResult } from './edges';
export { checkEdges, probeEdges, type EdgeReport } from './edge-check';
export { findRouterGaps, parseIpsetSave, parseRoutes, routerGaps, type RouterState } from './kube-router';
export { Kubectl, type K8sObject } from './kubectl';
export { checkNetwork } from './network';
export { nodeFacts, readNodeContainers, readNodes, type NodeFacts } from './nodes';
export { ClusterBroken, waitUntil } from './wait';
