import { fail, isDns1123Label, show } from '../core';
import { matchCovers, sameMatch, validateHttpMatch } from '../routing/http-match';
import { RouteMatch } from '../routing/match';
import { HttpMatch, MatchRoute, RoutingStage } from '../routing/model';
import { CanaryStage } from './plan';

/** A declared stage → the model's {@link RoutingStage}, with every check a stage must pass. */

/** Validates `stage` against the declared `versions` and returns it as model data (every version weighted, 0 included). */
export function stageRouting(owner: string, stage: CanaryStage, versions: string[]): RoutingStage {
  const at = `stage ${show(stage.name)}`;
  if (stage.weights === null || typeof stage.weights !== 'object') fail(owner, `${at} has no weights`, 'give weights per version, e.g. { v1: 90, v2: 10 }');
  for (const [v, w] of Object.entries(stage.weights)) {
    if (!versions.includes(v)) fail(owner, `${at} weights name unknown version ${show(v)}`, `use one of ${versions.map((x) => show(x)).join(', ')}`);
    if (!Number.isInteger(w) || w < 0 || w > 100) fail(owner, `${at} weight ${v}=${show(w)} is not an integer in 0-100`, 'give every weight as a whole percentage between 0 and 100');
  }
  const sum = Object.values(stage.weights).reduce((a, b) => a + b, 0);
  if (sum !== 100) fail(owner, `${at} weights sum to ${sum} (${describeWeights(stage.weights, versions)})`, 'they must sum to 100');
  const routes = stage.routes ?? [];
  const seen: Array<{ match: HttpMatch; route: number }> = [];
  const matchRoutes: MatchRoute[] = routes.map((r, i) => {
    const where = `${at} route ${i + 1}`;
    if (!versions.includes(r.version)) fail(owner, `${where} sends to unknown version ${show(r.version)}`, `use one of ${versions.map((x) => show(x)).join(', ')}`);
    const matches = Array.isArray(r.match) ? r.match : [r.match];
    if (matches.some((m) => !(m instanceof RouteMatch))) fail(owner, `${where} match is not a RouteMatch`, 'use RouteMatch.header(...), RouteMatch.uriPrefix(...), RouteMatch.cookie(...) (or a list of them)');
    if (matches.length === 0) fail(owner, `${where} has no match`, 'give at least one RouteMatch (a route without a match is the weighted default route: use weights)');
    if (r.name !== undefined && !isDns1123Label(r.name)) fail(owner, `${where} name ${show(r.name)} is not a DNS-1123 label`, 'use lowercase letters, digits and \'-\'');
    // Route names label Envoy's stats and access logs: two routes of one name cannot be told apart.
    const taken = ['default', ...versions.map((v) => `sticky-${v}`), ...routes.slice(0, i).map((q, j) => q.name ?? `${stage.name}-match-${j + 1}`)];
    if (r.name !== undefined && taken.includes(r.name)) {
      fail(owner, `${where} name ${show(r.name)} is already used by another route of the stage (or the generated 'default' / 'sticky-<version>' routes)`, 'give every route a unique name');
    }
    const catchAll = matches.find((m) => m.isCatchAll);
    if (catchAll) {
      const next = i + 1 < routes.length ? `route ${i + 2}` : 'the weighted default route';
      fail(owner, `${where} matches every request (${catchAll}), so ${next} is shadowed and never used`,
        i + 1 < routes.length ? 'move the catch-all route last, or narrow its match' : `narrow the match, or send the traffic with weights (e.g. { ${r.version}: 100 })`);
    }
    const validated = matches.map((m) => validateHttpMatch(owner, where, m.conditions));
    // Shadowed when every alternative of this route is covered by an alternative of an earlier route:
    // identical, or wider (uri prefix '/api' before '/api/v2', header regex '.*' before an exact value).
    const earlier = validated.map((b) => seen.find((s) => matchCovers(s.match, b)));
    if (earlier.every((e) => e !== undefined)) {
      const identical = validated.every((b, k) => sameMatch(b, earlier[k]!.match));
      fail(owner, `${where} (${matches.join(' or ')}) is shadowed by route ${earlier[0]!.route}, which matches ${identical ? 'the same' : 'all of its'} requests first`,
        identical ? 'remove the duplicate route or change its match' : `put the narrower route first (before route ${earlier[0]!.route}), or narrow route ${earlier[0]!.route}`);
    }
    validated.forEach((match) => seen.push({ match, route: i + 1 }));
    return { name: r.name ?? `${stage.name}-match-${i + 1}`, matches: validated, version: r.version };
  });
  let mirror: RoutingStage['mirror'];
  if (stage.mirror) {
    const m = stage.mirror;
    if (!versions.includes(m.version)) fail(owner, `${at} mirror names unknown version ${show(m.version)}`, `use one of ${versions.map((x) => show(x)).join(', ')}`);
    if ((stage.weights[m.version] ?? 0) === 100) fail(owner, `${at} mirrors to ${show(m.version)}, which already receives 100% of the traffic`, 'mirror to a version that gets less than 100% (e.g. the canary while the stable version serves)');
    const p = m.percentage ?? 100;
    if (typeof p !== 'number' || !(p > 0 && p <= 100)) fail(owner, `${at} mirror percentage ${show(p)} is not in (0, 100]`, 'use a percentage above 0 and at most 100');
    mirror = { version: m.version, percentage: p };
  }
  return {
    name: stage.name,
    weights: Object.fromEntries(versions.map((v) => [v, stage.weights[v] ?? 0])),
    routes: matchRoutes,
    ...(mirror ? { mirror } : {}),
  };
}

/** E.g. `v1=90, v2=5` (declared versions first, then unknown names), or `no weights`. */
export function describeWeights(weights: Record<string, number>, versions: string[]): string {
  const names = [...versions.filter((v) => v in weights), ...Object.keys(weights).filter((v) => !versions.includes(v))];
  return names.map((v) => `${v}=${weights[v]}`).join(', ') || 'no weights';
}
