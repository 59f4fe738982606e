import { Duration, JsonPatch } from 'cdk8s';
import { WebApp } from '../web-app';
import { ClientIpAffinity } from '../routing/affinity-model';
import { ServiceInfo } from './backend';

/**
 * Puts client-IP affinity onto the backend's Service, the one object kube-proxy reads it from. A WebApp
 * is asked through its public API (`setSessionAffinity`, which also sets `externalTrafficPolicy: Local`
 * on NodePort and LoadBalancer Services). Any other construct's Service is patched: the JSON patches
 * apply at synth, after every Lazy. That patch is the one place StickyIngress writes to an object it
 * did not create; it stays until such backends offer an API of their own.
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
