import { ApiObject } from 'cdk8s';
import { jsonOf } from '../k8s-object';
import { show } from '../validation';

/**
 * The app-wide check that no two VirtualServices serve one gateway host. It reads every VirtualService
 * in the tree as rendered JSON (jsonOf), so it sees those of any construct, not only CanaryReleases'.
 */

/**
 * Every VirtualService in the tree bound to a gateway (not only `mesh`), by host, built once per synth;
 * each release then reports the others that serve one of its gateway hosts. Istio merges or drops
 * VirtualServices for the same gateway host (istioctl IST0109).
 */
export function gatewayVirtualServicesByHost(objects: readonly ApiObject[]): Map<string, ApiObject[]> {
  const byHost = new Map<string, ApiObject[]>();
  for (const o of objects) {
    if (o.kind !== 'VirtualService' || !o.apiVersion.startsWith('networking.istio.io/')) continue;
    const spec = jsonOf(o)?.spec ?? {};
    if (!(spec.gateways ?? []).some((g: unknown) => g !== 'mesh')) continue;
    for (const h of spec.hosts ?? []) if (typeof h === 'string') byHost.set(h, [...(byHost.get(h) ?? []), o]);
  }
  return byHost;
}

/**
 * Errors for another VirtualService in the app (not one of `own`) that serves one of `gatewayHosts`
 * through a gateway, given every VirtualService by gateway host ({@link gatewayVirtualServicesByHost}).
 */
export function sharedGatewayHostErrors(owner: string, own: ReadonlyArray<ApiObject | undefined>, gatewayHosts: readonly string[], byHost: ReadonlyMap<string, readonly ApiObject[]>): string[] {
  const mine = new Set(own);
  const errors: string[] = [];
  const others = new Map<ApiObject, string[]>();
  for (const h of gatewayHosts) {
    for (const o of byHost.get(h) ?? []) if (!mine.has(o)) others.set(o, [...(others.get(o) ?? []), h]);
  }
  for (const [o, shared] of others) {
    errors.push(`${owner}: VirtualService '${o.metadata.name}' also serves gateway host ${shared.map((h) => show(h)).join(', ')}: Istio merges or drops VirtualServices for the same gateway host, so one of the two default routes is never reached; serve each host from one release (give the other release its own host)`);
  }
  return errors;
}
