// What the app-wide rules of StickyIngress (lib/sticky/rules/) know about each StickyIngress: registered
// when it is created, and again when a path is added (the latest fact counts); and helpers they share.
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ValidationError } from '../core/errors';
import { AppRegistry, Derivation, FactKind } from '../registry';
import { IngressRouting, StickyRouting } from '../routing/affinity-model';
import type { IngressFact } from '../routing/traffic-facts';

/** What the app-wide rules need to know about one StickyIngress. */
export interface StickyIngressFact {
  /** `StickyIngress '<name>'`, for errors. */
  readonly owner: string;
  /** Its routing model (the paths added so far). */
  readonly routing: StickyRouting;
  /** Its main backend's workload, when the backend has one (a WebApp's Deployment): whether its pods are in the mesh. */
  readonly workload?: ApiObject;
  /** The user's word on mesh injection (`undefined`: discover it). */
  readonly meshInjected?: boolean;
  /** Its Ingress, if any. */
  readonly ingress?: ApiObject;
  /** Its Ingress's ingress-nginx affinity annotations, as one string (see affinityOf), if it has an Ingress. */
  readonly ingressAffinity?: string;
  /** Its rules-less default-backend Ingress, if any. */
  readonly defaultBackendIngress?: ApiObject;
  /** Its DestinationRules (hash affinity), one per Service of {@link StickyRouting.services}. */
  readonly destinationRules: readonly ApiObject[];
  /** Whether it renders the built-in 404 backend (a catch-all of its Ingress class). */
  readonly notFoundBackend: boolean;
}
/** See {@link StickyIngressFact}: registered by each StickyIngress, again when a path is added (the latest counts). */
export const STICKY_INGRESSES = new FactKind<StickyIngressFact>('StickyIngress');

/** Each StickyIngress of the app with its latest fact, in the order they were first registered. */
export const STICKY_INGRESS_FACTS = new Derivation<ReadonlyMap<IConstruct, StickyIngressFact>>('StickyIngresses', (registry: AppRegistry) => {
  const latest = new Map<IConstruct, StickyIngressFact>();
  for (const { owner, fact } of registry.facts(STICKY_INGRESSES)) latest.set(owner, fact);
  return latest;
});

/** A rule's error message: `<owner>: <problem>; <fix>`, as a failed check words it. */
export function errorMessage(owner: string, problem: string, fix: string): string {
  return new ValidationError(owner, problem, fix).message;
}

/**
 * The Ingresses other than `s`'s own that the same controller may serve (same class, or either without
 * one) in `namespace` (`null`: any namespace).
 */
export function otherIngressesOfClass(ingresses: readonly IngressFact[], s: StickyIngressFact, namespace: string | undefined | null, className: string | undefined): IngressFact[] {
  return ingresses.filter((i) => i.object !== s.ingress && i.object !== s.defaultBackendIngress
    && (namespace === null || i.namespace === namespace)
    && (i.className === undefined || className === undefined || i.className === className));
}

/** The nginxCookie StickyIngresses that render an Ingress, each with its Ingress routing. */
export function cookieIngresses(members: ReadonlyMap<IConstruct, StickyIngressFact>): Array<{ readonly sticky: IConstruct; readonly s: StickyIngressFact; readonly ingress: IngressRouting }> {
  return [...members].flatMap(([sticky, s]) => (s.routing.affinity.kind === 'cookie' && s.ingress && s.routing.ingress ? [{ sticky, s, ingress: s.routing.ingress }] : []));
}
