// The public props and results of ComposeApp: what a caller passes in and what it gets back.
import { ApiObject } from 'cdk8s';
import { Json } from '../k8s-object';
import { IngressOptions, WebApp, WebAppProps } from '../web-app';
import { ComposePort } from './ports';

/** What to do with a bind mount of a host path, which has no Kubernetes equivalent. */
export enum BindMountPolicy {
  /** Fail with a message naming the mount (the default: a host path never exists on a cluster node). */
  ERROR = 'error',
  /** Mount an empty directory instead: the host's content is not there. For caches and scratch space. */
  EMPTY_DIR = 'emptyDir',
  /**
   * Read the host file (or the files of a host directory, not recursively) into a ConfigMap and mount
   * it read-only: for configuration such as `./nginx.conf:/etc/nginx/nginx.conf:ro`. The content lands
   * in the manifests, so never use it for credentials.
   */
  CONFIG_MAP = 'configMap',
  /**
   * Mount nothing: the container sees what its image has at that path. For development mounts of
   * source code (`./src:/app/src`) that the image already contains; noted for each mount.
   */
  IGNORE = 'ignore',
}

/**
 * Per-service options: every {@link WebAppProps} field (they override what the Compose file says) but
 * `workloadKind` and `volumeClaimTemplates`, which `statefulSet` and the service's named volumes decide,
 * plus Compose-specific switches.
 */
export interface ComposeServiceOptions extends Partial<Omit<WebAppProps, 'workloadKind' | 'volumeClaimTemplates'>> {
  /**
   * The service's port, for a service the compose file gives none (no `ports`, no `expose`, no
   * well-known image) or to replace them. Unlike WebApp's `port` (served on Service port 80), the
   * Service serves it on the same port number, as a Compose network does, so `<service>:<port>` in
   * other services' settings keeps working.
   * @default - the compose file's ports and expose, else the image's well-known ports
   */
  readonly port?: number;
  /**
   * Render a StatefulSet instead of a Deployment; the service's named volumes become
   * `volumeClaimTemplates` (one PersistentVolumeClaim per pod).
   * @default false
   */
  readonly statefulSet?: boolean;
  /** Add init containers that wait for each `depends_on`/`links` dependency's port. @default true */
  readonly waitForDependencies?: boolean;
  /** What to do with bind mounts of host paths. @default BindMountPolicy.ERROR */
  readonly bindMounts?: BindMountPolicy;
  /**
   * Accept `restart: "no"` / `on-failure` (or `deploy.restart_policy.condition` none/on-failure): a
   * Deployment always restarts its pods, so a one-shot service would run again and again.
   * @default false
   */
  readonly allowRestartAlways?: boolean;
  /**
   * Accept `cap_add` capabilities beyond NET_BIND_SERVICE (the only one Pod Security "restricted"
   * allows), e.g. NET_ADMIN for a VPN: the namespace then needs a laxer Pod Security level.
   * @default false
   */
  readonly allowCapabilities?: boolean;
  /** Route external HTTP traffic to the service through an Ingress. @default - no Ingress */
  readonly ingress?: IngressOptions;
  /**
   * Read secret-looking environment variables of this service from this existing Secret (the key is the
   * variable's name unless `secretKeys` maps it). Overrides the app-wide `existingSecretName`.
   * @default - the app's existingSecretName
   */
  readonly existingSecretName?: string;
}

/** Options of a top-level named volume. */
export interface ComposeVolumeOptions {
  /** Storage requested by the PersistentVolumeClaim. @default '1Gi' */
  readonly size?: string;
  /** `storageClassName`. @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** Access modes; a volume shared by several services needs `ReadWriteMany`. @default ['ReadWriteOnce'] */
  readonly accessModes?: string[];
  /** Use this existing PersistentVolumeClaim instead of rendering one. @default - a PVC named like the volume */
  readonly existingClaimName?: string;
}

/** An existing Secret that backs a Compose `secrets` entry. */
export interface ComposeSecretSource {
  /** Name of the Kubernetes Secret (it must exist in the namespace; it is not rendered). */
  readonly secretName: string;
  /** The key holding the secret's content. @default - the Compose secret's name */
  readonly key?: string;
}

/**
 * An option that fixes a problem, as {@link ComposeAppOptions.fixAdvice} receives it: messages name the
 * option (`set options.services.web.allowMutableImageTag: true`) unless `fixAdvice` words it otherwise
 * (the command line names its flag: `pass --allow-mutable-image-tag=web`).
 */
export interface ComposeFix {
  /**
   * The option: a {@link ComposeServiceOptions} field (`allowMutableImageTag`, `allowRestartAlways`,
   * `bindMounts`, `image`, `port`, `runAsUser`, `readiness`, `statefulSet`, `ingress`, `name`), or
   * `variable` (`variables`), `existingSecretName`, `secret` (`secrets`), `profile` (`profiles`),
   * `allowOutside`, `accessModes` and `existingClaimName` (of `volumes.<subject>`).
   */
  readonly option: string;
  /** The Compose service it is about, when it is a per-service option. @default - an app-wide option */
  readonly service?: string;
  /** The variable, Compose secret, volume or profile it is about. @default - none */
  readonly subject?: string;
}

/** Options of {@link ComposeApp}. */
export interface ComposeAppOptions {
  /** Per-service options, keyed by the Compose service name (e.g. `DB`). @default - none */
  readonly services?: Record<string, ComposeServiceOptions>;
  /** Options applied to every service, under the per-service ones. @default - none */
  readonly defaults?: ComposeServiceOptions;
  /**
   * Values for `${VAR}` interpolation and for environment entries without a value (which Compose takes
   * from the shell). The process environment is never read, so output stays deterministic.
   * @default - none: an unset variable without a default is an error
   */
  readonly variables?: Record<string, string>;
  /** Directory relative paths (env_file, configs, bind mounts) resolve against. @default - the Compose file's directory, or the working directory */
  readonly baseDir?: string;
  /**
   * Which environment variable names count as credentials: their values go to a Secret and are read
   * with `secretKeyRef`. Names ending in `_FILE` (paths to mounted secrets) never match.
   * Values holding a URL with a password (`postgres://app:pw@db/app`) are credentials whatever the name.
   * @default /PASS|PWD|SECRET|TOKEN|KEY|CREDENTIAL|PRIVATE|PEM|SALT/i
   */
  readonly secretEnvPattern?: RegExp;
  /**
   * Read every secret-looking variable from this existing Secret instead of rendering one, so no
   * credential is written to the manifests. The Secret needs one key per variable name (see
   * {@link ComposeApp.requiredSecretKeys}); `secretKeys` renames keys.
   * @default - one Secret `<service>-env` per service, rendered with the values
   */
  readonly existingSecretName?: string;
  /** Keys of the existing Secret, by variable name (e.g. `{ DB_PASS: 'MYSQL_PASSWORD' }`). @default - the variable's name */
  readonly secretKeys?: Record<string, string>;
  /** Existing Secrets behind the Compose `secrets`, by Compose secret name. @default - `external` secrets map to a Secret of the same (DNS-safe) name; file secrets are an error */
  readonly secrets?: Record<string, ComposeSecretSource>;
  /** Named volume options, by Compose volume name. @default - 1Gi ReadWriteOnce PVCs */
  readonly volumes?: Record<string, ComposeVolumeOptions>;
  /** Render NetworkPolicies so that only services sharing a Compose network reach each other. @default true */
  readonly networkPolicies?: boolean;
  /** Active Compose profiles: services with `profiles` are rendered only when one of theirs is active. @default - none */
  readonly profiles?: string[];
  /** `app.kubernetes.io/part-of` label of every object. @default - the construct id, DNS-safe */
  readonly partOf?: string;
  /** Receives the one warning listing ignored Compose keys. @default console.warn */
  readonly onWarning?: (message: string) => void;
  /**
   * How messages tell the user to give service `service` a port (when another service addresses it by name).
   * The command line passes its own flag here (`pass --port db=<port>`).
   * @default - `set options.services.<service>.port` (`(or ports)` added where a list is as good)
   */
  readonly portAdvice?: (service: string) => string;
  /**
   * How messages word the option that fixes a problem (the command line names its flags here);
   * `undefined` keeps the library's wording.
   * @default - `set options.services.<service>.<option>...`
   */
  readonly fixAdvice?: (fix: ComposeFix) => string | undefined;
  /**
   * Read `env_file`, `configs` and bind-mounted files outside the base directory (after resolving
   * symbolic links). Without it, a Compose file from an untrusted change cannot copy host files
   * (`/etc/passwd`, `../../.ci/credentials`) into the manifests.
   * @default false
   */
  readonly allowOutside?: boolean;
}

/** Properties of a {@link ComposeApp}: the Compose document (exactly one of `file`, `yaml`, `compose`) plus options. */
export interface ComposeAppProps extends ComposeAppOptions {
  /** Path of a Compose file. @default - yaml or compose */
  readonly file?: string;
  /** Compose YAML text. @default - file or compose */
  readonly yaml?: string;
  /** An already-parsed Compose document. @default - file or yaml */
  readonly compose?: Json;
  /** Name used for `yaml`/`compose` in messages. @default 'compose' */
  readonly fileName?: string;
}

/** One converted Compose service. */
export interface ComposeServiceResult {
  /** Its name in the Compose file (`DB`). */
  readonly composeName: string;
  /** Its Kubernetes name (`db`): Service, workload and container. */
  readonly name: string;
  /** The WebApp (its `workload` is a StatefulSet when `statefulSet` was asked). */
  readonly webApp: WebApp;
  /** `Deployment` or `StatefulSet`. */
  readonly workloadKind: 'Deployment' | 'StatefulSet';
  /**
   * Extra Services for `container_name`, `hostname` (which also sets the pod's `spec.hostname`),
   * network `aliases` and `links` aliases, by name (DNS-safe: `my_db` → `my-db`).
   */
  readonly aliasServices: Readonly<Record<string, ApiObject>>;
  /** The Secret holding its secret-looking env values, when no existing Secret is used. */
  readonly envSecret?: ApiObject;
  /**
   * The container ports it got and where each came from (`reference`: the service declares none, and
   * another one connects to it on this port, e.g. `http://backend:8000`; `environment`: it declares
   * none, and its own environment says it listens there, e.g. `PORT=3000` or `ADDRESS=0.0.0.0:8000`).
   */
  readonly ports: ReadonlyArray<ComposePort & { readonly source: 'ports' | 'expose' | 'image' | 'options' | 'reference' | 'environment' }>;
}
