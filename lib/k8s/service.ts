// Renders a Service spec.
import { Json, compact } from '../core';
import { Protocol } from './container';

/** How the app's Service is exposed. @see https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types */
export enum ServiceType {
  /** A virtual IP reachable inside the cluster only. */
  CLUSTER_IP = 'ClusterIP',
  /** ClusterIP plus a port on every node (30000-32767). */
  NODE_PORT = 'NodePort',
  /** NodePort plus a cloud load balancer. */
  LOAD_BALANCER = 'LoadBalancer',
  /** No virtual IP (`clusterIP: None`): DNS returns the ready pods' IPs. */
  HEADLESS = 'Headless',
}

/** Where a NodePort/LoadBalancer Service may route external traffic. */
export enum ExternalTrafficPolicy {
  /** To any ready pod in the cluster; the client source IP is SNATed away. */
  CLUSTER = 'Cluster',
  /** Only to pods on the node that received the traffic; keeps the client source IP. */
  LOCAL = 'Local',
}

/** One port of a Service. */
export interface ServicePortModel {
  /** Port name. @default - none (allowed for a single port) */
  readonly name?: string;
  /** The Service port. */
  readonly port: number;
  /** The pods' port, by name or number. @default - port */
  readonly targetPort?: number | string;
  /** @default - Kubernetes' default (TCP) */
  readonly protocol?: Protocol;
  /** e.g. `http`, `kubernetes.io/h2c`. @default - none */
  readonly appProtocol?: string;
  /** Fixed node port (NodePort and LoadBalancer). @default - allocated by Kubernetes */
  readonly nodePort?: number;
}

/** A validated Service. */
export interface ServiceModel {
  /** `HEADLESS` renders `type: ClusterIP` with `clusterIP: None`. @default - Kubernetes' default (ClusterIP) */
  readonly type?: ServiceType | 'ExternalName';
  /** `None` for a headless Service without an explicit type. @default - allocated */
  readonly clusterIP?: string;
  /** For `type: ExternalName`: the DNS name the Service is a CNAME for. @default - none */
  readonly externalName?: string;
  /** The pods the Service routes to. @default - none (no Endpoints are managed) */
  readonly selector?: Readonly<Record<string, string>>;
  /** Ports. */
  readonly ports: readonly ServicePortModel[];
  /** NodePort and LoadBalancer only. @default - Kubernetes' default (Cluster) */
  readonly externalTrafficPolicy?: ExternalTrafficPolicy;
  /** ClientIP session affinity with this timeout (1-86400 seconds). @default - none */
  readonly sessionAffinityTimeoutSeconds?: number;
  /** LoadBalancer only: the client CIDRs allowed. @default - everyone */
  readonly loadBalancerSourceRanges?: readonly string[];
  /** List pods in DNS and Endpoints before they are ready (a StatefulSet's governing Service). @default - Kubernetes' default (false) */
  readonly publishNotReadyAddresses?: boolean;
}

/** Renders a `ports[]` entry of a Service. */
export function renderServicePort(p: ServicePortModel): Json {
  return compact({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: p.protocol, appProtocol: p.appProtocol, nodePort: p.nodePort });
}

/** Renders the `spec` of a Service. */
export function renderServiceSpec(s: ServiceModel): Json {
  const headless = s.type === ServiceType.HEADLESS;
  const affinity = s.sessionAffinityTimeoutSeconds;
  return compact({
    type: headless ? ServiceType.CLUSTER_IP : s.type,
    clusterIP: headless ? 'None' : s.clusterIP,
    externalName: s.externalName,
    selector: s.selector ? { ...s.selector } : undefined,
    ports: s.ports.map(renderServicePort),
    externalTrafficPolicy: s.externalTrafficPolicy,
    sessionAffinity: affinity === undefined ? undefined : 'ClientIP',
    sessionAffinityConfig: affinity === undefined ? undefined : { clientIP: { timeoutSeconds: affinity } },
    loadBalancerSourceRanges: s.loadBalancerSourceRanges,
    publishNotReadyAddresses: s.publishNotReadyAddresses,
  });
}
