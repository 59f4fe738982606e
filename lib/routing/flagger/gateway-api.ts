import { fail, show } from '../../core';
import { Json, compact } from '../../k8s-object';
import { GATEWAY_API_GROUP, GatewayApiSettings } from '../gateway-api/api';
import { escapeRegex } from '../match';
import { ReleaseRouting, describeConditions } from '../model';
import { progressivePlan } from '../progressive';
import { FlaggerAnalysis, flaggerAnalysis } from './analysis';

/**
 * Flagger on the Gateway API (`provider: gatewayapi:v1`): Flagger generates one HTTPRoute `<name>`
 * whose `parentRefs` are the Canary's `service.gatewayRefs` and whose `hostnames` are `service.hosts`,
 * weighted between the `<name>-primary` and `<name>-canary` Services it also creates. So the library
 * renders no HTTPRoute and no Service for it; it names the parents: the Gateway of
 * `TrafficApi.gatewayApi({ gateway })` and, for in-mesh callers (GAMMA, `mesh: true`), the Service
 * `<name>` itself (`group: ''`, `kind: Service`), as Flagger's Linkerd/GAMMA tutorial does. With both,
 * Flagger's one HTTPRoute carries both parents and the `hostnames`; in-mesh calls are routed by it only
 * where the mesh does not hold a Service-parented route to those hostnames (to verify per mesh; the
 * library's own Gateway API renderer splits the two parents into two routes, which Flagger cannot).
 * @see https://docs.flagger.app/tutorials/gatewayapi-progressive-delivery
 */

/** The `provider` of a Flagger Canary on the Gateway API. */
export const FLAGGER_GATEWAY_API_PROVIDER = 'gatewayapi:v1';

const TARGET = 'delivery Flagger on the Gateway API';

/** `service.gatewayRefs`: the Gateway (north-south), then the release's Service (GAMMA, in-mesh). */
export function flaggerGatewayRefs(model: Pick<ReleaseRouting, 'app'>, settings: GatewayApiSettings): Json[] {
  const refs: Json[] = [];
  const gw = settings.gateway;
  if (gw) {
    refs.push(compact({
      group: GATEWAY_API_GROUP,
      kind: 'Gateway',
      name: gw.name,
      namespace: gw.namespace !== undefined && gw.namespace !== model.app.namespace ? gw.namespace : undefined,
    }));
  }
  if (settings.mesh) refs.push({ group: '', kind: 'Service', name: model.app.name });
  return refs;
}

/**
 * Fails on what Flagger's generated HTTPRoute cannot carry (Flagger's Gateway API router, v1.44): retries
 * (it renders no retry), a prefix header match in `analysis.match` (it maps exact and regex only), and a
 * mirrored share below 100% (its RequestMirror filter mirrors every request). Returns the analysis.
 */
export function checkFlaggerGatewayApi(owner: string, model: Pick<ReleaseRouting, 'versions' | 'stages' | 'policy'>): FlaggerAnalysis {
  const analysis = flaggerAnalysis(owner, progressivePlan(owner, 'delivery Flagger', model));
  if (model.policy.retries) {
    fail(owner, `${TARGET}: retries cannot be honoured, because the HTTPRoute Flagger generates has no retry`,
      'drop retries, or use TrafficApi.istio() with Delivery.flagger()', 'retries');
  }
  if (analysis.kind === 'ab') {
    for (const m of analysis.match) {
      const c = m.conditions.find((x) => x.match.kind === 'prefix');
      if (c) {
        const stage = model.stages.find((s) => s.routes.some((r) => r.matches.includes(m)))!;
        fail(owner, `${TARGET}: stage ${show(stage.name)} matches ${describeConditions([c])}, but Flagger's HTTPRoute matches headers exactly or by regex only`,
          `match exactly, or by regex (e.g. StringMatch.regex('${escapeRegex(c.match.value)}.*')), or use TrafficApi.istio()`, 'delivery');
      }
    }
  }
  if (analysis.kind === 'blueGreen' && analysis.mirrorPercent !== undefined && analysis.mirrorPercent !== 100) {
    const stage = model.stages.find((s) => s.mirror)!;
    fail(owner, `${TARGET}: stage ${show(stage.name)} mirrors ${analysis.mirrorPercent}%, but Flagger's HTTPRoute mirrors every request (no mirror weight)`,
      'mirror 100% (percentage: 100), or use TrafficApi.istio() (mirrorWeight)', 'delivery');
  }
  return analysis;
}
