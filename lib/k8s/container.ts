// Renders a container: image, ports, env, resources, probes, security context and volume mounts.
import { Json, compact } from '../core';
import { ProbeModel, renderProbe } from './probe';

/** A port's transport protocol. */
export enum Protocol {
  /** TCP. */
  TCP = 'TCP',
  /** UDP. */
  UDP = 'UDP',
  /** SCTP. */
  SCTP = 'SCTP',
}

/** When the kubelet pulls the image. */
export enum ImagePullPolicy {
  /** Pull only when the image is not on the node (right for pinned tags and digests). */
  IF_NOT_PRESENT = 'IfNotPresent',
  /** Pull on every container start. */
  ALWAYS = 'Always',
  /** Never pull. */
  NEVER = 'Never',
}

/** A port a container declares. */
export interface ContainerPortModel {
  /** The port number. */
  readonly containerPort: number;
  /** The port name (IANA service name). @default - none */
  readonly name?: string;
  /** @default - Kubernetes' default (TCP) */
  readonly protocol?: Protocol;
}

/** Where a volume is mounted in a container (a `volumeMounts[]` entry without its name). */
export interface MountOptions {
  /** Absolute path in the container. */
  readonly mountPath: string;
  /** @default false */
  readonly readOnly?: boolean;
  /** Path inside the volume. @default - its root */
  readonly subPath?: string;
}

/** An env value read from key `key` of the Secret `secret` (an `env[]` entry without its name); `optional` only when given. */
export function secretEnvValue(secret: string, key: string, optional?: boolean): Json {
  return { valueFrom: { secretKeyRef: compact({ name: secret, key, optional }) } };
}

/** The `env[]` entry `name`, read from key `key` of the Secret `secret`. */
export function secretEnv(name: string, secret: string, key: string): Json {
  return { name, ...secretEnvValue(secret, key) };
}

/** A validated container. Entries already in manifest form (env, resources, security context) are taken as they are. */
export interface ContainerModel {
  /** Container name (DNS-1123 label). */
  readonly name: string;
  /** Image reference. */
  readonly image: string;
  /** @default - Kubernetes' default */
  readonly imagePullPolicy?: ImagePullPolicy;
  /** Entrypoint override. @default - the image's entrypoint */
  readonly command?: readonly string[];
  /** Arguments. @default - the image's cmd */
  readonly args?: readonly string[];
  /** Working directory (an absolute path). @default - the image's */
  readonly workingDir?: string;
  /** @default - none */
  readonly ports?: readonly ContainerPortModel[];
  /** `env[]` entries. @default - none */
  readonly env?: readonly Json[];
  /** `envFrom[]` entries. @default - none */
  readonly envFrom?: readonly Json[];
  /** The rendered `resources` (see renderResources). @default - none */
  readonly resources?: Json;
  /** @default - none */
  readonly readinessProbe?: ProbeModel;
  /** @default - none */
  readonly livenessProbe?: ProbeModel;
  /** @default - none */
  readonly startupProbe?: ProbeModel;
  /** The rendered `securityContext` (see restrictedSecurityContext). @default - none */
  readonly securityContext?: Json;
  /** `volumeMounts[]` entries (see {@link volumeMount}). @default - none */
  readonly volumeMounts?: readonly Json[];
  /** Seconds the container sleeps before SIGTERM (see {@link preStopSleep}; 0: none). @default - no preStop hook */
  readonly preStopSleepSeconds?: number;
}

/** Renders a `containers[]` or `initContainers[]` entry. */
export function renderContainer(c: ContainerModel): Json {
  return compact({
    name: c.name,
    image: c.image,
    imagePullPolicy: c.imagePullPolicy,
    command: c.command ? [...c.command] : undefined,
    args: c.args ? [...c.args] : undefined,
    workingDir: c.workingDir,
    ports: c.ports?.map((p) => compact({ containerPort: p.containerPort, name: p.name, protocol: p.protocol })),
    env: c.env?.length ? [...c.env] : undefined,
    envFrom: c.envFrom?.length ? [...c.envFrom] : undefined,
    resources: c.resources,
    readinessProbe: c.readinessProbe && renderProbe(c.readinessProbe),
    livenessProbe: c.livenessProbe && renderProbe(c.livenessProbe),
    startupProbe: c.startupProbe && renderProbe(c.startupProbe),
    securityContext: c.securityContext,
    volumeMounts: c.volumeMounts?.length ? [...c.volumeMounts] : undefined,
    lifecycle: c.preStopSleepSeconds ? preStopSleep(c.preStopSleepSeconds) : undefined,
  });
}

/** A `volumeMounts[]` entry. */
export function volumeMount(volumeName: string, mount: MountOptions): Json {
  return compact({ name: volumeName, ...mount });
}

/** Options of an emptyDir volume. */
export interface EmptyDirOptions {
  /** `Memory` for tmpfs. @default - the node's disk */
  readonly medium?: 'Memory';
  /** Size limit (a quantity). @default - none */
  readonly sizeLimit?: string;
}

/** A `volumes[]` entry for an emptyDir. */
export function emptyDirVolume(volumeName: string, options: EmptyDirOptions = {}): Json {
  return { name: volumeName, emptyDir: compact({ medium: options.medium, sizeLimit: options.sizeLimit }) };
}

/**
 * A container's `lifecycle` that sleeps `seconds` before SIGTERM (`preStop.sleep`, Kubernetes >= 1.30:
 * no `sleep` binary needed in the image), so Services and load balancers stop sending traffic first.
 */
export function preStopSleep(seconds: number): Json {
  return { preStop: { sleep: { seconds } } };
}
