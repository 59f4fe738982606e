// The model of a WebApp: its props validated into a readonly record at construction, and the state its
// methods (addEnv, addVolume, exposeViaIngress, setSessionAffinity...) change afterwards. The objects'
// specs are rendered from both at synth (see render.ts), so whatever a method adds is included.
import { Json } from '../core';
import {
  ClaimTemplateModel, ExternalTrafficPolicy, ImagePullPolicy, IngressPathModel, PodSecurityModel, ProbeModel, SecurityOptions, ServiceType, WorkloadKind,
} from '../k8s';
import { DisruptionBudget } from './disruption-budget';
import { HardeningModel } from './hardening';
import { ResolvedPort, UpdateStrategy } from './types';

/** A WebApp's props, validated; fixed at construction. */
export interface WebAppModel extends HardeningModel {
  /** `WebApp '<name>'`: how error messages name the app. */
  readonly owner: string;
  /** Name of the workload, the Service, the container and the other objects. */
  readonly name: string;
  /** Namespace (`undefined`: the kubectl context's). */
  readonly namespace: string | undefined;
  /** The namespace as given in props: the workload, Service, ServiceAccount, HPA and PDB leave it to their chart when it is not given. */
  readonly givenNamespace: string | undefined;
  /** The image. */
  readonly image: string;
  /** The image pull policy. */
  readonly imagePullPolicy: ImagePullPolicy;
  /** Entrypoint override (the props' own array, copied when rendered). */
  readonly command?: readonly string[];
  /** Arguments (the props' own array, copied when rendered). */
  readonly args?: readonly string[];
  /** The `version` label value. */
  readonly version: string;
  /** Labels the workload and Service select on. */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** Labels on the pods. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Labels on every object. */
  readonly objectLabels: Readonly<Record<string, string>>;
  /** Resolved container ports; the first is the main port. */
  readonly ports: readonly ResolvedPort[];
  /** Absolute paths that get an emptyDir each, in order. */
  readonly writablePaths: readonly string[];

  /** The workload's kind. */
  readonly workloadKind: WorkloadKind;
  /** How the workload replaces its pods (`RECREATE`: a Deployment only). */
  readonly updateStrategy: UpdateStrategy;
  /** A StatefulSet's claim templates (none for a Deployment). */
  readonly volumeClaimTemplates: readonly ClaimTemplateModel[];
  /** The pod's `spec.hostname` (a Deployment's only). */
  readonly hostname?: string;
  /** The app container's `workingDir`. */
  readonly workingDir?: string;
  /** The pods' `nodeSelector` (a copy of the props'). */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Fixed replicas, or `undefined` when an HPA owns the count. */
  readonly replicas: number | undefined;
  /** Lowest number of replicas the app can run with. */
  readonly minReplicas: number;
  /** Highest number of replicas the app can run with. */
  readonly maxReplicas: number;
  /** Rolling update surge. */
  readonly maxSurge: number | string;
  /** `minReadySeconds` (0: not rendered). */
  readonly minReadySeconds: number;
  /** `preStop.sleep` seconds (0: no preStop hook). */
  readonly preStopSeconds: number;
  /** `terminationGracePeriodSeconds`. */
  readonly terminationGracePeriodSeconds: number;
  /** The HPA, when autoscaling is set: its CPU target (absent when only a Pods metric is asked) and Pods metric. */
  readonly autoscaling?: {
    readonly cpuUtilization?: number;
    readonly podsMetric?: { readonly name: string; readonly averageValue: string };
    readonly scaleDownStabilizationSeconds?: number;
  };
  /** The disruption budget (`none`: no PodDisruptionBudget). */
  readonly disruptionBudget: DisruptionBudget;

  /** The Service type. */
  readonly serviceType: ServiceType;
  /** The Service, unless `createService: false`. */
  readonly service?: {
    /** Annotations (the props' own record, plus the intended-service-ports annotation when a port is remapped). */
    readonly annotations?: Record<string, string>;
    /** LoadBalancer source ranges (the props' own array). */
    readonly loadBalancerSourceRanges?: readonly string[];
  };

  /** Render a ServiceAccount named like the app. */
  readonly createServiceAccount: boolean;
  /** The pods' ServiceAccount (the created one, or an existing one). */
  readonly serviceAccountName?: string;
  /** Mount the ServiceAccount token. */
  readonly automountServiceAccountToken: boolean;

  /** The rendered resources of the app container. */
  readonly resources: Json;
  /** The app container's security options (helper containers derive theirs from them). */
  readonly security: SecurityOptions;
  /** The pod security context. */
  readonly podSecurity: PodSecurityModel;
  /** Probes. */
  readonly readiness?: ProbeModel;
  /** Probes. */
  readonly liveness?: ProbeModel;
  /** Probes. */
  readonly startup?: ProbeModel;
  /** Problems reported at synth rather than construction (so that a construct built on WebApp can first report its own). */
  readonly synthErrors: readonly string[];
}

/** What a WebApp's methods change after construction; read when the objects are rendered. */
export interface WebAppState {
  /** `env[]` entries of the app container. */
  readonly env: Json[];
  /** `envFrom[]` entries of the app container. */
  readonly envFrom: Json[];
  /** Init containers (rendered when added; {@link WebApp.addInitContainer} returns them). */
  readonly initContainers: Json[];
  /** Sidecars (the metrics exporter). */
  readonly sidecars: Json[];
  /** Pod `volumes[]`. */
  readonly volumes: Json[];
  /** `volumeMounts[]` of the app container. */
  readonly mounts: Json[];
  /** Pod annotations. */
  readonly podAnnotations: Record<string, string>;
  /** The Service's external traffic policy (setSessionAffinity sets Local). */
  externalTrafficPolicy?: ExternalTrafficPolicy;
  /** ClientIP session affinity timeout, once setSessionAffinity was called. */
  sessionAffinityTimeoutSeconds?: number;
  /** The Ingress's class, once given. */
  ingressClassName?: string;
  /** The Ingress's rules, one per host, in order. */
  readonly ingressRules: Array<{ readonly host?: string; readonly paths: IngressPathModel[] }>;
  /** The Ingress's TLS entries, one per Secret. */
  readonly ingressTls: Array<{ readonly hosts: string[]; readonly secretName: string }>;
}
