import { IGateway } from '../gateway/gateway';
import { PathType } from '../web-app';
import { IServiceBackend } from './backend';
import { DefaultBackend } from './default-backend';
import { StickyStrategy } from './strategy';

/** StickyIngress's properties. */

/** One path of the host, routed to a backend. */
export interface StickyPathOptions {
  /** URL path; starts with '/'. */
  readonly path: string;
  /**
   * The path is a regular expression (ingress-nginx `use-regex`, which then applies to every path of
   * the host). Needs `pathType: IMPLEMENTATION_SPECIFIC` and, with nginxCookie, an explicit cookie path.
   * @default false
   */
  readonly regex?: boolean;
  /** @default PathType.PREFIX, or PathType.IMPLEMENTATION_SPECIFIC for a regex path */
  readonly pathType?: PathType;
  /** @default - the StickyIngress's backend */
  readonly backend?: IServiceBackend;
  /** Service port number or name of this path's backend. @default - the StickyIngress's port when the backend is the same, else the Service's first port */
  readonly port?: number | string;
}

/** Properties of a {@link StickyIngress}. */
export interface StickyIngressProps {
  /** The app that needs sticky sessions. */
  readonly backend: IServiceBackend;
  /** Service port (number or name) to route to. @default - the Service's first port */
  readonly port?: number | string;
  /** Which layer keeps the client on one pod. */
  readonly strategy: StickyStrategy;
  /**
   * Host name: a lowercase DNS name or a single leading wildcard (`*.example.com`). Required for
   * nginxCookie; optional for istioConsistentHash (without it only in-mesh callers are sticky and no
   * Ingress is rendered); not allowed for clientIp (nothing in front of the Service may rewrite the
   * client IP).
   * @default - no Ingress
   */
  readonly host?: string;
  /**
   * The Gateway API Gateway the host is served through (StickyStrategy.gatewayApiCookie only, and
   * required there): a {@link Gateway} of this app, whose listeners are checked to accept the host and
   * the StickyIngress's namespace, or `Gateway.fromGatewayName(name, namespace)`.
   * @default - no Gateway (an Ingress, or nothing in front)
   */
  readonly gateway?: IGateway;
  /** With `gateway`: attach to this listener only (`parentRefs[].sectionName`), e.g. `'https'`. @default - every listener that accepts the route */
  readonly sectionName?: string;
  /** The host's first path, to `backend`. @default '/' */
  readonly path?: string;
  /** Further paths, each to its own backend if wanted. More can be added with {@link StickyIngress.addPath}. @default - none */
  readonly paths?: StickyPathOptions[];
  /** Ingress name. @default - derived from the construct id */
  readonly name?: string;
  /**
   * `spec.ingressClassName`. For istioConsistentHash the cluster needs the IngressClass `istio`
   * (`controller: istio.io/ingress-controller`).
   * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/kubernetes-ingress/
   * @default 'nginx' for nginxCookie, 'istio' for istioConsistentHash
   */
  readonly className?: string;
  /**
   * Terminate TLS for the host with this Secret (type `kubernetes.io/tls`). For the Istio ingress
   * gateway the Secret must live in the gateway's namespace (usually `istio-system`).
   * @default - no TLS
   */
  readonly tlsSecretName?: string;
  /**
   * TLS for the host ends in front of the Ingress controller (a cloud load balancer or CDN), so browsers
   * use HTTPS although the Ingress has no `tlsSecretName`. Needed for a `secure` cookie (and so for
   * `sameSite: None`) without `tlsSecretName`: browsers drop a Secure cookie that a plain-HTTP page sets,
   * and nothing would stick.
   * @default false
   */
  readonly tlsTerminatedUpstream?: boolean;
  /**
   * What answers requests that match no rule: requests to hosts no Ingress of the class defines (through
   * a separate rules-less Ingress, see {@link StickyIngress.defaultBackendIngress}) and, when no path
   * routes `/` as a prefix, this host's unmatched paths (`spec.defaultBackend` of the main Ingress).
   * @default - the controller's own default backend
   */
  readonly defaultBackend?: DefaultBackend;
  /** More Ingress annotations; they may not override the affinity annotations. @default - none */
  readonly annotations?: Record<string, string>;
  /**
   * Whether the backend's pods run an Istio sidecar (or ambient dataplane). Set it when the namespace
   * is labelled outside this app.
   * @default - detected from the construct tree at synth time (see {@link meshInjectionOf})
   */
  readonly meshInjected?: boolean;
}
