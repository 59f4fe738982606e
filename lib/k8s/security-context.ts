// Renders container and pod security contexts.
import { Json, compact } from '../core';

/** A Linux capability name such as `NET_BIND_SERVICE` (the only one Pod Security "restricted" allows to add). */
export type Capability = string;

/** The seccomp profile of the pod and its containers. @see https://kubernetes.io/docs/tutorials/security/seccomp/ */
export class SeccompProfile {
  /** The container runtime's default profile (required by Pod Security "restricted"). */
  public static runtimeDefault(): SeccompProfile {
    return new SeccompProfile({ type: 'RuntimeDefault' });
  }

  /** A profile file on the node, relative to the kubelet's seccomp directory. */
  public static localhost(localhostProfile: string): SeccompProfile {
    return new SeccompProfile({ type: 'Localhost', localhostProfile });
  }

  /** No seccomp filtering. A relaxation: Pod Security "restricted" rejects it. */
  public static unconfined(): SeccompProfile {
    return new SeccompProfile({ type: 'Unconfined' });
  }

  private constructor(
    /** The rendered `seccompProfile` object. */
    public readonly spec: { readonly type: string; readonly localhostProfile?: string },
  ) {}
}

/** The default numeric user and group id (above 10000, so it never maps to a user in the image). */
export const DEFAULT_UID = 10001;

/** Options of {@link restrictedSecurityContext}. */
export interface SecurityOptions {
  /** @default DEFAULT_UID */
  readonly runAsUser?: number;
  /** @default - runAsUser */
  readonly runAsGroup?: number;
  /** @default false */
  readonly allowRunAsRoot?: boolean;
  /** @default true */
  readonly readOnlyRootFilesystem?: boolean;
  /** @default false */
  readonly allowPrivilegeEscalation?: boolean;
  /** @default - none */
  readonly addCapabilities?: Capability[];
  /** @default SeccompProfile.runtimeDefault() */
  readonly seccompProfile?: SeccompProfile;
}

/**
 * A container `securityContext` that meets Pod Security Standards "restricted" (unless relaxed through
 * the options): non-root numeric user, read-only root filesystem, no privilege escalation, every
 * capability dropped, RuntimeDefault seccomp.
 */
export function restrictedSecurityContext(options: SecurityOptions = {}): Json {
  const uid = options.runAsUser ?? DEFAULT_UID;
  const root = options.allowRunAsRoot ?? false;
  return compact({
    allowPrivilegeEscalation: options.allowPrivilegeEscalation ?? false,
    capabilities: compact({ add: options.addCapabilities?.length ? [...options.addCapabilities] : undefined, drop: ['ALL'] }),
    readOnlyRootFilesystem: options.readOnlyRootFilesystem ?? true,
    runAsGroup: options.runAsUser === undefined && root ? undefined : options.runAsGroup ?? uid,
    runAsNonRoot: root ? undefined : true,
    runAsUser: options.runAsUser === undefined && root ? undefined : uid,
    seccompProfile: (options.seccompProfile ?? SeccompProfile.runtimeDefault()).spec,
  });
}

/** A validated pod `securityContext`. */
export interface PodSecurityModel {
  /** @default - none */
  readonly fsGroup?: number;
  /** @default - Kubernetes' default (Always) */
  readonly fsGroupChangePolicy?: 'OnRootMismatch' | 'Always';
  /** @default - none */
  readonly runAsGroup?: number;
  /** @default - none */
  readonly runAsNonRoot?: boolean;
  /** @default - none */
  readonly runAsUser?: number;
  /** @default - none */
  readonly seccompProfile?: SeccompProfile;
  /** Namespaced sysctls. @default - none */
  readonly sysctls?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
}

/** Options of {@link restrictedPodSecurity}: the pod-level half of {@link SecurityOptions}, plus pod-only fields. */
export interface PodSecurityOptions {
  /** @default DEFAULT_UID (none with allowRunAsRoot) */
  readonly runAsUser?: number;
  /** @default - runAsUser */
  readonly runAsGroup?: number;
  /** Group that owns the pod's volumes. @default - runAsGroup */
  readonly fsGroup?: number;
  /** @default - Kubernetes' default (Always) */
  readonly fsGroupChangePolicy?: 'OnRootMismatch' | 'Always';
  /** @default false */
  readonly allowRunAsRoot?: boolean;
  /** @default SeccompProfile.runtimeDefault() */
  readonly seccompProfile?: SeccompProfile;
  /** Namespaced sysctls. @default - none */
  readonly sysctls?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
}

/**
 * The pod `securityContext` model that goes with {@link restrictedSecurityContext} (Pod Security
 * "restricted", unless relaxed): non-root numeric user and group, volumes owned by that group, RuntimeDefault
 * seccomp. With allowRunAsRoot and no runAsUser, no user, group or fsGroup is set (the image's apply).
 */
export function restrictedPodSecurity(options: PodSecurityOptions = {}): PodSecurityModel {
  const root = options.allowRunAsRoot ?? false;
  const imageUser = root && options.runAsUser === undefined;
  const uid = options.runAsUser ?? DEFAULT_UID;
  const gid = options.runAsGroup ?? uid;
  return {
    fsGroup: options.fsGroup ?? (imageUser ? undefined : gid),
    fsGroupChangePolicy: options.fsGroupChangePolicy,
    runAsGroup: imageUser ? undefined : gid,
    runAsNonRoot: root ? undefined : true,
    runAsUser: imageUser ? undefined : uid,
    seccompProfile: options.seccompProfile ?? SeccompProfile.runtimeDefault(),
    sysctls: options.sysctls,
  };
}

/** Renders a pod `securityContext`. */
export function renderPodSecurityContext(pod: PodSecurityModel): Json {
  return compact({
    fsGroup: pod.fsGroup,
    fsGroupChangePolicy: pod.fsGroupChangePolicy,
    runAsGroup: pod.runAsGroup,
    runAsNonRoot: pod.runAsNonRoot,
    runAsUser: pod.runAsUser,
    seccompProfile: pod.seccompProfile?.spec,
    sysctls: pod.sysctls?.map((s) => ({ name: s.name, value: s.value })),
  });
}
