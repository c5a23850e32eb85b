import { NODE_IPS_SET, parseIpsetSave, parseRoutes, POD_SUBNETS_SET, routerGaps, type RouterState } from '../src/kube-router';
import type { NodeFacts } from '../src/nodes';

const node = (name: string, ip: string, cidr: string): NodeFacts => ({ name, internalIP: ip, podCIDRs: [cidr], ready: true, deleting: false });
const NODES = [node('cp', '10.89.0.2', '10.244.0.0/24'), node('w1', '10.89.0.3', '10.244.1.0/24'), node('w2', '10.89.0.4', '10.244.2.0/24')];

const SETS = `create ${POD_SUBNETS_SET} hash:net family inet hashsize 1024 maxelem 65536 timeout 0
add ${POD_SUBNETS_SET} 10.244.0.0/24 timeout 0
add ${POD_SUBNETS_SET} 10.244.1.0/24 timeout 0
add ${POD_SUBNETS_SET} 10.244.2.0/24 timeout 0
create ${NODE_IPS_SET} hash:ip family inet hashsize 1024 maxelem 65536 timeout 0
add ${NODE_IPS_SET} 10.89.0.2 timeout 0
add ${NODE_IPS_SET} 10.89.0.3 timeout 0
add ${NODE_IPS_SET} 10.89.0.4 timeout 0`;
const ROUTES = `default via 10.89.0.1 dev eth0
10.89.0.0/24 dev eth0 proto kernel scope link src 10.89.0.3
10.244.0.0/24 via 10.89.0.2 dev eth0 proto 17
10.244.1.0/24 dev kube-bridge proto kernel scope link src 10.244.1.1
10.244.2.0/24 via 10.89.0.4 dev eth0 proto 17`;

const state = (sets: string, routes: string): RouterState => ({
  node: 'w1',
  pod: 'kube-router-abc',
  podSubnets: parseIpsetSave(sets, POD_SUBNETS_SET),
  nodeIPs: parseIpsetSave(sets, NODE_IPS_SET),
  routes: parseRoutes(routes),
});

test('ipset save output gives each set its own members', () => {
  expect(parseIpsetSave(SETS, POD_SUBNETS_SET)).toEqual(['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24']);
  expect(parseIpsetSave(SETS, NODE_IPS_SET)).toEqual(['10.89.0.2', '10.89.0.3', '10.89.0.4']);
});

test('routes are read with their gateway, the default route left out', () => {
  expect(parseRoutes(ROUTES)).toEqual([
    { dst: '10.89.0.0/24', via: undefined },
    { dst: '10.244.0.0/24', via: '10.89.0.2' },
    { dst: '10.244.1.0/24', via: undefined },
    { dst: '10.244.2.0/24', via: '10.89.0.4' },
  ]);
});

test('a node whose sets and routes cover every node has no gap', () => {
  expect(routerGaps(state(SETS, ROUTES), NODES)).toEqual([]);
});

test("a node registered after kube-router started is missing from its sets: named, with what it breaks", () => {
  const partial = SETS.split('\n').filter((l) => !l.includes('10.244.2.0/24') && !l.includes('10.89.0.4')).join('\n');
  const gaps = routerGaps(state(partial, ROUTES), NODES);
  expect(gaps).toHaveLength(2);
  expect(gaps[0]).toMatch(/kube-router-pod-subnets lacks 10\.244\.2\.0\/24 \(w2's pods\).*masqueraded.*NetworkPolicies refuse/);
  expect(gaps[1]).toMatch(/kube-router-node-ips lacks 10\.89\.0\.4 \(w2\)/);
});

test('a missing route, and a route through a node\'s old address, are gaps', () => {
  const noRoute = ROUTES.split('\n').filter((l) => !l.startsWith('10.244.0.0/24')).join('\n');
  expect(routerGaps(state(SETS, noRoute), NODES)).toEqual(["no route to 10.244.0.0/24 (cp's pods)"]);
  const oldAddress = ROUTES.replace('10.244.2.0/24 via 10.89.0.4', '10.244.2.0/24 via 10.89.0.9');
  expect(routerGaps(state(SETS, oldAddress), NODES)).toEqual(["the route to 10.244.2.0/24 (w2's pods) goes via 10.89.0.9, not w2's address 10.89.0.4"]);
});
