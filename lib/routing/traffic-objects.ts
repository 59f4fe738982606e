// Every traffic object of an app as facts, ours and hand-written alike, computed once per version of
// the registry's facts and of the tree's objects: what the rules of CanaryRelease and StickyIngress read.
import { ApiObject } from 'cdk8s';
import { Json } from '../core/json';
import { Derivation, FactKind, tryRender } from '../registry';
import type { AppRegistry } from '../registry';
import {
  DESTINATION_RULES, DestinationRuleFact, INGRESSES, IngressFact, NAMESPACES, NamespaceFact, POD_TEMPLATES, PodTemplateFact,
  VIRTUAL_SERVICES, VirtualServiceFact, destinationRuleFact, ingressFact, namespaceFact, virtualServiceFact,
} from './traffic-facts';

/** The traffic objects of an app, in tree order, each as the fact its construct registered or, for a hand-written object, read from its rendered JSON. */
export interface TrafficObjects {
  /** VirtualServices (`networking.istio.io/*`). */
  readonly virtualServices: readonly VirtualServiceFact[];
  /** DestinationRules (`networking.istio.io/*`). */
  readonly destinationRules: readonly DestinationRuleFact[];
  /** Ingresses (`networking.k8s.io/v1`). */
  readonly ingresses: readonly IngressFact[];
  /** Namespaces (`v1`). */
  readonly namespaces: readonly NamespaceFact[];
  /** The registered pod templates, by workload (a hand-written workload has none: see {@link podTemplateOf}). */
  readonly podTemplates: ReadonlyMap<ApiObject, PodTemplateFact>;
}

/** How the objects of one kind are found and read. */
interface KindReader<T> {
  /** The facts our constructs register. */
  readonly kind: FactKind<T>;
  /** The object a fact is about. */
  readonly objectOf: (fact: T) => ApiObject;
  /** Whether a hand-written object is of this kind. */
  readonly matches: (o: ApiObject) => boolean;
  /** Its fact, from its rendered JSON. */
  readonly read: (o: ApiObject, json: Json) => T;
}

const istio = (kind: string) => (o: ApiObject) => o.kind === kind && o.apiVersion.startsWith('networking.istio.io/');
const READERS = {
  virtualServices: { kind: VIRTUAL_SERVICES, objectOf: (f) => f.object, matches: istio('VirtualService'), read: virtualServiceFact } as KindReader<VirtualServiceFact>,
  destinationRules: { kind: DESTINATION_RULES, objectOf: (f) => f.object, matches: istio('DestinationRule'), read: destinationRuleFact } as KindReader<DestinationRuleFact>,
  ingresses: {
    kind: INGRESSES, objectOf: (f) => f.object, matches: (o) => o.kind === 'Ingress' && o.apiVersion === 'networking.k8s.io/v1', read: ingressFact,
  } as KindReader<IngressFact>,
  namespaces: { kind: NAMESPACES, objectOf: (f) => f.object, matches: (o) => o.kind === 'Namespace' && o.apiVersion === 'v1', read: namespaceFact } as KindReader<NamespaceFact>,
} as const;

/**
 * The app's traffic objects. The registered facts of each object (the latest, when a construct registered
 * it again after a change) are taken as they are; only an object that no construct registered is rendered.
 * Objects no longer in the tree are left out.
 */
export const TRAFFIC_OBJECTS = new Derivation<TrafficObjects>('traffic objects', (registry) => {
  const objects = registry.apiObjects();
  const read = <T>(reader: KindReader<T>): T[] => {
    const registered = latestByObject(registry, reader);
    const out: T[] = [];
    for (const o of objects) {
      const mine = registered.get(o);
      if (mine !== undefined) {
        out.push(mine);
      } else if (reader.matches(o)) {
        const json = tryRender(o);
        if (json !== undefined) out.push(reader.read(o, json));
      }
    }
    return out;
  };
  const podTemplates = new Map<ApiObject, PodTemplateFact>();
  for (const { fact } of registry.facts(POD_TEMPLATES)) podTemplates.set(fact.workload, fact);
  return {
    virtualServices: read(READERS.virtualServices),
    destinationRules: read(READERS.destinationRules),
    ingresses: read(READERS.ingresses),
    namespaces: read(READERS.namespaces),
    podTemplates,
  };
}, { readsObjects: true });

function latestByObject<T>(registry: AppRegistry, reader: KindReader<T>): Map<ApiObject, T> {
  const latest = new Map<ApiObject, T>();
  for (const { fact } of registry.facts(reader.kind)) latest.set(reader.objectOf(fact), fact);
  return latest;
}

/** The pod template of `workload`: its registered fact, or read from the rendered object (a hand-written workload). */
export function podTemplateOf(traffic: TrafficObjects, workload: ApiObject): { readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> } {
  const registered = traffic.podTemplates.get(workload);
  if (registered) return registered;
  return tryRender(workload)?.spec?.template?.metadata ?? {};
}

/** True when a VirtualService/DestinationRule `host` (seen from `fromNamespace`) names the Service. */
export function hostIsService(host: unknown, fromNamespace: string | undefined, svc: ServiceRef): boolean {
  if (typeof host !== 'string') return false;
  if (host === svc.name) return fromNamespace === svc.namespace;
  if (svc.namespace === undefined) return false;
  const base = `${svc.name}.${svc.namespace}`;
  return host === base || host === `${base}.svc` || host === `${base}.svc.cluster.local`;
}

/** A Service, by name and namespace (`undefined`: the kubectl context's). */
export interface ServiceRef {
  /** Service name. */
  readonly name: string;
  /** Service namespace. */
  readonly namespace?: string;
}
