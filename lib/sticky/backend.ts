import { ApiObject } from 'cdk8s';
import { Json } from '../k8s-object';
import { fail, show } from '../core';
import { ServiceType } from '../k8s';
import { WebApp } from '../web-app';
import { ServicePortRef } from '../routing/affinity-model';

/**
 * The backends a StickyIngress routes to, read from their rendered Service objects: what it needs to
 * know about a Service (name, namespace, type, ports) before it puts one into the model.
 */

/**
 * Anything that exposes a Kubernetes Service: a {@link WebApp}, a CanaryRelease, or any construct with
 * a `service` ApiObject. StickyIngress reads the Service's name, namespace, type and ports from the
 * rendered object, so it needs nothing else. With {@link StickyStrategy.clientIp}, the affinity must be
 * set on the Service itself: a WebApp's is set through {@link WebApp.setSessionAffinity}; any other
 * backend's Service object is edited (`sessionAffinity`, `sessionAffinityConfig`, and
 * `externalTrafficPolicy: Local` for NodePort and LoadBalancer) with JSON patches.
 */
export interface IServiceBackend {
  /** The Service. A backend without one (`createService: false`) cannot be routed to. */
  readonly service?: ApiObject;
}

/** One port of a backend Service. */
export interface ServicePortInfo {
  /** Port name, if any. */
  readonly name?: string;
  /** Service port. */
  readonly port: number;
  /** targetPort, if set. */
  readonly targetPort?: number | string;
  /** appProtocol, if set. */
  readonly appProtocol?: string;
  /** `TCP` (the default), `UDP` or `SCTP`. */
  readonly protocol?: string;
  /** The container port behind it, when known (a numeric targetPort, or a WebApp's named port). */
  readonly containerPort?: number;
}

/** What StickyIngress needs to know about a backend Service (read from its rendered object). */
export interface ServiceInfo {
  /** The backend construct. */
  readonly backend: IServiceBackend;
  /** Its Service object. */
  readonly api: ApiObject;
  /** Service name. */
  readonly name: string;
  /** Service namespace. */
  readonly namespace?: string;
  /** Service type (`ClusterIP` by default). */
  readonly type: string;
  /** `clusterIP: None`. */
  readonly headless: boolean;
  /** The ports. */
  readonly ports: readonly ServicePortInfo[];
  /** externalTrafficPolicy, if set. */
  readonly externalTrafficPolicy?: string;
}

/** Reads `backend`'s Service (named `prop` in errors), or fails when it has none or it exposes no ports. */
export function describeService(owner: string, prop: string, backend: IServiceBackend): ServiceInfo {
  const api = backend.service;
  if (!api) fail(owner, `${prop} has no Service`, 'give the backend a port and keep createService (an Ingress routes to Services)');
  if (api.kind !== 'Service') fail(owner, `${prop} service is a ${api.kind}, not a Service`, 'pass a construct whose service is a v1 Service');
  const containerPort = (target: unknown): number | undefined => {
    if (typeof target === 'number') return target;
    return backend instanceof WebApp ? backend.ports.find((p) => p.name === target)?.containerPort : undefined;
  };
  // A WebApp describes its Service as data; only a Service the user built by hand is read from its JSON.
  const webApp = backend instanceof WebApp ? backend : undefined;
  const model = webApp?.serviceModel();
  const headless = model?.type === ServiceType.HEADLESS;
  const json: Json = webApp && model
    ? { metadata: { name: webApp.name, namespace: api.metadata.namespace }, spec: { ...model, type: headless ? ServiceType.CLUSTER_IP : model.type, clusterIP: headless ? 'None' : model.clusterIP } }
    : api.toJson();
  const spec = json.spec ?? {};
  const ports: ServicePortInfo[] = (spec.ports ?? []).map((p: Json) => ({
    name: p.name, port: p.port, targetPort: p.targetPort, appProtocol: p.appProtocol, protocol: p.protocol, containerPort: containerPort(p.targetPort ?? p.port),
  }));
  if (ports.length === 0) fail(owner, `${prop} Service '${json.metadata.name}' exposes no ports`, 'give the Service at least one port');
  return {
    backend,
    api,
    name: json.metadata.name,
    namespace: json.metadata.namespace,
    type: spec.type ?? 'ClusterIP',
    headless: spec.clusterIP === 'None',
    ports,
    externalTrafficPolicy: spec.externalTrafficPolicy,
  };
}

function describePorts(svc: ServiceInfo): string {
  return svc.ports.map((p) => (p.name ? `${p.port}/${p.name}` : String(p.port))).join(', ');
}

/** Finds the Service port `port` (number or name) names, or fails naming the ports the Service has. */
export function resolvePort(owner: string, prop: string, svc: ServiceInfo, port: number | string | undefined): ServicePortInfo {
  if (port === undefined) return svc.ports[0];
  const found = typeof port === 'number' ? svc.ports.find((p) => p.port === port) : svc.ports.find((p) => p.name === port);
  if (found) return found;
  const asTarget = svc.ports.find((p) => p.targetPort === port || (typeof port === 'number' && p.containerPort === port));
  const hint = asTarget ? ` (${show(port)} is the container port; the Service exposes it as ${asTarget.port}${asTarget.name ? `/${asTarget.name}` : ''})` : '';
  return fail(owner, `${prop} ${show(port)} is not a port of Service '${svc.name}', which exposes ${describePorts(svc)}${hint}`,
    `use one of the Service's ports: ${svc.ports.map((p) => (p.name ? `${p.port} or '${p.name}'` : String(p.port))).join(', ')}`);
}

/** A Service port of a described Service, as the model names it. */
export function portRef(svc: ServiceInfo, port: ServicePortInfo): ServicePortRef {
  return { service: svc.name, namespace: svc.namespace, port: port.port, portName: port.name };
}
