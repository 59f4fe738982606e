// The facts about traffic objects (VirtualServices, DestinationRules, Ingresses, Namespaces and pod
// templates) that the cross-construct rules of CanaryRelease and StickyIngress read. Our constructs
// register them when they create the objects, from their models; a hand-written object of these kinds
// gets the same fact from its rendered JSON (see traffic-objects.ts). One converter per kind reads the
// JSON, so both are read alike: a construct passes the spec its renderer produces from its model.
import { ApiObject } from 'cdk8s';
import { Json } from '../core/json';
import { FactKind } from '../registry';
import { affinityOf } from './ingress/nginx';

/** One destination of an HTTP route of a VirtualService (values as found: a hand-written object may hold anything). */
export interface RouteDestinationFact {
  /** `destination.host`. */
  readonly host: unknown;
  /** `destination.subset`. */
  readonly subset: unknown;
  /** `weight`. */
  readonly weight: unknown;
}

/** A VirtualService: the hosts it serves, the gateways it is bound to, and where each HTTP route sends requests. */
export interface VirtualServiceFact {
  /** The object. */
  readonly object: ApiObject;
  /** `metadata.name`. */
  readonly name: string;
  /** `metadata.namespace` (`undefined`: the kubectl context's). */
  readonly namespace: string | undefined;
  /** `spec.hosts`. */
  readonly hosts: readonly unknown[];
  /** `spec.gateways` (none: `mesh` only). */
  readonly gateways: readonly unknown[];
  /** The destinations of each `spec.http[]` route, in order. */
  readonly http: ReadonlyArray<readonly RouteDestinationFact[]>;
}
/** See {@link VirtualServiceFact}: registered by CanaryRelease for the VirtualServices it renders. */
export const VIRTUAL_SERVICES = new FactKind<VirtualServiceFact>('VirtualService routes');

/** A DestinationRule: the host whose traffic policy it sets. */
export interface DestinationRuleFact {
  /** The object. */
  readonly object: ApiObject;
  /** `metadata.name`. */
  readonly name: string;
  /** `metadata.namespace`. */
  readonly namespace: string | undefined;
  /** `spec.host`. */
  readonly host: unknown;
}
/** See {@link DestinationRuleFact}: registered by CanaryRelease and StickyIngress. */
export const DESTINATION_RULES = new FactKind<DestinationRuleFact>('DestinationRule host');

/** An Ingress: its class, affinity annotations, host/path routes and the Services it routes to. */
export interface IngressFact {
  /** The object. */
  readonly object: ApiObject;
  /** `metadata.name`. */
  readonly name: string;
  /** The object's namespace (`undefined`: the kubectl context's). */
  readonly namespace: string | undefined;
  /** `spec.ingressClassName`, or the legacy `kubernetes.io/ingress.class` annotation. */
  readonly className: unknown;
  /** Its ingress-nginx affinity annotations, as one comparable string (`'{}'`: none). */
  readonly affinity: string;
  /** Each rule's paths as `<host> <path> <pathType>`. */
  readonly routes: readonly string[];
  /** The Services it routes to (by name, in its own namespace): the default backend's, then the paths'. */
  readonly services: readonly string[];
}
/**
 * See {@link IngressFact}: registered by StickyIngress and WebApp.exposeViaIngress, again each time the
 * Ingress changes (a path added): the latest fact of an object is the one that counts.
 */
export const INGRESSES = new FactKind<IngressFact>('Ingress routes');

/** A Namespace and what its labels say about Istio sidecar injection. */
export interface NamespaceFact {
  /** The object. */
  readonly object: ApiObject;
  /** `metadata.name`. */
  readonly name: string;
  /** The label that puts its pods in the mesh (`istio-injection=enabled`...), or `undefined`. */
  readonly meshInjection: string | undefined;
  /** The Pod Security level it enforces (`pod-security.kubernetes.io/enforce`), if any. */
  readonly podSecurity?: string;
}
/** See {@link NamespaceFact}: registered by Namespace and MeshNamespace. */
export const NAMESPACES = new FactKind<NamespaceFact>('Namespace mesh injection');

/** The pod template of a workload: its labels and annotations. */
export interface PodTemplateFact {
  /** The workload (a Deployment or StatefulSet). */
  readonly workload: ApiObject;
  /** Pod labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Pod annotations. */
  readonly annotations: Readonly<Record<string, string>>;
}
/** See {@link PodTemplateFact}: registered by WebApp, again when a pod annotation is added (the latest counts). */
export const POD_TEMPLATES = new FactKind<PodTemplateFact>('pod template labels and annotations');

/** The facts of one object, read from its JSON (rendered, or its spec as our renderer produces it). */
export function virtualServiceFact(object: ApiObject, json: Json): VirtualServiceFact {
  const spec = json.spec ?? {};
  return {
    object,
    name: json.metadata?.name,
    namespace: json.metadata?.namespace,
    hosts: spec.hosts ?? [],
    gateways: spec.gateways ?? [],
    http: (spec.http ?? []).map((h: Json) => ((h.route ?? []) as Json[]).map((d) => ({ host: d.destination?.host, subset: d.destination?.subset, weight: d.weight }))),
  };
}

/** See {@link virtualServiceFact}. */
export function destinationRuleFact(object: ApiObject, json: Json): DestinationRuleFact {
  return { object, name: json.metadata?.name, namespace: json.metadata?.namespace, host: json.spec?.host };
}

/** See {@link virtualServiceFact}. */
export function ingressFact(object: ApiObject, json: Json): IngressFact {
  const spec = json.spec ?? {};
  const rules: Json[] = spec.rules ?? [];
  return {
    object,
    name: json.metadata?.name,
    namespace: object.metadata.namespace,
    className: spec.ingressClassName ?? json.metadata?.annotations?.['kubernetes.io/ingress.class'],
    affinity: affinityOf(json.metadata?.annotations),
    routes: rules.flatMap((r) => (r.http?.paths ?? []).map((p: Json) => `${r.host} ${p.path} ${p.pathType}`)),
    services: [...new Set([
      spec.defaultBackend?.service?.name,
      ...rules.flatMap((r) => (r.http?.paths ?? []).map((p: Json) => p.backend?.service?.name)),
    ].filter((n): n is string => typeof n === 'string'))],
  };
}

/** See {@link virtualServiceFact}. */
export function namespaceFact(object: ApiObject, json: Json): NamespaceFact {
  const labels = json.metadata?.labels ?? {};
  return { object, name: json.metadata?.name, meshInjection: meshInjectionLabel(labels), podSecurity: labels['pod-security.kubernetes.io/enforce'] };
}

/**
 * The label of a Namespace that puts its pods in the Istio mesh: `istio-injection: enabled`,
 * `istio.io/rev: <revision>` or `istio.io/dataplane-mode: ambient` (`istio-injection: disabled` wins over
 * `istio.io/rev`), as `<key>=<value>`; `undefined` when none does.
 */
export function meshInjectionLabel(labels: Readonly<Record<string, string>>): string | undefined {
  if (labels['istio-injection'] === 'enabled') return 'istio-injection=enabled';
  if (labels['istio-injection'] === 'disabled') return undefined;
  if (labels['istio.io/rev']) return `istio.io/rev=${labels['istio.io/rev']}`;
  if (labels['istio.io/dataplane-mode'] === 'ambient') return 'istio.io/dataplane-mode=ambient';
  return undefined;
}

