import { ApiObject } from 'cdk8s';
import { Json, jsonOf, jsonOfKind } from '../k8s-object';
import { fail, show } from '../validation';
import { StickyRouting } from '../routing/affinity-model';
import { affinityOf } from '../routing/ingress/nginx';
import { failClientIpInMesh } from './affinity';
import { IServiceBackend } from './backend';

/**
 * StickyIngress's checks against the rest of the app, run once per synth: they read other constructs'
 * objects as rendered JSON (jsonOf / jsonOfKind): Namespaces (mesh injection), VirtualServices (canary
 * splits), other Ingresses and DestinationRules. A later step moves them onto an app-wide registry
 * of typed facts.
 */

/** What the checks need to know about one StickyIngress. */
export interface StickyTreeSubject {
  /** `StickyIngress '<name>'`, for errors. */
  readonly owner: string;
  /** Its routing model. */
  readonly routing: StickyRouting;
  /** Its main backend (whose Deployment may say whether its pods are in the mesh). */
  readonly backend: IServiceBackend;
  /** The user's word on mesh injection (`undefined`: discover it). */
  readonly meshInjected?: boolean;
  /** Its Ingress, if any. */
  readonly ingress?: ApiObject;
  /** Its rules-less default-backend Ingress, if any. */
  readonly defaultBackendIngress?: ApiObject;
  /** Its DestinationRules (hash affinity), one per Service of {@link StickyRouting.services}. */
  readonly destinationRules: readonly ApiObject[];
  /** Whether it renders the built-in 404 backend (a catch-all of its Ingress class). */
  readonly notFoundBackend: boolean;
}

/**
 * ingress-nginx uses one catch-all (a rules-less Ingress's defaultBackend) per class: the oldest. An
 * error for each StickyIngress after the first that renders the built-in 404 backend for a class.
 */
export function catchAllErrors(members: readonly StickyTreeSubject[]): string[] {
  const firstNotFound = new Map<string, StickyTreeSubject>();
  const errors: string[] = [];
  for (const m of members) {
    const className = m.routing.ingress?.className;
    if (!m.notFoundBackend || className === undefined) continue;
    const first = firstNotFound.get(className);
    if (!first) {
      firstNotFound.set(className, m);
      continue;
    }
    errors.push(`${m.owner}: DefaultBackend.notFound() renders a second catch-all Ingress for class ${show(className)} (the first is ${first.owner}'s): ingress-nginx uses only the oldest one, so which 404 backend answers depends on creation order; `
      + `use DefaultBackend.notFound() once per Ingress class, and DefaultBackend.service(...) or none on the other StickyIngresses`);
  }
  return errors;
}

/** Rules that depend on other constructs (namespaces, canaries, other Ingresses and DestinationRules). */
export function stickyTreeErrors(s: StickyTreeSubject, objects: readonly ApiObject[]): string[] {
  const errors: string[] = [];
  const { owner, routing } = s;
  const kind = routing.affinity.kind;
  const main = { name: routing.service.service, namespace: routing.service.namespace };
  const catching = (check: () => void) => {
    try {
      check();
    } catch (e) {
      errors.push((e as Error).message);
    }
  };
  if (kind === 'cookie' || kind === 'clientIp') {
    // An Ingress controller (endpoints) or kube-proxy (ClusterIP) picks among the pods of every version
    // the Service selects: a VirtualService that routes the Service by subset or weight is bypassed.
    const services = kind === 'clientIp' ? [main]
      : [...new Map((routing.ingress?.paths ?? []).map((p) => [p.backend.service, { name: p.backend.service, namespace: p.backend.namespace }])).values()];
    const layer = kind === 'clientIp' ? 'kube-proxy picks' : 'ingress-nginx sends each request to one of';
    for (const svc of services) {
      for (const vs of subsetRoutesOf(svc, objects)) {
        catching(() => fail(owner, `${kind === 'clientIp' ? 'clientIp' : 'nginxCookie'} on Service '${svc.name}', which VirtualService '${vs.name}' routes by ${vs.how}: ${layer} the Service's pods of every version directly, around the VirtualService, so each version gets traffic in proportion to its pods whatever the stage`,
          'serve the release through its Istio gateway (CanaryGateway) and keep users on a version with the CanaryRelease sticky option'));
      }
    }
  }
  if (kind === 'clientIp') {
    // Behind an Ingress controller the client is the controller's pod: ClientIP affinity pins nothing.
    for (const other of otherIngressesOf(objects, [], routing.namespace, undefined)) {
      if (!other.services.includes(main.name)) continue;
      catching(() => fail(owner, `clientIp on Service '${main.name}', which Ingress '${other.name}' also routes to: behind an Ingress controller kube-proxy sees the controller's pods, not the clients, so requests through it are not sticky`,
        `use StickyStrategy.nginxCookie for traffic through the Ingress (one StickyIngress for the Service), or remove Ingress '${other.name}'`));
    }
  }
  const ingress = routing.ingress;
  if (kind === 'cookie' && s.ingress && ingress) {
    // ingress-nginx keeps one affinity setting per Service (upstream), taken from the first-created
    // Ingress that routes to it (kubernetes/ingress-nginx#4211): another Ingress of the class with other
    // (or no) affinity annotations for the same Service makes the stickiness depend on creation order.
    const mine = affinityOf(s.ingress.metadata.toJson().annotations);
    const own = new Set(ingress.paths.map((p) => p.backend.service));
    // The admission webhook checks host + path across every namespace.
    for (const other of otherIngressesOf(objects, [s.ingress, s.defaultBackendIngress], null, ingress.className)) {
      const twice = ingress.paths.filter((p) => other.routes.includes(`${ingress.host} ${p.path} ${p.pathType}`));
      if (twice.length) {
        catching(() => fail(owner, `Ingress '${other.name}' already routes host ${show(ingress.host)} path ${twice.map((p) => show(p.path)).join(', ')} (${twice[0].pathType}): ingress-nginx's admission webhook rejects the second Ingress for a host and path ("is already defined in ingress"), and without the webhook one of them silently wins`,
          'route each host and path through one Ingress: add the path to one StickyIngress, or use another host or path'));
      }
    }
    for (const other of otherIngressesOf(objects, [s.ingress, s.defaultBackendIngress], routing.namespace, ingress.className)) {
      const shared = other.services.filter((n) => own.has(n));
      if (shared.length === 0 || other.affinity === mine) continue;
      catching(() => fail(owner, `Ingress '${other.name}' also routes to Service ${shared.map((n) => `'${n}'`).join(', ')} ${other.affinity === '{}' ? 'without cookie affinity' : 'with other cookie-affinity settings'}: ingress-nginx keeps one affinity setting per Service, from whichever Ingress was created first (kubernetes/ingress-nginx#4211), so whether sessions stick would depend on the order the Ingresses are applied`,
        `route those paths through this StickyIngress (addPath, or another host with the same nginxCookie settings), or give Ingress '${other.name}' a Service of its own`));
    }
  }
  if (kind === 'clientIp' && s.meshInjected === undefined) {
    const mesh = meshInjectionOf({ ...main, backend: s.backend }, objects);
    if (mesh) catching(() => failClientIpInMesh(owner, main.name, mesh));
  }
  if (kind === 'hash') {
    for (const ref of routing.services) {
      const svc = { name: ref.service, namespace: ref.namespace };
      for (const split of weightedSplitsOf(svc, objects)) {
        catching(() => fail(owner, `istioConsistentHash on Service '${svc.name}', which VirtualService '${split.name}' splits by weight (${split.weights}): Envoy hashes within one subset, so a weighted split moves users between versions anyway (istio/istio#9764)`,
          'drop the StickyIngress strategy for this app and use the CanaryRelease sticky option (a cookie matched before the weighted route)'));
      }
      for (const other of otherDestinationRulesOf(svc, objects, s.destinationRules)) {
        catching(() => fail(owner, `DestinationRule '${other}' also targets host '${svc.name}'; Istio applies only one traffic policy per host, so the consistent hash may be ignored`,
          `put the consistentHash into '${other}' instead of a second DestinationRule; if '${other}' belongs to a CanaryRelease, use its sticky option instead (a consistent hash does not hold across weighted subsets, istio/istio#9764)`));
      }
    }
  }
  return errors;
}

/**
 * Why the pods behind `service` are in the Istio mesh, or `undefined` when nothing in the construct
 * tree says so. The facts are discovered, not declared, so they work with any construct that renders
 * them (Namespace, MeshNamespace, plain ApiObjects):
 * - a pod-template label or annotation `sidecar.istio.io/inject` on the backend's Deployment
 *   (`"false"` opts out, `"true"` opts in);
 * - otherwise an object of kind `Namespace` named like the Service's namespace, anywhere in the app,
 *   labelled `istio-injection: enabled`, `istio.io/rev: <revision>` or
 *   `istio.io/dataplane-mode: ambient` (`istio-injection: disabled` wins over `istio.io/rev`).
 * Namespaces labelled outside the app are invisible: set StickyIngress's `meshInjected` then.
 */
export function meshInjectionOf(service: { readonly name: string; readonly namespace?: string; readonly backend?: IServiceBackend }, objects: readonly ApiObject[]): string | undefined {
  const deployment = (service.backend as { deployment?: unknown } | undefined)?.deployment;
  if (deployment instanceof ApiObject) {
    const meta = jsonOf(deployment)?.spec?.template?.metadata ?? {};
    const inject = meta.labels?.['sidecar.istio.io/inject'] ?? meta.annotations?.['sidecar.istio.io/inject'];
    if (inject === 'false') return undefined;
    if (inject === 'true') return 'pod label sidecar.istio.io/inject=true';
  }
  if (service.namespace === undefined) return undefined;
  for (const o of objects) {
    if (o.kind !== 'Namespace' || o.apiVersion !== 'v1') continue;
    const json = jsonOf(o);
    if (json?.metadata?.name !== service.namespace) continue;
    const labels: Record<string, string> = json.metadata.labels ?? {};
    if (labels['istio-injection'] === 'enabled') return `namespace '${service.namespace}' is labelled istio-injection=enabled`;
    if (labels['istio-injection'] === 'disabled') continue;
    if (labels['istio.io/rev']) return `namespace '${service.namespace}' is labelled istio.io/rev=${labels['istio.io/rev']}`;
    if (labels['istio.io/dataplane-mode'] === 'ambient') return `namespace '${service.namespace}' is labelled istio.io/dataplane-mode=ambient`;
  }
  return undefined;
}

/** True when a VirtualService/DestinationRule `host` (seen from `fromNamespace`) names the Service. */
function hostIsService(host: unknown, fromNamespace: string | undefined, svc: { name: string; namespace?: string }): boolean {
  if (typeof host !== 'string') return false;
  if (host === svc.name) return fromNamespace === svc.namespace;
  if (svc.namespace === undefined) return false;
  const base = `${svc.name}.${svc.namespace}`;
  return host === base || host === `${base}.svc` || host === `${base}.svc.cluster.local`;
}

/**
 * VirtualServices in the app whose HTTP routes split the Service's traffic by weight (a route with more
 * than one destination, one of them the Service) — what a CanaryRelease renders for a weighted stage.
 */
function weightedSplitsOf(svc: { name: string; namespace?: string }, objects: readonly ApiObject[]): Array<{ name: string; weights: string }> {
  const out: Array<{ name: string; weights: string }> = [];
  for (const json of jsonOfKind(objects, 'VirtualService', 'networking.istio.io/')) {
    for (const http of json.spec?.http ?? []) {
      const route: Json[] = http.route ?? [];
      if (route.length < 2 || !route.some((d) => hostIsService(d.destination?.host, json.metadata.namespace, svc))) continue;
      const weights = route.map((d) => `${d.destination?.subset ?? d.destination?.host}=${d.weight ?? 0}`).join(', ');
      out.push({ name: json.metadata.name, weights });
      break;
    }
  }
  return out;
}

/**
 * VirtualServices that route `svc` by subset (any stage of a CanaryRelease, 100/0 included) or split it
 * by weight between destinations: what an Ingress controller or kube-proxy bypasses.
 */
function subsetRoutesOf(svc: { name: string; namespace?: string }, objects: readonly ApiObject[]): Array<{ name: string; how: string }> {
  const out: Array<{ name: string; how: string }> = [];
  for (const json of jsonOfKind(objects, 'VirtualService', 'networking.istio.io/')) {
    const routes: Json[][] = (json.spec?.http ?? []).map((h: Json) => h.route ?? []);
    // Requests for the Service's host (SERVICES mode: the Service over every release) or to it as a destination.
    const forHost = (json.spec?.hosts ?? []).some((h: unknown) => hostIsService(h, json.metadata.namespace, svc));
    const mine = forHost ? routes : routes.filter((r) => r.some((d) => hostIsService(d.destination?.host, json.metadata.namespace, svc)));
    if (mine.length === 0) continue;
    const subsets = [...new Set(mine.flat().map((d) => d.destination?.subset).filter((x): x is string => typeof x === 'string'))];
    if (subsets.length) out.push({ name: json.metadata.name, how: `subset (${subsets.join(', ')})` });
    else if (mine.some((r) => r.length > 1)) out.push({ name: json.metadata.name, how: 'weight between destinations' });
  }
  return out;
}

/**
 * Other Ingresses in the tree that the same controller may serve (same ingressClassName, or none) in
 * `namespace` (`null`: any namespace), with their host/path routes, the Services they route to (by name,
 * in their own namespace) and their affinity settings.
 */
function otherIngressesOf(objects: readonly ApiObject[], own: ReadonlyArray<ApiObject | undefined>, namespace: string | undefined | null, className: string | undefined) {
  return objects
    .filter((o) => o.kind === 'Ingress' && o.apiVersion === 'networking.k8s.io/v1' && !own.includes(o) && (namespace === null || o.metadata.namespace === namespace))
    .map((o) => jsonOf(o))
    .filter((j): j is Json => j !== undefined)
    .filter((j) => {
      const cls = j.spec?.ingressClassName ?? j.metadata?.annotations?.['kubernetes.io/ingress.class'];
      return cls === undefined || className === undefined || cls === className;
    })
    .map((j) => ({
      name: j.metadata.name as string,
      affinity: affinityOf(j.metadata.annotations),
      routes: (j.spec?.rules ?? []).flatMap((r: Json) => (r.http?.paths ?? []).map((p: Json) => `${r.host} ${p.path} ${p.pathType}`)) as string[],
      services: [...new Set([
        j.spec?.defaultBackend?.service?.name,
        ...(j.spec?.rules ?? []).flatMap((r: Json) => (r.http?.paths ?? []).map((p: Json) => p.backend?.service?.name)),
      ].filter((n): n is string => typeof n === 'string'))],
    }));
}

/**
 * Names of DestinationRules in the app for the same host, other than `own` (the calling StickyIngress's
 * own rules; another StickyIngress's rule for the same host is a conflict like any other).
 */
function otherDestinationRulesOf(svc: { name: string; namespace?: string }, objects: readonly ApiObject[], own: readonly ApiObject[]): string[] {
  return objects
    .filter((o) => o.kind === 'DestinationRule' && o.apiVersion.startsWith('networking.istio.io/') && !own.includes(o))
    .map((o) => jsonOf(o))
    .filter((j): j is Json => j !== undefined && hostIsService(j.spec?.host, j.metadata?.namespace, svc))
    .map((j) => j.metadata.name);
}
