// Renders a pod template and the Deployment or StatefulSet spec around it.
import { Json, compact } from '../core';

/** The kind of workload that runs a set of pods (apiVersion apps/v1). */
export enum WorkloadKind {
  /** A Deployment: interchangeable pods, replaced by rolling updates. */
  DEPLOYMENT = 'Deployment',
  /**
   * A StatefulSet: pods with stable names (`<name>-0`, `<name>-1`...), started, stopped and updated one
   * at a time, each with PersistentVolumeClaims of its own made from the claim templates.
   */
  STATEFUL_SET = 'StatefulSet',
}

/** How a PersistentVolumeClaim's volume can be mounted. */
export enum VolumeAccessMode {
  /** Read-write by the pods of one node. */
  READ_WRITE_ONCE = 'ReadWriteOnce',
  /** Read-only by many nodes. */
  READ_ONLY_MANY = 'ReadOnlyMany',
  /** Read-write by many nodes (needs a StorageClass that supports it). */
  READ_WRITE_MANY = 'ReadWriteMany',
  /** Read-write by one pod only. */
  READ_WRITE_ONCE_POD = 'ReadWriteOncePod',
}

/** A validated StatefulSet claim template: each pod gets its own PersistentVolumeClaim `<name>-<pod name>`. */
export interface ClaimTemplateModel {
  /** The template's name, which the pod's containers mount it by. */
  readonly name: string;
  /** Labels on each claim. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Access modes (at least one). */
  readonly accessModes: readonly VolumeAccessMode[];
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** Storage requested (a quantity). */
  readonly storage: string;
}

/** The storage a PersistentVolumeClaim asks for (a claim template's or a PersistentVolumeClaim's `spec`). */
export type ClaimSpecModel = Pick<ClaimTemplateModel, 'accessModes' | 'storageClassName' | 'storage'>;

/** Renders the `spec` of a PersistentVolumeClaim (or of a claim template). */
export function renderClaimSpec(c: ClaimSpecModel): Json {
  return compact({ accessModes: [...c.accessModes], storageClassName: c.storageClassName, resources: { requests: { storage: c.storage } } });
}

/** Renders a StatefulSet `volumeClaimTemplates[]` entry. */
export function renderClaimTemplate(t: ClaimTemplateModel): Json {
  return {
    metadata: compact({ name: t.name, labels: t.labels && Object.keys(t.labels).length ? { ...t.labels } : undefined }),
    spec: renderClaimSpec(t),
  };
}

/** A validated pod template. Containers and volumes are taken in manifest form (see renderContainer). */
export interface PodTemplateModel {
  /** Pod labels (must include the workload's selector). */
  readonly labels: Readonly<Record<string, string>>;
  /** Pod annotations. @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** @default - Kubernetes' default (true) */
  readonly automountServiceAccountToken?: boolean;
  /** Inject Service environment variables. @default - Kubernetes' default (true) */
  readonly enableServiceLinks?: boolean;
  /** @default - the namespace's default ServiceAccount */
  readonly serviceAccountName?: string;
  /** The pod's host name (a Deployment's; a StatefulSet's controller names each pod's host after the pod). @default - the pod's name */
  readonly hostname?: string;
  /** Node labels the pod's node must have. @default - none (any node) */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Rendered `topologySpreadConstraints[]` entries (see renderTopologySpread). @default - none */
  readonly topologySpreadConstraints?: readonly Json[];
  /** The rendered pod `affinity` (see renderPreferredHostAntiAffinity). @default - none */
  readonly affinity?: Json;
  /** The rendered pod `securityContext` (see renderPodSecurityContext). @default - none */
  readonly securityContext?: Json;
  /** @default - Kubernetes' default (30) */
  readonly terminationGracePeriodSeconds?: number;
  /** @default - none */
  readonly initContainers?: readonly Json[];
  /** The containers; the first is the main one. */
  readonly containers: readonly Json[];
  /** @default - none */
  readonly volumes?: readonly Json[];
}

/** How a Deployment replaces its pods. A StatefulSet always rolls them one at a time (`RollingUpdate`). */
export type DeploymentStrategy =
  | { readonly type: 'RollingUpdate'; readonly maxSurge?: number | string; readonly maxUnavailable?: number | string }
  | { readonly type: 'Recreate' };

/** A validated workload: a Deployment or a StatefulSet of one pod template. */
export interface WorkloadModel {
  /** The workload's kind (apiVersion apps/v1). */
  readonly kind: 'Deployment' | 'StatefulSet';
  /** @default - Kubernetes' default (1), or left to an HPA */
  readonly replicas?: number;
  /** Seconds a new pod must be ready before it counts as available. @default - none */
  readonly minReadySeconds?: number;
  /** Old ReplicaSets or revisions kept for rollback. @default - Kubernetes' default (10) */
  readonly revisionHistoryLimit?: number;
  /** The labels the workload selects its pods by. */
  readonly selector: Readonly<Record<string, string>>;
  /** Deployment only. @default - Kubernetes' default (RollingUpdate 25%/25%) */
  readonly strategy?: DeploymentStrategy;
  /** StatefulSet only: the governing (headless) Service. @default - none */
  readonly serviceName?: string;
  /** StatefulSet only: `volumeClaimTemplates[]` entries. @default - none */
  readonly volumeClaimTemplates?: readonly Json[];
  /** The pods. */
  readonly template: PodTemplateModel;
}

/** Renders a pod template (`metadata` and `spec`). */
export function renderPodTemplate(t: PodTemplateModel): Json {
  return {
    metadata: compact({
      labels: { ...t.labels },
      annotations: t.annotations && Object.keys(t.annotations).length ? { ...t.annotations } : undefined,
    }),
    spec: compact({
      automountServiceAccountToken: t.automountServiceAccountToken,
      enableServiceLinks: t.enableServiceLinks,
      serviceAccountName: t.serviceAccountName,
      hostname: t.hostname,
      nodeSelector: t.nodeSelector && Object.keys(t.nodeSelector).length ? { ...t.nodeSelector } : undefined,
      affinity: t.affinity,
      topologySpreadConstraints: t.topologySpreadConstraints?.length ? [...t.topologySpreadConstraints] : undefined,
      securityContext: t.securityContext,
      terminationGracePeriodSeconds: t.terminationGracePeriodSeconds,
      initContainers: t.initContainers?.length ? [...t.initContainers] : undefined,
      containers: [...t.containers],
      volumes: t.volumes?.length ? [...t.volumes] : undefined,
    }),
  };
}

/** Renders the `spec` of a Deployment or StatefulSet. */
export function renderWorkloadSpec(w: WorkloadModel): Json {
  const deployment = w.kind === 'Deployment';
  const strategy = deployment && w.strategy
    ? (w.strategy.type === 'RollingUpdate'
      ? { type: 'RollingUpdate', rollingUpdate: compact({ maxSurge: w.strategy.maxSurge, maxUnavailable: w.strategy.maxUnavailable }) }
      : { type: 'Recreate' })
    : undefined;
  return compact({
    replicas: w.replicas,
    minReadySeconds: w.minReadySeconds || undefined,
    revisionHistoryLimit: w.revisionHistoryLimit,
    selector: { matchLabels: { ...w.selector } },
    serviceName: deployment ? undefined : w.serviceName,
    strategy,
    updateStrategy: deployment ? undefined : { type: 'RollingUpdate' },
    template: renderPodTemplate(w.template),
    volumeClaimTemplates: deployment || !w.volumeClaimTemplates?.length ? undefined : [...w.volumeClaimTemplates],
  });
}
