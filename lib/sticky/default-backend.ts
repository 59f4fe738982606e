import { Construct } from 'constructs';
import { fail, show } from '../core';
import { HELPER_RESOURCES, Probe, WebApp } from '../web-app';
import { IServiceBackend } from './backend';

/** What answers requests no Ingress rule matches: the built-in 404 backend, or an existing Service. */

/** The image of the built-in 404 backend: ingress-nginx's default backend (404 on every path, 200 on /healthz, port 8080). */
export const NOT_FOUND_BACKEND_IMAGE = 'registry.k8s.io/defaultbackend-amd64:1.5';
/** The port the 404 backend listens on. */
export const NOT_FOUND_BACKEND_PORT = 8080;
/** The uid the ingress-nginx chart runs the 404 backend as (`nobody`). */
const NOT_FOUND_BACKEND_UID = 65534;

/** Options of {@link DefaultBackend.notFound}. */
export interface NotFoundBackendOptions {
  /** @default 2 */
  readonly replicas?: number;
}

/**
 * What answers requests that no Ingress rule matches. StickyIngress wires it in the two places
 * ingress-nginx reads it (controller.go: an Ingress that "defines a backend but no rule" configures
 * the catch-all server; one that "defines both a backend and rules" uses it only as the default
 * upstream of its own hosts; kubernetes/ingress-nginx#8473):
 * - a separate Ingress `<name>-default-backend` with the same `ingressClassName`, no rules and only
 *   `spec.defaultBackend`: the catch-all for requests to hosts that no Ingress of the class defines.
 *   The catch-all is controller-wide: if several rules-less Ingresses of one class exist, ingress-nginx
 *   uses only the first (oldest) one;
 * - `spec.defaultBackend` of the main Ingress, only while some request path of the host is left
 *   unmatched (no path routes `/` as a prefix): it then answers this host's unmatched paths.
 */
export class DefaultBackend {
  /**
   * A built-in backend that answers 404 to everything (and 200 on `/healthz`): ingress-nginx's
   * `defaultbackend-amd64` image, pinned, run as a hardened WebApp named `<ingress>-default-backend`.
   */
  public static notFound(options: NotFoundBackendOptions = {}): DefaultBackend {
    return new DefaultBackend(undefined, undefined, options);
  }

  /** An existing backend (WebApp or any construct with a Service), on `port` (Service port number or name). */
  public static service(backend: IServiceBackend, port?: number | string): DefaultBackend {
    return new DefaultBackend(backend, port, {});
  }

  private constructor(
    /** The backend, or `undefined` for the built-in 404 backend. */
    public readonly backend: IServiceBackend | undefined,
    /** The Service port, if given. */
    public readonly port: number | string | undefined,
    /** Options of the built-in 404 backend. */
    public readonly notFoundOptions: NotFoundBackendOptions,
  ) {}
}

/**
 * Creates the built-in 404 backend `name` under `scope`: ingress-nginx's default backend image, pinned,
 * as a hardened WebApp in `namespace`, labelled part of `partOf`.
 */
export function renderNotFoundBackend(scope: Construct, owner: string, name: string, namespace: string | undefined, partOf: string, options: NotFoundBackendOptions): WebApp {
  if (options.replicas !== undefined && (!Number.isInteger(options.replicas) || options.replicas < 1)) {
    fail(owner, `DefaultBackend.notFound replicas ${show(options.replicas)} is not a whole number >= 1`, 'use 1 or more (2 by default): with none, the controller answers unknown hosts with 503, not 404');
  }
  return new WebApp(scope, 'DefaultBackend', {
    name,
    namespace,
    image: NOT_FOUND_BACKEND_IMAGE,
    replicas: options.replicas ?? 2,
    ports: [{ containerPort: NOT_FOUND_BACKEND_PORT, name: 'http', servicePort: 80 }],
    readiness: Probe.httpGet('/healthz'),
    // Not the readiness check again (kube-score container-probes-identical): restart only a server that stops accepting connections.
    liveness: Probe.tcp(),
    resources: HELPER_RESOURCES,
    runAsUser: NOT_FOUND_BACKEND_UID,
    writablePaths: [],
    partOf,
    // The image is built for amd64 only: keep it off arm64 nodes, where it would fail with "exec format error".
    nodeSelector: { 'kubernetes.io/arch': 'amd64' },
  });
}
