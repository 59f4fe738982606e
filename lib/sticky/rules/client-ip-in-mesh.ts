import { ApiObject } from 'cdk8s';
import { Derivation, ErrorCollector, Rule, tryRender } from '../../registry';
import { NamespaceFact, namespaceFact } from '../../routing/traffic-facts';
import { TRAFFIC_OBJECTS, podTemplateOf } from '../../routing/traffic-objects';
import { clientIpInMeshError } from '../affinity';
import { IServiceBackend } from '../backend';
import { STICKY_INGRESS_FACTS } from '../facts';

/**
 * clientIp on a Service whose pods are in the Istio mesh (see {@link meshInjectionReason}), unless the
 * user said otherwise (meshInjected): Envoy picks the endpoint itself and ignores the Service's
 * sessionAffinity (istio/istio#6011).
 */
export const CLIENT_IP_IN_MESH: Rule = new Derivation('clientIp on pods in the mesh', (registry) => {
  const traffic = registry.get(TRAFFIC_OBJECTS);
  const errors = new ErrorCollector();
  for (const [sticky, s] of registry.get(STICKY_INGRESS_FACTS)) {
    if (s.routing.affinity.kind !== 'clientIp' || s.meshInjected !== undefined) continue;
    const main = s.routing.service;
    const mesh = meshInjectionReason(main.namespace, s.workload && podTemplateOf(traffic, s.workload), traffic.namespaces);
    if (mesh) errors.add(sticky, clientIpInMeshError(s.owner, main.service, mesh).message);
  }
  return errors.result;
}, { readsObjects: true });

/**
 * Why the pods of a workload in `namespace` are in the Istio mesh, or `undefined` when nothing says so:
 * - a pod-template label or annotation `sidecar.istio.io/inject` (`"false"` opts out, `"true"` opts in);
 * - otherwise the first Namespace object of the app named `namespace` whose labels put its pods in the
 *   mesh (see meshInjectionLabel).
 */
export function meshInjectionReason(namespace: string | undefined, podTemplate: { readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> } | undefined,
  namespaces: readonly NamespaceFact[]): string | undefined {
  if (podTemplate) {
    const inject = podTemplate.labels?.['sidecar.istio.io/inject'] ?? podTemplate.annotations?.['sidecar.istio.io/inject'];
    if (inject === 'false') return undefined;
    if (inject === 'true') return 'pod label sidecar.istio.io/inject=true';
  }
  if (namespace === undefined) return undefined;
  const ns = namespaces.find((n) => n.name === namespace && n.meshInjection !== undefined);
  return ns && `namespace '${namespace}' is labelled ${ns.meshInjection}`;
}

/**
 * Why the pods behind `service` are in the Istio mesh, read from `objects` (rendered: any construct's, or
 * hand-written) and the backend's Deployment: see {@link meshInjectionReason}. The facts are discovered,
 * not declared, so they work with any construct that renders them (Namespace, MeshNamespace, plain
 * ApiObjects). Namespaces labelled outside the app are invisible: set StickyIngress's `meshInjected` then.
 */
export function meshInjectionOf(service: { readonly name: string; readonly namespace?: string; readonly backend?: IServiceBackend }, objects: readonly ApiObject[]): string | undefined {
  const deployment = workloadOf(service.backend);
  const namespaces = objects.filter((o) => o.kind === 'Namespace' && o.apiVersion === 'v1').flatMap((o) => {
    const json = tryRender(o);
    return json === undefined ? [] : [namespaceFact(o, json)];
  });
  return meshInjectionReason(service.namespace, deployment && (tryRender(deployment)?.spec?.template?.metadata ?? {}), namespaces);
}

/** The backend's workload, when it exposes one as `deployment` (a WebApp). */
export function workloadOf(backend: IServiceBackend | undefined): ApiObject | undefined {
  const deployment = (backend as { deployment?: unknown } | undefined)?.deployment;
  return deployment instanceof ApiObject ? deployment : undefined;
}
