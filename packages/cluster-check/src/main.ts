#!/usr/bin/env node
/**
 * cruddur-cluster-check: what `make cluster` and `make up` run before they call a cluster
 * ready.
 *
 *   network [--repair]   nodes against their containers, Ready, kube-router's state on each
 *   edges                every edge of the release's call graph, pod to pod
 *
 * Exits 0 when all is well, 1 with the reason (and the fix, where there is one) on the last
 * lines, 2 on a usage error.
 */
import { parseArgs } from 'node:util';
import { checkEdges } from './edge-check';
import { Kubectl } from './kubectl';
import { checkNetwork } from './network';
import { ClusterBroken } from './wait';

const USAGE = `usage: cruddur-cluster-check network|edges [options]
  --context <name>        kubectl context (default kind-cruddur)
  --kubectl <path>        kubectl to run (default kubectl)
  network: --engine <docker|podman> --kind-cluster <name>   compare nodes with their containers
           --repair         restart a node's kube-router whose state is partial
           --timeout <s>    how long nodes may take to settle (default 180)
  edges:   --namespace <ns> --release <name>   (default cruddur, cruddur)
           --request-timeout <ms>   per probe (default 3000)`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      context: { type: 'string', default: 'kind-cruddur' },
      kubectl: { type: 'string', default: 'kubectl' },
      engine: { type: 'string' },
      'kind-cluster': { type: 'string' },
      repair: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '180' },
      namespace: { type: 'string', default: 'cruddur' },
      release: { type: 'string', default: 'cruddur' },
      'request-timeout': { type: 'string', default: '3000' },
    },
  });
  const command = positionals[0];
  const kubectl = new Kubectl(values.kubectl, values.context);
  const log = (line: string) => console.log(`cluster-check: ${line}`);
  const started = Date.now();
  const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  switch (command) {
    case 'network': {
      const engine = values.engine;
      const cluster = values['kind-cluster'];
      await checkNetwork(kubectl, {
        ...(engine && cluster ? { kind: { engine, cluster } } : {}),
        repair: values.repair,
        timeoutMs: Number(values.timeout) * 1000,
        log,
      });
      log(`the network is sound (${seconds()})`);
      return 0;
    }
    case 'edges':
      await checkEdges(kubectl, { namespace: values.namespace, release: values.release, requestTimeoutMs: Number(values['request-timeout']), log });
      log(`every edge answers (${seconds()})`);
      return 0;
    default:
      console.error(USAGE);
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    const broken = error instanceof ClusterBroken;
    console.error(`cluster-check: ${broken ? '' : 'could not check: '}${error.message}`);
    process.exit(1);
  },
);
