import { IConstruct } from 'constructs';
import { show } from '../core';
import { AppRegistry, Derivation, ErrorCollector, FactKind, Rule, errorsFor, groupBy } from '../registry';
import { earlierInTree } from '../registry/tree-order';
import { hostnamesIntersect } from '../routing/gateway-api/listeners';

/**
 * The app-wide rule that no two CanaryReleases attach a weighted default rule to one Gateway for one
 * hostname. The Gateway API merges the HTTPRoutes of a hostname and breaks the tie between two
 * identical catch-all rules by the routes' age, so one release's default rule is never used (the
 * Gateway API counterpart of "a gateway host is served by one VirtualService").
 */

/** A release's north-south HTTPRoute: the Gateway it attaches to and its hostnames (none: every hostname of the listeners). */
export interface GatewayRouteFact {
  /** `CanaryRelease '<name>'`, for errors. */
  readonly owner: string;
  /** The Gateway, as `<namespace>/<name>`. */
  readonly gateway: string;
  /** The route's hostnames. */
  readonly hostnames: readonly string[];
}
/** See {@link GatewayRouteFact}: registered by each CanaryRelease with a Gateway API gateway route. */
export const GATEWAY_ROUTES = new FactKind<GatewayRouteFact>('HTTPRoute on a Gateway');

/** The hostnames both routes serve (a route without hostnames serves every hostname of the listeners). */
function sharedHostnames(a: readonly string[], b: readonly string[]): string[] {
  if (a.length === 0 && b.length === 0) return ['*'];
  if (a.length === 0) return [...b];
  if (b.length === 0) return [...a];
  return a.filter((h) => b.some((k) => hostnamesIntersect(h, k)));
}

/** Errors on the later of two releases whose gateway routes share a Gateway and a hostname. */
export const SHARED_ROUTE_HOSTNAMES: Rule = new Derivation('hostname served by two HTTPRoutes', (registry) => {
  const facts = registry.facts(GATEWAY_ROUTES);
  const byGateway = groupBy(facts, (f) => f.gateway);
  const errors = new ErrorCollector();
  for (const r of facts) {
    for (const other of earlierInTree(registry, byGateway.get(r.fact.gateway) ?? [], r.owner)) {
      const shared = sharedHostnames(r.fact.hostnames, other.fact.hostnames);
      if (shared.length === 0) continue;
      errors.add(r.owner, `${r.fact.owner}: its HTTPRoute on Gateway ${show(r.fact.gateway)} serves hostname ${shared.map((h) => show(h)).join(', ')} like ${other.fact.owner}'s, and the Gateway API gives two identical default rules of one hostname to the older route only, so one release's weights are never used; `
        + 'serve each hostname from one release (give each release its own hostnames)');
    }
  }
  return errors.result;
});

/** Registers `release`'s gateway route for {@link SHARED_ROUTE_HOSTNAMES} and reports the rule's errors on it. */
export function checkSharedRouteHostnames(release: IConstruct, fact: GatewayRouteFact): void {
  AppRegistry.of(release).register(GATEWAY_ROUTES, release, fact);
  release.node.addValidation({ validate: () => [...errorsFor(release, SHARED_ROUTE_HOSTNAMES)] });
}
