import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { show } from '../core';
import { AppRegistry, Derivation, FactKind, Rule, errorsFor } from '../registry';
import { TRAFFIC_OBJECTS } from '../routing/traffic-objects';

/**
 * The app-wide rule that no two VirtualServices serve one gateway host. Istio merges or drops
 * VirtualServices for the same gateway host (istioctl IST0109), so one of the two default routes is never
 * reached. It compares each release's gateway hosts with every VirtualService of the app bound to a
 * gateway (not only `mesh`): CanaryReleases' (registered from their routing models) and hand-written ones.
 */

/** A release served through a gateway: its gateway hosts and its own VirtualServices. */
export interface GatewayReleaseFact {
  /** `CanaryRelease '<name>'`, for errors. */
  readonly owner: string;
  /** The hosts served through the gateway. */
  readonly gatewayHosts: readonly string[];
  /** Its own VirtualServices (never reported against it). */
  readonly virtualServices: ReadonlyArray<ApiObject | undefined>;
}
/** See {@link GatewayReleaseFact}: registered by each CanaryRelease with gateway hosts. */
export const GATEWAY_RELEASES = new FactKind<GatewayReleaseFact>('release served through a gateway');

/**
 * Every VirtualService of the app that serves a gateway host through a gateway, by host, in tree order;
 * each release then reports the others that serve one of its gateway hosts. Reported, for every release,
 * on the first release registered (as the check always was).
 */
export const SHARED_GATEWAY_HOSTS: Rule = new Derivation('gateway host served by two VirtualServices', (registry) => {
  const releases = registry.facts(GATEWAY_RELEASES);
  if (releases.length === 0) return new Map();
  const byHost = new Map<string, ApiObject[]>();
  for (const vs of registry.get(TRAFFIC_OBJECTS).virtualServices) {
    if (!vs.gateways.some((g) => g !== 'mesh')) continue;
    for (const h of vs.hosts) if (typeof h === 'string') byHost.set(h, [...(byHost.get(h) ?? []), vs.object]);
  }
  const errors = releases.flatMap(({ fact }) => sharedGatewayHostErrors(fact, byHost));
  return errors.length ? new Map([[releases[0].owner, errors]]) : new Map();
}, { readsObjects: true });

/** Errors for another VirtualService of the app (not one of the release's own) that serves one of its gateway hosts through a gateway. */
function sharedGatewayHostErrors(release: GatewayReleaseFact, byHost: ReadonlyMap<string, readonly ApiObject[]>): string[] {
  const mine = new Set(release.virtualServices);
  const others = new Map<ApiObject, string[]>();
  for (const h of release.gatewayHosts) {
    for (const o of byHost.get(h) ?? []) if (!mine.has(o)) others.set(o, [...(others.get(o) ?? []), h]);
  }
  return [...others].map(([o, shared]) => `${release.owner}: VirtualService '${o.metadata.name}' also serves gateway host ${shared.map((h) => show(h)).join(', ')}: Istio merges or drops VirtualServices for the same gateway host, so one of the two default routes is never reached; serve each host from one release (give the other release its own host)`);
}

/** Registers `release` for {@link SHARED_GATEWAY_HOSTS}; the first one registered reports the rule's errors. */
export function checkSharedGatewayHosts(release: IConstruct, fact: GatewayReleaseFact): void {
  const registry = AppRegistry.of(release);
  if (registry.facts(GATEWAY_RELEASES).length === 0) release.node.addValidation({ validate: () => [...errorsFor(release, SHARED_GATEWAY_HOSTS)] });
  registry.register(GATEWAY_RELEASES, release, fact);
}

