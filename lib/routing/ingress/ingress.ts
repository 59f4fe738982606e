import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { recommendedLabels } from '../../core';
import { Json, compact, manifest } from '../../k8s-object';
import { ServicePortRef, StickyRouting, routesEveryPath } from '../affinity-model';
import { nginxAnnotations, useRegexAnnotation } from './nginx';

/**
 * The Kubernetes Ingress renderer of the session-affinity model: the Ingress for the host (with the
 * controller's annotations) and the rules-less Ingress that carries the default backend.
 */

/** An Ingress backend. */
export function backendJson(ref: ServicePortRef): Json {
  return { service: { name: ref.service, port: { number: ref.port } } };
}

/**
 * The Ingress `<name>` (construct id `Resource`). Its annotations are the user's, the controller's and
 * `use-regex` as they are now (see {@link refreshIngressAnnotations} after adding a path); its spec
 * reads `live()` at synth, so paths added later are rendered.
 */
export function renderIngress(scope: Construct, live: () => StickyRouting): ApiObject {
  const model = live();
  const user = { ...model.ingress?.annotations };
  const own = nginxAnnotations(model);
  return manifest(scope, 'Resource', 'networking.k8s.io/v1', 'Ingress', {
    name: model.name,
    namespace: model.namespace,
    labels: recommendedLabels({}),
    // Not Lazy: ApiObject metadata copies its annotations object. Adding a regex path adds `use-regex` later.
    annotations: Object.keys({ ...user, ...own }).length ? { ...user, ...own, ...useRegexAnnotation(model) } : undefined,
    body: { spec: Lazy.any({ produce: () => ingressSpec(live()) }) },
  });
}

/** The `spec` of the Ingress {@link renderIngress} renders for `m` (which has an Ingress). */
export function ingressSpec(m: StickyRouting): Json {
  const ingress = m.ingress!;
  return compact({
    ingressClassName: ingress.className,
    // With rules, ingress-nginx uses spec.defaultBackend only for this host's unmatched paths; when a
    // path already routes '/' as a prefix nothing is unmatched, so it would be dead config.
    defaultBackend: m.defaultBackend && !routesEveryPath(ingress) ? backendJson(m.defaultBackend) : undefined,
    tls: ingress.tlsSecretName ? [{ hosts: [ingress.host], secretName: ingress.tlsSecretName }] : undefined,
    rules: [{ host: ingress.host, http: { paths: ingress.paths.map((p) => ({ path: p.path, pathType: p.pathType, backend: backendJson(p.backend) })) } }],
  });
}

/** Adds to `ingress` the annotations a path added since it was rendered needs (`use-regex`). */
export function refreshIngressAnnotations(ingress: ApiObject, model: StickyRouting): void {
  for (const [k, v] of Object.entries(useRegexAnnotation(model))) ingress.metadata.addAnnotation(k, v);
}

/**
 * The Ingress `<name>-default-backend` (construct id `DefaultBackendIngress`): no rules, only
 * `spec.defaultBackend`, which ingress-nginx uses as the catch-all for hosts no Ingress of the class defines.
 */
export function renderDefaultBackendIngress(scope: Construct, model: StickyRouting): ApiObject {
  return manifest(scope, 'DefaultBackendIngress', 'networking.k8s.io/v1', 'Ingress', {
    name: `${model.name}-default-backend`,
    namespace: model.namespace,
    labels: recommendedLabels({}),
    body: { spec: defaultBackendIngressSpec(model) },
  });
}

/** The `spec` of the Ingress {@link renderDefaultBackendIngress} renders for `model` (which has a default backend). */
export function defaultBackendIngressSpec(model: StickyRouting): Json {
  return { ingressClassName: model.ingress?.className, defaultBackend: backendJson(model.defaultBackend!) };
}
