// Renders an Ingress spec.
import { Json, compact } from '../core';

/** How an Ingress path matches. @see https://kubernetes.io/docs/concepts/services-networking/ingress/#path-types */
export enum PathType {
  /** Matches by URL path prefix split by '/'. */
  PREFIX = 'Prefix',
  /** Matches the exact URL path. */
  EXACT = 'Exact',
  /** Left to the IngressClass (e.g. regex paths in ingress-nginx). */
  IMPLEMENTATION_SPECIFIC = 'ImplementationSpecific',
}

/** A Service port an Ingress routes to. */
export interface IngressBackendModel {
  /** The Service's name (in the Ingress's namespace). */
  readonly serviceName: string;
  /** The Service port, by name or number. */
  readonly port: string | number;
}

/** One path of an Ingress rule. */
export interface IngressPathModel {
  /** URL path, starting with '/'. */
  readonly path: string;
  /** How the path matches. */
  readonly pathType: PathType;
  /** Where matching requests go. */
  readonly backend: IngressBackendModel;
}

/** The paths of one host. */
export interface IngressRuleModel {
  /** @default - every host */
  readonly host?: string;
  /** The paths, in order. */
  readonly paths: readonly IngressPathModel[];
}

/** TLS termination for some hosts. */
export interface IngressTlsModel {
  /** The hosts the certificate covers. */
  readonly hosts: readonly string[];
  /** The kubernetes.io/tls Secret. */
  readonly secretName: string;
}

/** A validated Ingress. */
export interface IngressModel {
  /** `spec.ingressClassName`. @default - the cluster's default IngressClass */
  readonly className?: string;
  /** Where requests no rule matches go. @default - none */
  readonly defaultBackend?: IngressBackendModel;
  /** @default - none */
  readonly rules?: readonly IngressRuleModel[];
  /** @default - none */
  readonly tls?: readonly IngressTlsModel[];
}

/** Renders an Ingress `backend` (`service.port.name` for a name, `service.port.number` for a number). */
export function renderIngressBackend(b: IngressBackendModel): Json {
  return { service: { name: b.serviceName, port: typeof b.port === 'number' ? { number: b.port } : { name: b.port } } };
}

/** Renders the `spec` of an Ingress. */
export function renderIngressSpec(i: IngressModel): Json {
  return compact({
    ingressClassName: i.className,
    defaultBackend: i.defaultBackend && renderIngressBackend(i.defaultBackend),
    rules: i.rules?.map((r) => compact({
      host: r.host,
      http: { paths: r.paths.map((p) => ({ path: p.path, pathType: p.pathType, backend: renderIngressBackend(p.backend) })) },
    })),
    tls: i.tls?.length ? i.tls.map((t) => ({ hosts: [...t.hosts], secretName: t.secretName })) : undefined,
  });
}
