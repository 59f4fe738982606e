// The props and option types of WebApp and its methods.
import { Duration } from 'cdk8s';
import {
  Capability, ExternalTrafficPolicy, ImagePullPolicy, PathType, Protocol, Resources, SeccompProfile, ServiceType, VolumeAccessMode, WorkloadKind,
} from '../k8s';
import type { DisruptionBudget } from './disruption-budget';
import type { EnvFrom, EnvValue } from './env';
import type { Probe } from './probe';
import type { TopologySpread } from './topology-spread';
import type { WebApp } from './webapp';

/** A metrics exporter sidecar added next to the app container. */
export enum MetricsExporter {
  /**
   * `nginx/nginx-prometheus-exporter` on port 9113, scraping the app's `stub_status` page, plus the
   * `prometheus.io/*` scrape annotations on the pods.
   */
  NGINX = 'nginx',
}

/** How the workload replaces its pods when the pod template changes. */
export enum UpdateStrategy {
  /**
   * Replace the pods progressively: a Deployment starts new pods first (`maxSurge`, `maxUnavailable: 0`),
   * a StatefulSet replaces one pod at a time (`updateStrategy: RollingUpdate`).
   */
  ROLLING_UPDATE = 'RollingUpdate',
  /**
   * Deployment only: stop every old pod before starting the new ones (`strategy: { type: Recreate }`),
   * for pods that cannot run side by side, such as pods mounting one ReadWriteOnce volume (a new pod on
   * another node would wait for the old one to release it). Each rollout has downtime.
   */
  RECREATE = 'Recreate',
}

/**
 * A StatefulSet claim template: the StatefulSet controller creates one PersistentVolumeClaim
 * `<name>-<pod name>` per pod and keeps it when the pod is replaced. Mount it in the app container
 * with {@link WebApp.addVolumeMount}(name, ...).
 */
export interface VolumeClaimTemplate {
  /** The template's name (DNS-1123 label), which mounts refer to. */
  readonly name: string;
  /** Storage each claim requests (a quantity such as `'10Gi'`). */
  readonly storage: string;
  /** @default [VolumeAccessMode.READ_WRITE_ONCE] */
  readonly accessModes?: VolumeAccessMode[];
  /** `storageClassName` (a DNS-1123 subdomain). @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** Labels on each claim. @default - none */
  readonly labels?: Record<string, string>;
}

/** One container port and how the Service exposes it. */
export interface PortOptions {
  /** The port the container listens on. */
  readonly containerPort: number;
  /**
   * Port name (IANA service name, at most 15 chars). Istio infers the protocol from a `http`, `http2`,
   * `https`, `grpc`, `tcp`, `tls`, `mongo`, `mysql`, `redis` name or `<protocol>-<suffix>`.
   * @default 'http' for the first port, `<protocol>-<containerPort>` for the others
   */
  readonly name?: string;
  /** @default Protocol.TCP */
  readonly protocol?: Protocol;
  /** `appProtocol` on the Service port (e.g. `http`, `kubernetes.io/h2c`). @default - none (inferred from the name) */
  readonly appProtocol?: string;
  /**
   * The Service port, what clients call (`<name>:<servicePort>`). A number other than containerPort is marked
   * as intended on the Service (annotation `cdk8s-noops.io/intended-service-ports`), so `cdk8s-noops check`
   * does not warn about it.
   * @default containerPort (only the shorthand `port` gets 80)
   */
  readonly servicePort?: number;
  /** Fixed node port (30000-32767) for NodePort and LoadBalancer Services. @default - allocated by Kubernetes */
  readonly nodePort?: number;
}

/** A resolved port. */
export interface ResolvedPort {
  /** Container port. */
  readonly containerPort: number;
  /** Port name. */
  readonly name: string;
  /** Protocol. */
  readonly protocol: Protocol;
  /** appProtocol, if any. */
  readonly appProtocol?: string;
  /** Service port. */
  readonly servicePort: number;
  /** Node port, if fixed. */
  readonly nodePort?: number;
}

/** Options of {@link WebApp.exposeViaIngress}. */
export interface IngressOptions {
  /** Host name (a DNS name, not an IP address, or a single leading wildcard such as `*.example.com`). @default - every host */
  readonly host?: string;
  /** URL path; must start with '/'. @default '/' */
  readonly path?: string;
  /** @default PathType.PREFIX */
  readonly pathType?: PathType;
  /** `spec.ingressClassName` (a DNS-1123 subdomain, e.g. `nginx`). @default - the cluster's default IngressClass */
  readonly className?: string;
  /** Terminate TLS for the host with this Secret (type kubernetes.io/tls; a DNS-1123 subdomain). @default - no TLS */
  readonly tlsSecretName?: string;
  /** Annotations on the Ingress (keys are qualified names). @default - none */
  readonly annotations?: Record<string, string>;
}

/** A custom per-pod metric for the HPA (e.g. requests per second from a Prometheus adapter). */
export interface PodsMetric {
  /** Metric name as the custom metrics API serves it (e.g. `nginx_http_requests_per_second`); not empty, no '/' or '%'. */
  readonly name: string;
  /** Target average value per pod, as a positive quantity (e.g. `'100'` or `'500m'`). */
  readonly averageValue: string;
}

/** HorizontalPodAutoscaler (`autoscaling/v2`) settings. */
export interface AutoscalingOptions {
  /** @default 2 */
  readonly minReplicas?: number;
  /** Upper bound of replicas. */
  readonly maxReplicas: number;
  /** Target average CPU utilisation in percent of the CPU request. @default 70 when no podsMetric is given */
  readonly cpuUtilization?: number;
  /** A custom Pods metric. @default - none */
  readonly podsMetric?: PodsMetric;
  /** How long the HPA waits before scaling down; at most one hour (Kubernetes' limit). @default Duration.minutes(5) (Kubernetes' default) */
  readonly scaleDownStabilization?: Duration;
}

/** Options of {@link WebApp.isolate}. */
export interface IsolateOptions {
  /**
   * Deny ingress except from declared peers. `isolate({ egress: true })` isolates ingress too unless
   * `ingress: false` is given. An app isolated with no ingress peer at all cannot be exposed through
   * {@link WebApp.exposeViaIngress} or a NodePort/LoadBalancer Service: synth fails until a peer (the
   * Ingress controller's namespace, or the clients' ipBlock) is allowed with {@link WebApp.allowFrom}.
   * @default true
   */
  readonly ingress?: boolean;
  /** Deny egress except to declared peers (DNS to kube-dns stays allowed). @default false */
  readonly egress?: boolean;
}

/** Options of an init container added with {@link WebApp.addInitContainer}. */
export interface InitContainerOptions {
  /** Container name (DNS-1123 label). */
  readonly name: string;
  /** Image with a pinned tag or digest. */
  readonly image: string;
  /** @default - the image's entrypoint */
  readonly command?: string[];
  /** @default - none */
  readonly args?: string[];
  /** @default - none */
  readonly env?: Record<string, string | EnvValue>;
  /** @default HELPER_RESOURCES */
  readonly resources?: Resources;
}

/** Properties of a {@link WebApp}. */
export interface WebAppProps {
  /**
   * Name of the workload (Deployment or StatefulSet), the Service and the container: other pods reach
   * the app at `http://<name>`.
   * Must be a DNS-1035 label.
   * @default - derived from the construct id (lowercased, other characters replaced by '-')
   */
  readonly name?: string;
  /** Namespace. @default - the chart's namespace */
  readonly namespace?: string;
  /** Container image with a pinned tag or digest. */
  readonly image: string;
  /** Accept `latest` or untagged images. @default false */
  readonly allowMutableImageTag?: boolean;
  /** @default ImagePullPolicy.IF_NOT_PRESENT */
  readonly imagePullPolicy?: ImagePullPolicy;
  /** Version label (`version`, `app.kubernetes.io/version`). @default - the image tag (or digest prefix) */
  readonly version?: string;
  /** Value of the `app` and `app.kubernetes.io/name` labels. @default - name */
  readonly appLabel?: string;
  /**
   * Include the `version` label in the Deployment and Service selectors. Needed when several
   * Deployments of one app run side by side (CanaryRelease sets it). Leave it off for a single
   * Deployment whose version changes: a Deployment's selector is immutable.
   * @default false
   */
  readonly selectVersion?: boolean;
  /** `app.kubernetes.io/part-of` label. @default - none */
  readonly partOf?: string;
  /** Entrypoint override. @default - the image's entrypoint */
  readonly command?: string[];
  /** Arguments. @default - the image's cmd */
  readonly args?: string[];

  /** Shorthand for one HTTP port: named 'http', served on Service port 80. Exclusive with `ports`. @default - see ports */
  readonly port?: number;
  /** Container ports, each served on its own number unless `servicePort` says otherwise. The first is the main port (probes, Ingress). @default - none; then createService must be false */
  readonly ports?: PortOptions[];
  /** Render a Service. A worker without ports must say `createService: false` explicitly. @default true */
  readonly createService?: boolean;
  /** @default ServiceType.CLUSTER_IP */
  readonly serviceType?: ServiceType;
  /** Client CIDRs allowed through a LoadBalancer. @default - everyone */
  readonly loadBalancerSourceRanges?: string[];
  /** For NodePort and LoadBalancer Services. @default - Kubernetes' default (Cluster) */
  readonly externalTrafficPolicy?: ExternalTrafficPolicy;
  /** Annotations on the Service. @default - none */
  readonly serviceAnnotations?: Record<string, string>;

  /**
   * The workload: a Deployment, or a StatefulSet (stable pod names, one pod at a time, claims per pod
   * from `volumeClaimTemplates`; the Service, if any, is its `serviceName`).
   * @default WorkloadKind.DEPLOYMENT
   */
  readonly workloadKind?: WorkloadKind;
  /**
   * StatefulSet only: PersistentVolumeClaims each pod gets (names DNS-1123 labels, storage a quantity);
   * mount them with {@link WebApp.addVolumeMount}. An error on a Deployment, whose pods would share one claim.
   * @default - none
   */
  readonly volumeClaimTemplates?: VolumeClaimTemplate[];
  /**
   * How the pods are replaced on an update. `RECREATE` is for a Deployment only (a StatefulSet always
   * replaces one pod at a time), and takes no `maxSurge`.
   * @default UpdateStrategy.ROLLING_UPDATE
   */
  readonly updateStrategy?: UpdateStrategy;
  /**
   * The pod's own host name (`spec.hostname`, a DNS-1123 label), what the app sees as its host name. Not
   * a DNS name others resolve. An error on a StatefulSet, whose controller names each pod's host after the pod.
   * @default - the pod's name
   */
  readonly hostname?: string;
  /** The app container's working directory (an absolute path). @default - the image's */
  readonly workingDir?: string;
  /**
   * Node labels a node must have to run the pods (`spec.nodeSelector`), e.g.
   * `{ 'kubernetes.io/arch': 'amd64' }` for an image built for one architecture. Keys and values must be
   * valid label keys and values.
   * @default - none (any node)
   */
  readonly nodeSelector?: Record<string, string>;
  /**
   * Extra labels of the pods (not of the workload or its selector), e.g. for NetworkPolicies that
   * select pods by a group label. They cannot replace the labels WebApp sets (`app`, `version`,
   * `app.kubernetes.io/*`).
   * @default - none
   */
  readonly extraPodLabels?: Record<string, string>;

  /** Fixed replica count (exclusive with `autoscaling`). @default 2 */
  readonly replicas?: number;
  /** HorizontalPodAutoscaler; when set, `spec.replicas` is left to the HPA. @default - fixed replicas */
  readonly autoscaling?: AutoscalingOptions;
  /** @default DisruptionBudget.maxUnavailable(1) when more than one replica is possible, otherwise none */
  readonly disruptionBudget?: DisruptionBudget;
  /**
   * The PodDisruptionBudget's `unhealthyPodEvictionPolicy`: `AlwaysAllow` lets a node drain evict pods
   * that run but are not Ready (with `IfHealthyBudget`, a crash-looping pod blocks the drain forever).
   * @default 'AlwaysAllow'
   * @see https://kubernetes.io/docs/tasks/run-application/configure-pdb/#unhealthy-pod-eviction-policy
   */
  readonly unhealthyPodEvictionPolicy?: 'AlwaysAllow' | 'IfHealthyBudget';
  /**
   * How the pods are spread over nodes and zones (`topologySpreadConstraints`).
   * @default TopologySpread.nodesAndZones(): across nodes and zones, ScheduleAnyway, when more than one replica is possible
   */
  readonly topologySpread?: TopologySpread;
  /**
   * Pods created above the desired count during a rollout: an integer >= 1 or a percentage such as
   * `'25%'` (rounded up). Never 0: `maxUnavailable` is always 0, and a rollout needs room for one new pod.
   * A Deployment's RollingUpdate only: an error with a StatefulSet or `UpdateStrategy.RECREATE`.
   * @default '25%'
   */
  readonly maxSurge?: number | string;
  /**
   * Seconds a new pod must be ready before it counts as available; less than 600 (the Deployment's
   * default `progressDeadlineSeconds`, which must be greater).
   * @default Duration.seconds(5)
   */
  readonly minReady?: Duration;
  /**
   * Sleep before SIGTERM (kubelet `preStop.sleep`, Kubernetes >= 1.30) so Services and load balancers
   * stop sending traffic before the app stops. `Duration.seconds(0)` disables it.
   * @default Duration.seconds(5)
   */
  readonly preStopSleep?: Duration;
  /** @default Duration.seconds(30) */
  readonly terminationGracePeriod?: Duration;

  /** Required when the main port is UDP or SCTP (probes connect over TCP). @default Probe.tcp() on the main port */
  readonly readiness?: Probe;
  /** @default - none */
  readonly liveness?: Probe;
  /** @default - none */
  readonly startup?: Probe;

  /**
   * Environment variables; strings are literal values. JavaScript callers may also pass finite numbers
   * and booleans, rendered as strings (`8080` → `'8080'`); any other non-string is an error.
   * @default - none
   */
  readonly env?: Record<string, string | EnvValue>;
  /** Whole Secrets/ConfigMaps as env. @default - none */
  readonly envFrom?: EnvFrom[];
  /**
   * Merged field by field over the chart's defaults ({@link WebAppDefaults}) and the library's.
   * @default { cpu: { request: '100m', limit: '1' }, memory: { request: '128Mi', limit: '256Mi' }, ephemeralStorage: { request: '128Mi', limit: '1Gi' } }
   */
  readonly resources?: Resources;

  /**
   * Numeric user id.
   * @default - the chart's default ({@link WebAppDefaults}), else the user of a well-known image (its image
   * profile, e.g. 101 for `nginx`, 999 for `redis`; see the README's image profiles), else 10001
   */
  readonly runAsUser?: number;
  /** Numeric group id. @default - the chart's default, else the image profile's group when its user is used, else runAsUser */
  readonly runAsGroup?: number;
  /** Group owning mounted volumes. @default - runAsGroup */
  readonly fsGroup?: number;
  /**
   * Relaxation: let the image run as root (drops `runAsNonRoot`). With `readOnlyRootFilesystem: false`, the
   * way to run an image whose profile says it needs root (e.g. `gitlab/gitlab-ce`), which is refused otherwise.
   * @default false
   */
  readonly allowRunAsRoot?: boolean;
  /** Relaxation: a writable root filesystem. @default true */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Absolute paths mounted as emptyDir so a read-only image can still write there; replaces the default list.
   * @default - the directories a well-known image writes (its image profile, e.g. `/var/cache/nginx`, `/var/run`
   * and `/tmp` for `nginx`), else ['/tmp']
   */
  readonly writablePaths?: string[];
  /**
   * `sizeLimit` of every emptyDir of the pod that is given none (`writablePaths`, {@link WebApp.addEmptyDir}):
   * past it the kubelet evicts the pod rather than let it fill the node's disk.
   * @default '1Gi' (or the chart's {@link WebAppDefaultsProps.emptyDirSizeLimit})
   */
  readonly emptyDirSizeLimit?: string;
  /** Relaxation: allow setuid binaries to gain privileges. @default false */
  readonly allowPrivilegeEscalation?: boolean;
  /** Relaxation: capabilities added back after dropping ALL (restricted allows only NET_BIND_SERVICE). @default - none */
  readonly addCapabilities?: Capability[];
  /** Relaxation: another seccomp profile. @default SeccompProfile.runtimeDefault() */
  readonly seccompProfile?: SeccompProfile;
  /**
   * Set the pod sysctl `net.ipv4.ip_unprivileged_port_start=0` so the non-root app can bind a port below
   * 1024 (e.g. an image that listens on 80). It is namespaced and on Kubernetes' safe list, so Pod
   * Security "restricted" allows it; containerd and CRI-O do not lower it by default.
   * @default true when a container port is below 1024 and the pod runs as non-root
   */
  readonly unprivilegedPortSysctl?: boolean;
  /** Relaxation: mount the service account token. @default false */
  readonly automountServiceAccountToken?: boolean;
  /** Create a dedicated ServiceAccount named like the app (token not mounted by default). @default false */
  readonly createServiceAccount?: boolean;
  /** Use an existing ServiceAccount (a DNS-1123 subdomain; exclusive with createServiceAccount). @default - the namespace's default */
  readonly serviceAccountName?: string;

  /** Add a metrics exporter sidecar and scrape annotations. @default - none */
  readonly metricsExporter?: MetricsExporter;
  /** Path of nginx's stub_status page, for MetricsExporter.NGINX. @default '/stub_status' */
  readonly stubStatusPath?: string;
  /** Annotations on the pods (keys are qualified names such as `example.com/team`). @default - none */
  readonly podAnnotations?: Record<string, string>;
  /**
   * Default-deny networking: a NetworkPolicy named like the app isolates its pods' ingress and egress,
   * allowing DNS (kube-dns, UDP and TCP 53), what the app declares ({@link WebApp.allowFrom},
   * {@link WebApp.allowTo}), what the constructs that use it declare for it (a MySqlBinding's database,
   * a CanaryRelease's or StickyIngress's gateway or Ingress controller), its own exposure (the Ingress
   * controller's namespace after {@link WebApp.exposeViaIngress}; every client on the Service's ports
   * for a NodePort or LoadBalancer Service), and the Istio data plane of its namespace when that is a
   * {@link MeshNamespace} (istiod for sidecars; HBONE port 15008 and the probe address in ambient
   * mode); nothing else. `false`: no NetworkPolicy unless {@link WebApp.isolate}, allowFrom or allowTo
   * asks for one.
   * @default true (or the chart's {@link WebAppDefaultsProps.networkIsolation})
   */
  readonly networkIsolation?: boolean;
  /**
   * The namespace of the Ingress controller whose pods may reach the app once it is exposed through
   * {@link WebApp.exposeViaIngress} or a StickyIngress, under `networkIsolation`.
   * @default 'ingress-nginx' (or the chart's {@link WebAppDefaultsProps.ingressControllerNamespace})
   */
  readonly ingressControllerNamespace?: string;
}
