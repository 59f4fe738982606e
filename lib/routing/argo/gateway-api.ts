import { fail, show } from '../../core';
import { Json, compact } from '../../k8s-object';
import { escapeRegex } from '../match';
import { ReleaseRouting, describeConditions } from '../model';
import { ProgressivePlan, progressivePlan } from '../progressive';
import { argoStrategy, checkArgoCanarySteps } from './steps';

/**
 * Argo Rollouts on the Gateway API, through the Argo Rollouts Gateway API plugin
 * (argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi): the Rollout names the HTTPRoutes the library
 * renders (`trafficRouting.plugins['argoproj-labs/gatewayAPI'].httpRoutes`), and the plugin moves the
 * weights of the `<name>-stable` / `<name>-canary` backendRefs of their rules. `setHeaderRoute` adds a
 * rule per managed route to each HTTPRoute listed with `useHeaderRoutes`, sending to the canary Service.
 * What the plugin does, as read in its source (pkg/plugin/httproute.go, plugin.go):
 * - `setMirrorRoute` is a no-op, so a mirror stage cannot be honoured;
 * - the headers of one `setHeaderRoute` all go into one HTTPRouteMatch (they are ANDed), so a route with
 *   several alternatives (OR) cannot be honoured; a prefix becomes the regex `<prefix>.*` unescaped;
 * - the header rule copies the matched rule's filters but not its `timeouts` or `retry`.
 * The blue/green strategy needs no plugin: the HTTPRoutes send the preview matches to `<name>-preview`
 * and everything else to the active Service `<name>`, and Argo switches the Services' selectors.
 * @see https://rollouts-plugin-trafficrouter-gatewayapi.readthedocs.io/en/latest/features/header-based-routing/
 */

/** The plugin's name under `trafficRouting.plugins`. */
export const ARGO_GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';

const TARGET = 'delivery Argo Rollouts on the Gateway API';

/** Checks that Argo Rollouts and its Gateway API plugin can walk the model's stages, before any object exists. */
export function checkArgoGatewayApi(owner: string, model: Pick<ReleaseRouting, 'versions' | 'stages' | 'policy'>): ProgressivePlan {
  const plan = progressivePlan(owner, 'delivery Argo Rollouts', model);
  if (argoStrategy(plan) === 'blueGreen') return plan;
  checkArgoCanarySteps(owner, plan);
  for (const s of plan.steps) {
    if (s.mirror) {
      fail(owner, `${TARGET}: stage ${show(s.name)} mirrors ${s.mirror.percentage}% to ${show(s.mirror.version)}, but the Gateway API plugin ignores setMirrorRoute`,
        'drop the mirror, or use TrafficApi.istio() with Delivery.argoRollouts()', 'delivery');
    }
    for (const r of s.routes) {
      if (r.matches.length > 1) {
        fail(owner, `${TARGET}: stage ${show(s.name)} route ${show(r.name)} has ${r.matches.length} alternative matches, but the Gateway API plugin puts every header of a setHeaderRoute into one match (all must match)`,
          'give each alternative a route of its own (one RouteMatch per route), or use TrafficApi.istio()', 'delivery');
      }
      for (const m of r.matches) {
        for (const c of m.conditions) {
          if (c.match.kind === 'prefix' && escapeRegex(c.match.value) !== c.match.value) {
            fail(owner, `${TARGET}: stage ${show(s.name)} route ${show(r.name)} matches ${describeConditions([c])}, which the Gateway API plugin turns into the regex '${c.match.value}.*' without escaping it`,
              `match by regex instead (StringMatch.regex('${escapeRegex(c.match.value)}.*'))`, 'delivery');
          }
        }
      }
    }
    const p = model.policy;
    if (s.routes.length && (p.timeoutMillis !== undefined || p.retries)) {
      fail(owner, `${TARGET}: stage ${show(s.name)} sets header routes, and the Gateway API plugin's header rules do not copy the route's ${p.timeoutMillis !== undefined ? 'timeout' : 'retries'}`,
        `drop ${p.timeoutMillis !== undefined ? 'timeout' : 'retries'}, or the stage's match routes, or use TrafficApi.istio()`, p.timeoutMillis !== undefined ? 'timeout' : 'retries');
    }
  }
  return plan;
}

/** `trafficRouting` of a canary Rollout on the Gateway API: the managed routes, and the plugin's HTTPRoutes (with header routes when any step sets one). */
export function argoGatewayApiTrafficRouting(httpRoutes: readonly string[], namespace: string | undefined, managedRoutes: readonly string[]): Json {
  return compact({
    managedRoutes: managedRoutes.map((name) => ({ name })),
    plugins: {
      [ARGO_GATEWAY_API_PLUGIN]: compact({
        httpRoutes: httpRoutes.map((name) => compact({ name, useHeaderRoutes: managedRoutes.length ? true : undefined })),
        namespace,
      }),
    },
  });
}
