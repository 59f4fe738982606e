import { Duration, JsonPatch } from 'cdk8s';
import { WebApp } from '../web-app';
import { ClientIpAffinity } from '../routing/affinity-model';
import { ServiceInfo } from './backend';

/**
 * Puts client-IP affinity onto the backend's Service, the one object kube-proxy reads it from. A WebApp
 * is asked through its public API (`setSessionAffinity`, which also sets `externalTrafficPolicy: Local`
 * on NodePort and LoadBalancer Services). Any other backend's Service is an `ApiObject` the user handed
 * over (`backend: { service }`), and editing it is the documented contract of that option (see
 * {@link IServiceBackend}): it is patched, and the JSON patches apply at synth, after every Lazy. This is
 * the one place in the library that calls `addJsonPatch` (test/json-patches.test.ts allows this file only).
 */
export function applyClientIpAffinity(svc: ServiceInfo, affinity: ClientIpAffinity): void {
  const seconds = affinity.timeoutSeconds;
  const backend = svc.backend;
  if (backend instanceof WebApp) {
    backend.setSessionAffinity(Duration.seconds(seconds));
    return;
  }
  svc.api.addJsonPatch(JsonPatch.add('/spec/sessionAffinity', 'ClientIP'));
  svc.api.addJsonPatch(JsonPatch.add('/spec/sessionAffinityConfig', { clientIP: { timeoutSeconds: seconds } }));
  if (svc.type === 'NodePort' || svc.type === 'LoadBalancer') svc.api.addJsonPatch(JsonPatch.add('/spec/externalTrafficPolicy', 'Local'));
}
