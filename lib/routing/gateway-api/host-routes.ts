import { HttpMatch, MatchCondition, RoutingStage, StringMatchSpec } from '../model';

/**
 * Hosts that get an HTTPRoute of their own (the blue/green preview host). An HTTPRoute cannot match the
 * authority inside a rule, but it selects requests by `hostnames`: so a stage whose routes match the
 * authority is rendered per host. For a host route, a match block's authority condition that holds for
 * the host is dropped (the route's hostname already selects those requests), and a block whose
 * authority condition cannot hold is left out; every other route (the gateway hosts' and the mesh's)
 * leaves out the blocks with an authority condition, which hold only for the host routes' hosts.
 */

/** Whether `m` (an authority StringMatch, regexes in RE2 syntax JavaScript shares for host patterns) holds for `host`, or `host:port`. */
export function authorityHolds(m: StringMatchSpec, host: string): boolean {
  if (m.kind === 'exact') return m.value === host;
  if (m.kind === 'prefix') return host.startsWith(m.value);
  try {
    return new RegExp(`^(?:${m.value})$`, 'u').test(host);
  } catch {
    return false;
  }
}

/**
 * `stage` as the route for `host` sees it (`undefined`: a route for other hosts, or the mesh): match
 * blocks rewritten as described above; a match route left with no block is left out.
 */
export function stageForHost(stage: RoutingStage, host: string | undefined): RoutingStage {
  const block = (m: HttpMatch): HttpMatch | undefined => {
    const authority = m.conditions.find((c): c is Extract<MatchCondition, { type: 'authority' }> => c.type === 'authority');
    if (!authority) return m;
    if (host === undefined || !authorityHolds(authority.match, host)) return undefined;
    return { conditions: m.conditions.filter((c) => c !== authority) };
  };
  const routes = stage.routes.map((r) => ({ ...r, matches: r.matches.map(block).filter((m): m is HttpMatch => m !== undefined) })).filter((r) => r.matches.length > 0);
  return { ...stage, routes };
}
