/** Istio's port protocol selection; moved to lib/routing/istio/port-protocol.ts (this path keeps imports working). */
export * from './routing/istio/port-protocol';
