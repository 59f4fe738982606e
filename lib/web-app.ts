import { ApiObject, Duration, JsonPatch, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Json, MANAGED_BY, checkUniqueObjects, compact, manifest, namespaceOf, withChildSlots } from './k8s-object';
import {
  ENV_VAR_NAME, fail, isDns1123Label, isDnsName, isIpAddress, isLabelValue, isQualifiedName, isStrictSubnet, show, toDnsLabel,
  validateAnnotations, validateCidr, validateConfigMapKey, validateDns1035, validateDns1123Subdomain, validateEnvName,
  validateImage, validateInt, validateLabels, validatePort, validatePortName, validateQuantity, wholeSeconds,
} from './validation';

// =====================================================================================================
// Enums and small value types
// =====================================================================================================

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

/** How an Ingress path matches. @see https://kubernetes.io/docs/concepts/services-networking/ingress/#path-types */
export enum PathType {
  /** Matches by URL path prefix split by '/'. */
  PREFIX = 'Prefix',
  /** Matches the exact URL path. */
  EXACT = 'Exact',
  /** Left to the IngressClass (e.g. regex paths in ingress-nginx). */
  IMPLEMENTATION_SPECIFIC = 'ImplementationSpecific',
}

/** A metrics exporter sidecar added next to the app container. */
export enum MetricsExporter {
  /**
   * `nginx/nginx-prometheus-exporter` on port 9113, scraping the app's `stub_status` page, plus the
   * `prometheus.io/*` scrape annotations on the pods.
   */
  NGINX = 'nginx',
}

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

// =====================================================================================================
// Env
// =====================================================================================================

/** Options for env values read from a Secret or ConfigMap key. */
export interface KeyRefOptions {
  /** Start the pod even if the key is missing. @default false */
  readonly optional?: boolean;
}

/** The value of one environment variable: a literal, or a reference that is resolved in the cluster. */
export class EnvValue {
  /** A literal value (never use this for credentials: it lands in the manifests). */
  public static fromValue(value: string): EnvValue {
    return new EnvValue({ value });
  }

  /**
   * A key of a Secret (`valueFrom.secretKeyRef`). `secretName` must be a DNS-1123 subdomain and `key` a
   * valid Secret key (letters, digits, '-', '_', '.'); the WebApp that uses the value checks both.
   */
  public static fromSecret(secretName: string, key: string, options: KeyRefOptions = {}): EnvValue {
    return new EnvValue({ valueFrom: { secretKeyRef: compact({ name: secretName, key, optional: options.optional }) } });
  }

  /**
   * A key of a ConfigMap (`valueFrom.configMapKeyRef`). `configMapName` must be a DNS-1123 subdomain and
   * `key` a valid ConfigMap key; the WebApp that uses the value checks both.
   */
  public static fromConfigMap(configMapName: string, key: string, options: KeyRefOptions = {}): EnvValue {
    return new EnvValue({ valueFrom: { configMapKeyRef: compact({ name: configMapName, key, optional: options.optional }) } });
  }

  /**
   * A field of the pod through the downward API: `metadata.name`, `metadata.namespace`, `metadata.uid`,
   * `metadata.labels['<key>']`, `metadata.annotations['<key>']`, `spec.nodeName`, `spec.serviceAccountName`,
   * `status.hostIP`, `status.hostIPs`, `status.podIP` or `status.podIPs` (the WebApp checks it).
   * @see https://kubernetes.io/docs/concepts/workloads/pods/downward-api/#downwardapi-fieldRef
   */
  public static fromFieldPath(fieldPath: string): EnvValue {
    return new EnvValue({ valueFrom: { fieldRef: { fieldPath } } });
  }

  private constructor(
    /** The rendered `env[]` entry without its name. */
    public readonly spec: Json,
  ) {}

  /** The Secret this value reads, if any. */
  public get secretName(): string | undefined {
    return this.spec.valueFrom?.secretKeyRef?.name;
  }
}

/**
 * A whole Secret or ConfigMap imported as environment variables (`envFrom`). The name must be a DNS-1123
 * subdomain and the prefix a valid env var name start (no '='); the WebApp that uses it checks both.
 */
export class EnvFrom {
  /** Every key of a Secret, optionally prefixed. */
  public static secret(secretName: string, prefix?: string): EnvFrom {
    return new EnvFrom(compact({ prefix, secretRef: { name: secretName } }));
  }

  /** Every key of a ConfigMap, optionally prefixed. */
  public static configMap(configMapName: string, prefix?: string): EnvFrom {
    return new EnvFrom(compact({ prefix, configMapRef: { name: configMapName } }));
  }

  private constructor(
    /** The rendered `envFrom[]` entry. */
    public readonly spec: Json,
  ) {}
}

/** The env fields of a pod the downward API serves (`valueFrom.fieldRef`), besides subscripted labels and annotations. */
const ENV_FIELD_PATHS = [
  'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName',
  'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
];

/**
 * Validates one env var for `owner` and renders its `env[]` entry. Literal numbers and booleans (from
 * JavaScript callers or parsed config) become their string form; any other non-string is an error.
 */
function envEntry(owner: string, name: string, value: unknown): Json {
  validateEnvName(owner, name);
  if (typeof value === 'string') return { name, value };
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') return { name, value: String(value) };
  if (typeof value !== 'object' || value === null || typeof (value as EnvValue).spec !== 'object') {
    fail(owner, `env ${name} value ${typeof value === 'number' ? String(value) : show(value)} is not a string or an EnvValue`,
      `give a string (e.g. '8080'), or EnvValue.fromSecret(...), fromConfigMap(...) or fromFieldPath(...)${value === undefined ? ' (is it read from an unset process.env variable?)' : ''}`);
  }
  const spec = (value as EnvValue).spec;
  const ref = spec.valueFrom ?? {};
  for (const [selector, kind] of [[ref.secretKeyRef, 'Secret'], [ref.configMapKeyRef, 'ConfigMap']] as Array<[Json | undefined, string]>) {
    if (!selector) continue;
    validateDns1123Subdomain(owner, `env ${name} ${kind} name`, selector.name, kind === 'Secret' ? 'db-credentials' : 'app-settings');
    validateConfigMapKey(owner, `env ${name} ${kind} key`, selector.key);
  }
  if (ref.fieldRef) {
    const path = ref.fieldRef.fieldPath;
    const sub = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
    const ok = ENV_FIELD_PATHS.includes(path) || (sub !== null && isQualifiedName(sub[1] === 'annotations' ? sub[2].toLowerCase() : sub[2]));
    if (!ok) {
      fail(owner, `env ${name} fieldPath ${show(path)} is not a pod field the downward API serves to env vars`,
        `use one of ${ENV_FIELD_PATHS.join(', ')}, metadata.labels['<key>'] or metadata.annotations['<key>']`);
    }
  }
  return { name, ...spec };
}

/** Validates one `envFrom` source for `owner` and renders it. */
function envFromEntry(owner: string, prop: string, source: unknown): Json {
  if (typeof source !== 'object' || source === null || typeof (source as EnvFrom).spec !== 'object') {
    fail(owner, `${prop} ${show(source)} is not an EnvFrom`, 'use EnvFrom.secret(name) or EnvFrom.configMap(name)');
  }
  const spec = (source as EnvFrom).spec;
  const kind = spec.secretRef ? 'Secret' : 'ConfigMap';
  validateDns1123Subdomain(owner, `${prop} ${kind} name`, (spec.secretRef ?? spec.configMapRef)?.name, kind === 'Secret' ? 'api-keys' : 'app-settings');
  if (spec.prefix !== undefined && spec.prefix !== '' && (typeof spec.prefix !== 'string' || !ENV_VAR_NAME.test(spec.prefix))) {
    fail(owner, `${prop} prefix ${show(spec.prefix)} is not a valid env var name prefix`,
      'use letters, digits, \'_\', \'-\' and \'.\', not starting with a digit and without \'=\' (e.g. \'DB_\')');
  }
  return spec;
}

// =====================================================================================================
// Probes
// =====================================================================================================

/** Timing options shared by every probe. */
export interface ProbeOptions {
  /** Wait before the first probe. @default - none (use a startup probe for slow starters) */
  readonly initialDelay?: Duration;
  /** How often to probe. @default Duration.seconds(10) */
  readonly period?: Duration;
  /** How long one probe may take. @default Duration.seconds(1) */
  readonly timeout?: Duration;
  /** Consecutive failures before the probe counts as failed. @default 3 */
  readonly failureThreshold?: number;
  /** Consecutive successes before the probe counts as passed (must be 1 for liveness and startup). @default 1 */
  readonly successThreshold?: number;
}

/** Options of network probes. */
export interface NetworkProbeOptions extends ProbeOptions {
  /**
   * Container port number or name to probe. A name must be one of the container's TCP ports (probes
   * connect over TCP). gRPC probes render the port's number, as `grpc.port` is an integer.
   * @default - the app's main port (by name; by number for gRPC)
   */
  readonly port?: number | string;
}

/** A readiness, liveness or startup probe. @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/ */
export class Probe {
  /** An HTTP GET; any status from 200 to 399 passes. `path` must start with '/'. */
  public static httpGet(path: string, options: NetworkProbeOptions & { readonly scheme?: 'HTTP' | 'HTTPS' } = {}): Probe {
    return new Probe('httpGet', options, { path, scheme: options.scheme }, options.port);
  }

  /** A TCP connect to the port. */
  public static tcp(options: NetworkProbeOptions = {}): Probe {
    return new Probe('tcpSocket', options, {}, options.port);
  }

  /** A command run inside the container; exit code 0 passes. */
  public static exec(command: string[], options: ProbeOptions = {}): Probe {
    return new Probe('exec', options, { command: [...command] });
  }

  /** A gRPC health check (grpc.health.v1). A named port is rendered as its number (`grpc.port` is an integer). */
  public static grpc(options: NetworkProbeOptions & { readonly service?: string } = {}): Probe {
    return new Probe('grpc', options, { service: options.service }, options.port);
  }

  private constructor(
    private readonly kind: 'httpGet' | 'tcpSocket' | 'exec' | 'grpc',
    private readonly options: ProbeOptions,
    private readonly action: Json,
    private readonly port?: number | string,
  ) {}

  /**
   * Validates the probe for `owner` and renders it. `defaultPort` is the main port's name; `ports`, when
   * given, are the container's ports, which a named probe port must be one of.
   * @internal
   */
  public _render(owner: string, prop: string, defaultPort: number | string | undefined, ports?: readonly ResolvedPort[]): Json {
    const o = this.options;
    if (this.kind === 'httpGet' && !String(this.action.path).startsWith('/')) {
      fail(owner, `${prop} path ${show(this.action.path)} does not start with '/'`, `use an absolute path such as '/${this.action.path}'`);
    }
    if (this.kind === 'exec' && this.action.command.length === 0) fail(owner, `${prop} exec command is empty`, 'give the command to run');
    let port = this.port ?? defaultPort;
    if (this.kind !== 'exec' && port === undefined) fail(owner, `${prop} has no port and the app has no ports`, 'set the probe\'s port');
    if (typeof port === 'number') validatePort(owner, `${prop} port`, port);
    if (this.kind !== 'exec' && typeof port === 'string' && ports) {
      const named = ports.find((p) => p.name === port);
      if (!named) {
        fail(owner, `${prop} port ${show(port)} is not a port of the container (${ports.map((p) => p.name).join(', ') || 'it declares none'})`,
          'name one of the container\'s ports, or give a port number');
      }
      if (named.protocol !== Protocol.TCP) {
        fail(owner, `${prop} port ${show(port)} is ${named.protocol === Protocol.SCTP ? 'an' : 'a'} ${named.protocol} port, but ${this.kind} probes connect over TCP`,
          'probe a TCP port, or use Probe.exec([...])');
      }
      // grpc.port is an int32 in the API: a name would be rejected.
      if (this.kind === 'grpc') port = named.containerPort;
    }
    if (this.kind === 'grpc' && typeof port !== 'number') {
      fail(owner, `${prop} gRPC port ${show(port)} is not a number`, 'give the port number (grpc.port is an integer in the Kubernetes API)');
    }
    const seconds = (d: Duration | undefined, what: string, min: number) => (d === undefined ? undefined : wholeSeconds(owner, `${prop} ${what}`, d, min));
    if (o.failureThreshold !== undefined) validateInt(owner, `${prop} failureThreshold`, o.failureThreshold, 1);
    if (o.successThreshold !== undefined) validateInt(owner, `${prop} successThreshold`, o.successThreshold, 1);
    if (o.successThreshold !== undefined && o.successThreshold !== 1 && !prop.startsWith('readiness')) {
      fail(owner, `${prop} successThreshold ${o.successThreshold} is not 1`, 'Kubernetes requires successThreshold 1 for liveness and startup probes');
    }
    const action = this.kind === 'exec' ? this.action : compact({ ...this.action, port });
    return compact({
      [this.kind]: action,
      initialDelaySeconds: seconds(o.initialDelay, 'initialDelay', 0),
      periodSeconds: seconds(o.period, 'period', 1),
      timeoutSeconds: seconds(o.timeout, 'timeout', 1),
      failureThreshold: o.failureThreshold,
      successThreshold: o.successThreshold,
    });
  }
}

// =====================================================================================================
// Resources and chart-wide defaults
// =====================================================================================================

/**
 * Request and limit of one resource. Quantities follow Kubernetes' grammar (`250m`, `1`, `512Mi`); a
 * finite number from a JavaScript caller (`0.5`) is accepted and rendered as its string (`'0.5'`). A field
 * given as `undefined` counts as not given: the chart's or library's default still applies.
 */
export interface ResourceRange {
  /** What the scheduler reserves. @default - the chart's or library's default */
  readonly request?: string;
  /** The hard cap; `null` removes the limit (e.g. no CPU limit, to avoid CFS throttling). @default - the chart's or library's default */
  readonly limit?: string | null;
}

/** Container resources. */
export interface Resources {
  /** CPU. @default { request: '100m', limit: '1' } */
  readonly cpu?: ResourceRange;
  /** Memory. @default { request: '128Mi', limit: '256Mi' } */
  readonly memory?: ResourceRange;
  /** Ephemeral storage. @default - not set */
  readonly ephemeralStorage?: ResourceRange;
}

/** The library's default resources for an app container. */
export const DEFAULT_RESOURCES: Resources = {
  cpu: { request: '100m', limit: '1' },
  memory: { request: '128Mi', limit: '256Mi' },
};

/** Defaults that apply to every WebApp below a scope (usually a Chart). */
export interface WebAppDefaultsProps {
  /** Resources, merged field by field under each app's own `resources`. @default DEFAULT_RESOURCES */
  readonly resources?: Resources;
  /** Numeric user id of the containers. @default 10001 */
  readonly runAsUser?: number;
  /** Numeric group id of the containers. @default - runAsUser */
  readonly runAsGroup?: number;
}

const DEFAULTS = new WeakMap<IConstruct, WebAppDefaultsProps>();

/**
 * Chart-wide (or any scope's) defaults for WebApps, e.g. to drop the CPU limit for a whole chart:
 *
 * @example
 * WebAppDefaults.set(chart, { resources: { cpu: { request: '50m', limit: null } } });
 */
export class WebAppDefaults {
  /**
   * Sets the defaults for every WebApp created below `scope` afterwards (nearest scope wins per field).
   * Calling it again on the same scope merges into the earlier call, field by field (resources per
   * request and limit), the later call winning: `set(c, { resources }); set(c, { runAsUser })` keeps
   * both. WebApps created before a call keep the defaults they were created with. A field given as
   * `undefined` is ignored.
   */
  public static set(scope: IConstruct, defaults: WebAppDefaultsProps): void {
    const earlier = DEFAULTS.get(scope);
    DEFAULTS.set(scope, earlier ? mergeDefaults(earlier, defaults) : { ...defaults });
  }

  /** The defaults that apply at `scope`, merged from the root down (nearest scope wins per field). */
  public static of(scope: IConstruct): WebAppDefaultsProps {
    let merged: WebAppDefaultsProps = {};
    for (const c of scope.node.scopes) {
      const d = DEFAULTS.get(c);
      if (d) merged = mergeDefaults(merged, d);
    }
    return merged;
  }

  private constructor() {}
}

/** `o` without its `undefined` fields, so that spreading it never erases a default. */
function defined<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function mergeDefaults(base: WebAppDefaultsProps, over: WebAppDefaultsProps): WebAppDefaultsProps {
  const resources = base.resources || over.resources ? mergeResources(base.resources ?? {}, over.resources ?? {}) : undefined;
  return compact({ ...defined(base), ...defined(over), resources });
}

function mergeResources(base: Resources, over: Resources): Resources {
  const range = (a?: ResourceRange, b?: ResourceRange) => (a || b ? { ...defined(a), ...defined(b) } : undefined);
  return compact({ cpu: range(base.cpu, over.cpu), memory: range(base.memory, over.memory), ephemeralStorage: range(base.ephemeralStorage, over.ephemeralStorage) });
}

/** Validates and renders a `resources` block (request <= limit, quantities well-formed). */
export function renderResources(owner: string, prop: string, resources: Resources): Json {
  const requests: Json = {};
  const limits: Json = {};
  const entries: Array<[string, ResourceRange | undefined, 'cpu' | 'memory' | 'storage']> = [
    ['cpu', resources.cpu, 'cpu'], ['memory', resources.memory, 'memory'], ['ephemeral-storage', resources.ephemeralStorage, 'storage'],
  ];
  for (const [key, given, kind] of entries) {
    if (!given) continue;
    const name = key === 'ephemeral-storage' ? 'ephemeralStorage' : key;
    // JavaScript callers may pass numbers (`cpu: { request: 0.5 }`): a finite number's decimal string is a quantity.
    const text = (v: unknown, field: string): string => {
      if (typeof v === 'string') return v;
      if (typeof v === 'number' && Number.isFinite(v)) return String(v);
      return fail(owner, `${prop}.${name}.${field} ${typeof v === 'number' ? String(v) : show(v)} is not a Kubernetes quantity`,
        `use a string such as ${kind === 'cpu' ? '\'250m\' or \'1\'' : '\'512Mi\' or \'1Gi\''}`);
    };
    const range = { request: given.request === undefined ? undefined : text(given.request, 'request'), limit: given.limit == null ? given.limit : text(given.limit, 'limit') };
    const req = range.request !== undefined ? validateQuantity(owner, `${prop}.${name}.request`, range.request, kind) : undefined;
    const lim = range.limit != null ? validateQuantity(owner, `${prop}.${name}.limit`, range.limit, kind) : undefined;
    if (req !== undefined && lim !== undefined && req > lim) {
      fail(owner, `${prop}.${name}.request ${show(range.request)} is greater than its limit ${show(range.limit)}`,
        `lower the request or raise the limit (or set limit: null for no ${name} limit)`);
    }
    if (range.request !== undefined) requests[key] = range.request;
    if (range.limit != null) limits[key] = range.limit;
  }
  return compact({ limits: Object.keys(limits).length ? limits : undefined, requests: Object.keys(requests).length ? requests : undefined });
}

// =====================================================================================================
// Security
// =====================================================================================================

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

/** Resources given to small helper containers (init containers, exporters). */
export const HELPER_RESOURCES: Resources = {
  cpu: { request: '10m', limit: '100m' },
  memory: { request: '16Mi', limit: '32Mi' },
};

/** A pinned busybox image for wait-for init containers. */
export const BUSYBOX_IMAGE = 'busybox:1.36.1';

// =====================================================================================================
// Ports, network peers, ingress
// =====================================================================================================

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
  /** The Service port. @default 80 for the first port, containerPort for the others */
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

/** Something a NetworkPolicy rule can name: another WebApp, a namespace, pods by label, or an IP block. */
export class NetworkPeer {
  /** The pods of a WebApp (in its namespace). */
  public static webApp(app: WebApp): NetworkPeer {
    return new NetworkPeer(app.selectorLabels, app.namespace, undefined, app);
  }

  /** Every pod in a namespace (by its `kubernetes.io/metadata.name` label). `name` must be a DNS-1123 label. */
  public static namespace(name: string): NetworkPeer {
    validateNamespaceName('namespace', name);
    return new NetworkPeer(undefined, name);
  }

  /**
   * Pods with these labels, in `namespace` (default: the policy's own namespace). Label keys and values
   * must be valid (`app`, `app.kubernetes.io/name`; values of at most 63 characters).
   */
  public static pods(labels: Record<string, string>, namespace?: string): NetworkPeer {
    validateLabels('NetworkPeer', 'pods label', labels);
    if (namespace !== undefined) validateNamespaceName('pods namespace', namespace);
    return new NetworkPeer({ ...labels }, namespace);
  }

  /** An IPv4/IPv6 CIDR, optionally with exceptions, each a strict subset of `cidr` (as the apiserver requires). */
  public static ipBlock(cidr: string, except: string[] = []): NetworkPeer {
    validateCidr('NetworkPeer', 'cidr', cidr);
    except.forEach((e) => {
      validateCidr('NetworkPeer', 'except', e);
      if (!isStrictSubnet(cidr, e)) {
        fail('NetworkPeer', `ipBlock except ${show(e)} is not a strict subset of cidr ${show(cidr)} (the apiserver would reject the NetworkPolicy)`,
          `list only ranges inside ${cidr} with a longer prefix, or widen cidr`);
      }
    });
    return new NetworkPeer(undefined, undefined, { cidr, except: except.length ? [...except] : undefined });
  }

  private constructor(
    private readonly podLabels?: Record<string, string>,
    private readonly peerNamespace?: string,
    private readonly ipBlock?: { cidr: string; except?: string[] },
    /** The WebApp behind this peer, if any. */
    public readonly app?: WebApp,
  ) {}

  /** A readable description, e.g. for error messages. */
  public toString(): string {
    if (this.app) return `WebApp '${this.app.name}'`;
    if (this.ipBlock) return `ipBlock ${this.ipBlock.cidr}`;
    return `pods ${JSON.stringify(this.podLabels ?? {})} in namespace ${this.peerNamespace ?? '(same)'}`;
  }

  /**
   * The NetworkPolicy peer object as seen from a policy in `fromNamespace`.
   * @internal
   */
  public _render(fromNamespace: string | undefined): Json {
    if (this.ipBlock) return { ipBlock: compact({ ...this.ipBlock }) };
    const peer: Json = {};
    if (this.podLabels) peer.podSelector = { matchLabels: { ...this.podLabels } };
    if (this.peerNamespace !== undefined && this.peerNamespace !== fromNamespace) {
      peer.namespaceSelector = { matchLabels: { 'kubernetes.io/metadata.name': this.peerNamespace } };
      if (!this.podLabels) peer.podSelector = undefined;
    } else if (!this.podLabels) {
      peer.podSelector = {};
    }
    return compact(peer);
  }
}

function validateNamespaceName(prop: string, name: string): void {
  if (typeof name !== 'string' || !isDns1123Label(name)) {
    fail('NetworkPeer', `${prop} ${show(name)} is not a DNS-1123 label, so no namespace has that name`,
      'use the namespace\'s name: at most 63 lowercase letters, digits and \'-\' (e.g. \'monitoring\')');
  }
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

// =====================================================================================================
// Pod disruption, autoscaling, isolation
// =====================================================================================================

/** How many pods voluntary disruptions (drains, upgrades) may take down at once. */
export class DisruptionBudget {
  /** At most `n` (an integer, or a percentage such as `'25%'`) pods unavailable. */
  public static maxUnavailable(n: number | string): DisruptionBudget {
    return new DisruptionBudget('maxUnavailable', n);
  }

  /** At least `n` (an integer, or a percentage) pods available. */
  public static minAvailable(n: number | string): DisruptionBudget {
    return new DisruptionBudget('minAvailable', n);
  }

  /** No PodDisruptionBudget. */
  public static none(): DisruptionBudget {
    return new DisruptionBudget('none', 0);
  }

  private constructor(
    /** Which field the budget sets. */
    public readonly field: 'maxUnavailable' | 'minAvailable' | 'none',
    /** Its value. */
    public readonly value: number | string,
  ) {}
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

// =====================================================================================================
// WebApp
// =====================================================================================================

/** Properties of a {@link WebApp}. */
export interface WebAppProps {
  /**
   * Name of the Deployment, the Service and the container: other pods reach the app at `http://<name>`.
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

  /** Shorthand for one port named 'http' served on Service port 80. Exclusive with `ports`. @default - see ports */
  readonly port?: number;
  /** Container ports. The first is the main port (probes, Ingress). @default - none; then createService must be false */
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

  /** Fixed replica count (exclusive with `autoscaling`). @default 2 */
  readonly replicas?: number;
  /** HorizontalPodAutoscaler; when set, `spec.replicas` is left to the HPA. @default - fixed replicas */
  readonly autoscaling?: AutoscalingOptions;
  /** @default DisruptionBudget.maxUnavailable(1) when more than one replica is possible, otherwise none */
  readonly disruptionBudget?: DisruptionBudget;
  /**
   * Pods created above the desired count during a rollout: an integer >= 1 or a percentage such as
   * `'25%'` (rounded up). Never 0: `maxUnavailable` is always 0, and a rollout needs room for one new pod.
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
  /** Merged over the chart's defaults ({@link WebAppDefaults}) and {@link DEFAULT_RESOURCES}. @default DEFAULT_RESOURCES */
  readonly resources?: Resources;

  /** Numeric user id. @default 10001 (or the chart's default) */
  readonly runAsUser?: number;
  /** Numeric group id. @default - runAsUser */
  readonly runAsGroup?: number;
  /** Group owning mounted volumes. @default - runAsGroup */
  readonly fsGroup?: number;
  /** Relaxation: let the image run as root (drops `runAsNonRoot`). @default false */
  readonly allowRunAsRoot?: boolean;
  /** Relaxation: a writable root filesystem. @default true */
  readonly readOnlyRootFilesystem?: boolean;
  /** Absolute paths mounted as emptyDir so a read-only image can still write there. @default ['/tmp'] */
  readonly writablePaths?: string[];
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
}

const NGINX_EXPORTER_IMAGE = 'nginx/nginx-prometheus-exporter:1.4.2';
const NGINX_EXPORTER_PORT = 9113;

interface PeerRule { readonly peer: NetworkPeer; readonly ports?: Array<{ port: number; protocol: Protocol }> }

/**
 * A stateless HTTP (or TCP) service: a Deployment and a Service named exactly `name`, hardened to Pod
 * Security Standards "restricted" by default, with zero-downtime rollouts, probes, resources, and
 * optional Ingress, HPA, PodDisruptionBudget, NetworkPolicy and ServiceAccount.
 *
 * @example
 * const web = new WebApp(chart, 'echo', { image: 'hashicorp/http-echo:1.0', port: 5678, args: ['-text=hello'] });
 * web.exposeViaIngress({ host: 'echo.example.com' });
 */
export class WebApp extends Construct {
  /** Name of the Deployment, Service and container. */
  public readonly name: string;
  /** Namespace (`undefined`: the kubectl context's). */
  public readonly namespace: string | undefined;
  /** The image. */
  public readonly image: string;
  /** The `version` label value. */
  public readonly version: string;
  /** Labels on the pods. */
  public readonly podLabels: Readonly<Record<string, string>>;
  /** Labels the Deployment and Service select on. */
  public readonly selectorLabels: Readonly<Record<string, string>>;
  /** Resolved container ports; the first is the main port. */
  public readonly ports: readonly ResolvedPort[];
  /** Fixed replicas, or `undefined` when an HPA owns the count. */
  public readonly replicas: number | undefined;
  /** Lowest number of replicas the app can run with (replicas, or the HPA minimum). */
  public readonly minReplicas: number;
  /** Highest number of replicas the app can run with. */
  public readonly maxReplicas: number;
  /** The rendered resources of the app container. */
  public readonly resources: Json;
  /** The Service type. */
  public readonly serviceType: ServiceType;

  /** The Deployment. */
  public readonly deployment: ApiObject;
  /** The Service (`undefined` when `createService: false`). */
  public readonly service?: ApiObject;
  /** The ServiceAccount, when `createServiceAccount` is set. */
  public readonly serviceAccount?: ApiObject;
  /** The HorizontalPodAutoscaler, when `autoscaling` is set. */
  public readonly horizontalPodAutoscaler?: ApiObject;
  /** The PodDisruptionBudget, if any. */
  public readonly podDisruptionBudget?: ApiObject;

  private _networkPolicy?: ApiObject;
  private _ingress?: ApiObject;
  private readonly owner: string;
  private collisionCache?: { readonly index: CollisionIndex; readonly errors: string[] };
  private readonly objectLabels: Record<string, string>;
  private readonly env: Json[] = [];
  private readonly envFrom: Json[];
  private readonly initContainers: Json[] = [];
  private readonly sidecars: Json[] = [];
  private readonly volumes: Json[] = [];
  private readonly mounts: Json[] = [];
  private readonly podAnnotations: Record<string, string>;
  private readonly ingressRules: Json[] = [];
  private readonly ingressTls: Json[] = [];
  private ingressClassName?: string;
  private ingressIsolated = false;
  private egressIsolated = false;
  private readonly ingressPeers: PeerRule[] = [];
  private readonly egressPeers: PeerRule[] = [];
  private readonly securityOptions: SecurityOptions;
  private externalTrafficPolicy?: ExternalTrafficPolicy;
  private sessionAffinityTimeoutSeconds?: number;

  public constructor(scope: Construct, id: string, props: WebAppProps) {
    super(withChildSlots(scope), id);
    checkUniqueObjects(this);
    webAppCount++;
    this.name = props.name ?? toDnsLabel(id);
    this.owner = `WebApp '${this.name}'`;
    validateDns1035(this.owner, 'name', this.name);
    this.namespace = props.namespace ?? namespaceOf(this);
    this.image = props.image;
    const ref = validateImage(this.owner, 'image', props.image, props.allowMutableImageTag ?? false);
    this.version = props.version ?? versionFromImage(ref.tag, ref.digest);
    if (!isLabelValue(this.version)) {
      fail(this.owner, `version ${show(this.version)} is not a valid label value`, 'use at most 63 letters, digits, \'-\', \'_\' or \'.\', starting and ending with a letter or digit');
    }
    const appLabel = props.appLabel ?? this.name;
    if (!isLabelValue(appLabel)) fail(this.owner, `appLabel ${show(appLabel)} is not a valid label value`, 'use at most 63 letters, digits, \'-\', \'_\' or \'.\'');

    // ---- labels
    this.selectorLabels = props.selectVersion ? { app: appLabel, version: this.version } : { app: appLabel };
    const commonLabels: Record<string, string> = compact<Json>({
      'app.kubernetes.io/name': appLabel,
      'app.kubernetes.io/version': this.version,
      'app.kubernetes.io/part-of': props.partOf,
      'app.kubernetes.io/managed-by': MANAGED_BY,
    });
    this.podLabels = { ...commonLabels, app: appLabel, version: this.version };

    // ---- ports and service
    this.ports = resolvePorts(this.owner, props);
    this.serviceType = props.serviceType ?? ServiceType.CLUSTER_IP;
    const createService = props.createService ?? true;
    if (createService && this.ports.length === 0) {
      fail(this.owner, 'has no ports, so no Service can be rendered',
        'set port (e.g. port: 8080) so other pods can reach it, or createService: false for a worker that nobody calls');
    }
    validateServiceOptions(this.owner, props, this.serviceType, this.ports);

    // ---- replicas, autoscaling, disruption budget
    if (props.replicas !== undefined && props.autoscaling) {
      fail(this.owner, `replicas ${props.replicas} and autoscaling are both set`, 'remove replicas and set autoscaling.minReplicas instead: the HPA owns the replica count');
    }
    if (props.replicas !== undefined) validateInt(this.owner, 'replicas', props.replicas, 0);
    const as = props.autoscaling;
    if (as) {
      const min = as.minReplicas ?? 2;
      validateInt(this.owner, 'autoscaling.minReplicas', min, 1);
      validateInt(this.owner, 'autoscaling.maxReplicas', as.maxReplicas, 1);
      if (min > as.maxReplicas) {
        fail(this.owner, `autoscaling.minReplicas ${min} is greater than autoscaling.maxReplicas ${as.maxReplicas}`, 'raise maxReplicas or lower minReplicas');
      }
      if (as.cpuUtilization !== undefined) validateInt(this.owner, 'autoscaling.cpuUtilization', as.cpuUtilization, 1, 100);
      if (as.podsMetric) validatePodsMetric(this.owner, as.podsMetric);
      this.replicas = undefined;
      this.minReplicas = min;
      this.maxReplicas = as.maxReplicas;
    } else {
      this.replicas = props.replicas ?? 2;
      this.minReplicas = this.replicas;
      this.maxReplicas = this.replicas;
    }
    const scaleDownSeconds = as?.scaleDownStabilization === undefined ? undefined
      : wholeSeconds(this.owner, 'autoscaling.scaleDownStabilization', as.scaleDownStabilization);
    if (scaleDownSeconds !== undefined && scaleDownSeconds > 3600) {
      fail(this.owner, `autoscaling.scaleDownStabilization ${scaleDownSeconds}s is longer than one hour, Kubernetes' limit`,
        'use at most Duration.hours(1)');
    }
    const budget = props.disruptionBudget ?? (this.maxReplicas > 1 ? DisruptionBudget.maxUnavailable(1) : DisruptionBudget.none());
    validateBudget(this.owner, budget, this.minReplicas);
    const maxSurge = props.maxSurge ?? '25%';
    validateMaxSurge(this.owner, maxSurge);

    // ---- security
    const defaults = WebAppDefaults.of(this);
    if (props.createServiceAccount && props.serviceAccountName) {
      fail(this.owner, `createServiceAccount and serviceAccountName ${show(props.serviceAccountName)} are both set`, 'use one of them');
    }
    if (props.serviceAccountName !== undefined) validateDns1123Subdomain(this.owner, 'serviceAccountName', props.serviceAccountName, 'shop-api');
    if (props.fsGroup !== undefined) validateInt(this.owner, 'fsGroup', props.fsGroup, 0);
    const uid = props.runAsUser ?? defaults.runAsUser ?? DEFAULT_UID;
    const gid = props.runAsGroup ?? defaults.runAsGroup ?? uid;
    validateInt(this.owner, 'runAsUser', uid, 0);
    validateInt(this.owner, 'runAsGroup', gid, 0);
    if (uid === 0 && !props.allowRunAsRoot) fail(this.owner, 'runAsUser 0 is root', 'use a numeric uid above 10000, or set allowRunAsRoot: true (a documented relaxation)');
    this.securityOptions = {
      runAsUser: uid,
      runAsGroup: gid,
      allowRunAsRoot: props.allowRunAsRoot,
      readOnlyRootFilesystem: props.readOnlyRootFilesystem,
      allowPrivilegeEscalation: props.allowPrivilegeEscalation,
      addCapabilities: props.addCapabilities,
      seccompProfile: props.seccompProfile,
    };
    const writable = props.writablePaths ?? ['/tmp'];
    validateWritablePaths(this.owner, writable);
    writable.forEach((path) => this.addEmptyDir(volumeNameFor(path, this.volumes), path));

    // ---- resources
    this.resources = renderResources(this.owner, 'resources',
      mergeResources(mergeResources(DEFAULT_RESOURCES, defaults.resources ?? {}), props.resources ?? {}));

    // ---- env
    for (const [name, value] of Object.entries(props.env ?? {})) this.addEnv(name, value);
    this.envFrom = (props.envFrom ?? []).map((e, i) => envFromEntry(this.owner, `envFrom[${i}]`, e));

    // ---- probes
    const main = this.ports[0];
    // A TCP probe of a UDP/SCTP port never passes. Reported at synth, not here, so that a construct built
    // on WebApp (CanaryRelease) can first report what is wrong with the port in its own terms.
    const udpReadiness = !props.readiness && main && main.protocol !== Protocol.TCP
      ? `${this.owner}: readiness defaults to a TCP probe on the main port ${show(main.name)}, which is ${main.containerPort}/${main.protocol}: it could never pass, so no pod would become Ready; `
        + 'set readiness explicitly, e.g. Probe.exec([...]) or Probe.httpGet(\'/healthz\', { port: <a TCP port> })'
      : undefined;
    const readiness = udpReadiness ? { tcpSocket: { port: main!.name } }
      : (props.readiness ?? (main ? Probe.tcp() : undefined))?._render(this.owner, 'readiness', main?.name, this.ports);
    const liveness = props.liveness?._render(this.owner, 'liveness', main?.name, this.ports);
    const startup = props.startup?._render(this.owner, 'startup', main?.name, this.ports);

    // ---- lifecycle
    const preStop = props.preStopSleep ?? Duration.seconds(5);
    const grace = props.terminationGracePeriod ?? Duration.seconds(30);
    const preStopSeconds = wholeSeconds(this.owner, 'preStopSleep', preStop);
    const graceSeconds = wholeSeconds(this.owner, 'terminationGracePeriod', grace);
    if (preStopSeconds >= graceSeconds && preStopSeconds > 0) {
      fail(this.owner, `preStopSleep ${preStopSeconds}s is not shorter than terminationGracePeriod ${graceSeconds}s`, 'raise terminationGracePeriod or shorten preStopSleep, so the app still gets time to stop after the sleep');
    }
    const minReady = wholeSeconds(this.owner, 'minReady', props.minReady ?? Duration.seconds(5));
    if (minReady >= 600) {
      fail(this.owner, `minReady ${minReady}s is not shorter than the Deployment's progressDeadlineSeconds (600s), which the apiserver requires`,
        'use a minReady below Duration.minutes(10)');
    }

    // ---- metrics exporter
    validateAnnotations(this.owner, 'podAnnotations', props.podAnnotations ?? {});
    validateAnnotations(this.owner, 'serviceAnnotations', props.serviceAnnotations ?? {});
    this.podAnnotations = { ...props.podAnnotations };
    if (props.metricsExporter === MetricsExporter.NGINX) {
      if (!this.ports.length) fail(this.owner, 'metricsExporter nginx needs an HTTP port to scrape', 'set port');
      const stub = props.stubStatusPath ?? '/stub_status';
      if (!stub.startsWith('/')) fail(this.owner, `stubStatusPath ${show(stub)} does not start with '/'`, `use '/${stub}'`);
      this.sidecars.push(this.helperContainer({
        name: 'nginx-exporter',
        image: NGINX_EXPORTER_IMAGE,
        args: [`--nginx.scrape-uri=http://localhost:${this.ports[0].containerPort}${stub}`],
      }, {
        ports: [{ containerPort: NGINX_EXPORTER_PORT, name: 'metrics', protocol: 'TCP' }],
        readinessProbe: { httpGet: { path: '/metrics', port: 'metrics' } },
      }));
      Object.assign(this.podAnnotations, {
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(NGINX_EXPORTER_PORT),
        'prometheus.io/path': '/metrics',
      });
    }

    this.objectLabels = { ...commonLabels };
    const meta = { namespace: props.namespace, labels: this.objectLabels };

    // ---- service account
    let serviceAccountName = props.serviceAccountName;
    if (props.createServiceAccount) {
      this.serviceAccount = manifest(this, 'ServiceAccount', 'v1', 'ServiceAccount', {
        ...meta, name: this.name, body: { automountServiceAccountToken: props.automountServiceAccountToken ?? false },
      });
      serviceAccountName = this.name;
    }

    // ---- deployment
    const mainContainer = (): Json => compact({
      name: this.name,
      image: this.image,
      imagePullPolicy: props.imagePullPolicy ?? ImagePullPolicy.IF_NOT_PRESENT,
      command: props.command ? [...props.command] : undefined,
      args: props.args ? [...props.args] : undefined,
      ports: this.ports.map((p) => compact({ containerPort: p.containerPort, name: p.name, protocol: p.protocol })),
      env: this.env.length ? this.env : undefined,
      envFrom: this.envFrom.length ? this.envFrom : undefined,
      resources: this.resources,
      readinessProbe: readiness,
      livenessProbe: liveness,
      startupProbe: startup,
      securityContext: restrictedSecurityContext(this.securityOptions),
      volumeMounts: this.mounts.length ? this.mounts : undefined,
    });
    // A non-root process cannot bind ports below 1024 unless the runtime lowers this namespaced, "safe"
    // sysctl (Docker does; containerd and CRI-O do not). Pod Security "restricted" allows it.
    const lowPort = this.ports.find((p) => p.containerPort < 1024);
    const unprivilegedPorts = props.unprivilegedPortSysctl ?? (lowPort !== undefined && !props.allowRunAsRoot);
    const podSecurityContext = compact({
      fsGroup: props.fsGroup ?? (props.allowRunAsRoot && props.runAsUser === undefined ? undefined : gid),
      runAsGroup: props.allowRunAsRoot && props.runAsUser === undefined ? undefined : gid,
      runAsNonRoot: props.allowRunAsRoot ? undefined : true,
      runAsUser: props.allowRunAsRoot && props.runAsUser === undefined ? undefined : uid,
      seccompProfile: (props.seccompProfile ?? SeccompProfile.runtimeDefault()).spec,
      sysctls: unprivilegedPorts ? [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] : undefined,
    });

    this.deployment = manifest(this, 'Deployment', 'apps/v1', 'Deployment', {
      ...meta,
      name: this.name,
      body: {
        spec: compact({
          replicas: this.replicas,
          minReadySeconds: minReady || undefined,
          revisionHistoryLimit: 5,
          selector: { matchLabels: { ...this.selectorLabels } },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable: 0 } },
          template: {
            metadata: compact({
              labels: { ...this.podLabels },
              annotations: Lazy.any({ produce: () => (Object.keys(this.podAnnotations).length ? { ...this.podAnnotations } : undefined) }),
            }),
            spec: compact({
              automountServiceAccountToken: props.automountServiceAccountToken ?? false,
              serviceAccountName,
              securityContext: podSecurityContext,
              terminationGracePeriodSeconds: graceSeconds,
              initContainers: Lazy.any({ produce: () => (this.initContainers.length ? this.initContainers : undefined) }),
              containers: Lazy.any({ produce: () => [mainContainer(), ...this.sidecars] }),
              volumes: Lazy.any({ produce: () => (this.volumes.length ? this.volumes : undefined) }),
            }),
          },
        }),
      },
    });
    if (preStopSeconds > 0) {
      // Kubernetes >= 1.30 `lifecycle.preStop.sleep`: no `sleep` binary needed in the image.
      this.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/lifecycle', { preStop: { sleep: { seconds: preStopSeconds } } }));
    }

    // ---- service
    this.externalTrafficPolicy = props.externalTrafficPolicy;
    if (createService) {
      const headless = this.serviceType === ServiceType.HEADLESS;
      this.service = manifest(this, 'Service', 'v1', 'Service', {
        ...meta,
        name: this.name,
        annotations: props.serviceAnnotations,
        body: {
          spec: compact({
            type: headless ? ServiceType.CLUSTER_IP : this.serviceType,
            clusterIP: headless ? 'None' : undefined,
            selector: { ...this.selectorLabels },
            ports: this.ports.map((p) => compact({
              name: p.name, port: p.servicePort, targetPort: p.name, protocol: p.protocol, appProtocol: p.appProtocol, nodePort: p.nodePort,
            })),
            externalTrafficPolicy: Lazy.any({ produce: () => this.externalTrafficPolicy }),
            sessionAffinity: Lazy.any({ produce: () => (this.sessionAffinityTimeoutSeconds === undefined ? undefined : 'ClientIP') }),
            sessionAffinityConfig: Lazy.any({
              produce: () => (this.sessionAffinityTimeoutSeconds === undefined ? undefined : { clientIP: { timeoutSeconds: this.sessionAffinityTimeoutSeconds } }),
            }),
            loadBalancerSourceRanges: props.loadBalancerSourceRanges,
          }),
        },
      });
    }

    // ---- autoscaling
    if (as) {
      const metrics: Json[] = [];
      if (as.cpuUtilization !== undefined || !as.podsMetric) {
        metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: as.cpuUtilization ?? 70 } } });
      }
      if (as.podsMetric) {
        metrics.push({ type: 'Pods', pods: { metric: { name: as.podsMetric.name }, target: { type: 'AverageValue', averageValue: as.podsMetric.averageValue } } });
      }
      this.horizontalPodAutoscaler = manifest(this, 'HorizontalPodAutoscaler', 'autoscaling/v2', 'HorizontalPodAutoscaler', {
        ...meta,
        name: this.name,
        body: {
          spec: compact({
            scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.name },
            minReplicas: this.minReplicas,
            maxReplicas: this.maxReplicas,
            metrics,
            behavior: scaleDownSeconds !== undefined ? { scaleDown: { stabilizationWindowSeconds: scaleDownSeconds } } : undefined,
          }),
        },
      });
    }

    // ---- disruption budget
    if (budget.field !== 'none') {
      this.podDisruptionBudget = manifest(this, 'PodDisruptionBudget', 'policy/v1', 'PodDisruptionBudget', {
        ...meta,
        name: this.name,
        body: { spec: { [budget.field]: budget.value, selector: { matchLabels: { ...this.selectorLabels } } } },
      });
    }

    this.node.addValidation({ validate: () => [...(udpReadiness ? [udpReadiness] : []), ...this.validateExposure(), ...this.validateCollisions()] });
  }

  /**
   * Synth-time check against the WebApps created before this one in the same cdk8s App: a node port
   * is allocated cluster-wide, so a second Service asking for it is rejected; and overlapping selectors
   * in one namespace make each Service route to the other app's pods and the Deployments fight over them.
   */
  private validateCollisions(): string[] {
    const index = collisionIndex(this.node.root);
    // cdk8s's App.synth() validates the whole app once per chart: while no WebApp joins the tree, the
    // answer cannot change (it depends only on the apps' ports and labels, fixed at construction).
    if (this.collisionCache?.index === index) return this.collisionCache.errors;
    const errors: string[] = [];
    const mine = index.order.get(this) ?? Infinity;
    const earlier = (apps: WebApp[] | undefined) => (apps ?? []).filter((a) => (index.order.get(a) ?? Infinity) < mine);
    if (this.service) {
      for (const nodePort of new Set(this.ports.map((p) => p.nodePort).filter((n): n is number => n !== undefined))) {
        for (const other of earlier(index.byNodePort.get(nodePort))) {
          errors.push(`${this.owner}: nodePort ${nodePort} is also used by WebApp '${other.name}', and node ports are allocated cluster-wide, so the apiserver would reject the second Service; `
            + 'give each Service its own nodePort, or leave nodePort out to let Kubernetes pick one');
        }
      }
    }
    const matches = (selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>) =>
      Object.entries(selector).every(([k, v]) => labels[k] === v);
    for (const other of earlier(index.byApp.get(appKey(this)))) {
      if (matches(this.selectorLabels, other.podLabels) || matches(other.selectorLabels, this.podLabels)) {
        errors.push(`${this.owner}: selector ${JSON.stringify(this.selectorLabels)} overlaps the selector ${JSON.stringify(other.selectorLabels)} of WebApp '${other.name}' in the same namespace (one matches the other's pods), so a Service would route to both apps and the Deployments would fight over the pods; `
          + 'give each app its own appLabel, or set selectVersion on both with different versions');
      }
    }
    this.collisionCache = { index, errors };
    return errors;
  }

  /**
   * Synth-time check: an app whose ingress is isolated with no allowed peer at all cannot be exposed,
   * since the Ingress controller's pods (or, for NodePort/LoadBalancer, the nodes and clients) are peers
   * like any other and would be denied: 502s or timeouts, with nothing in the manifests saying why.
   */
  private validateExposure(): string[] {
    if (!this.ingressIsolated || this.ingressPeers.length > 0) return [];
    const external = this.service !== undefined && (this.serviceType === ServiceType.NODE_PORT || this.serviceType === ServiceType.LOAD_BALANCER);
    const via: string[] = [];
    const who: string[] = [];
    const fixes: string[] = [];
    if (this._ingress) {
      via.push(`Ingress '${this.name}' (exposeViaIngress)`);
      who.push('the Ingress controller');
      fixes.push('allowFrom(NetworkPeer.namespace(\'<your ingress controller namespace>\'))');
    }
    if (external) {
      via.push(`a ${this.serviceType} Service`);
      who.push('clients of the node ports and load balancer');
      fixes.push('allowFrom(NetworkPeer.ipBlock(\'<client CIDR>\'))');
    }
    if (!via.length) return [];
    return [`${this.owner}: isolate() denies all ingress but the app is exposed through ${via.join(' and ')}, so ${who.join(' and ')} could never reach the pods (502s or timeouts); `
      + `allow them with ${fixes.join(' and ')}, or do not expose the app`];
  }

  /** The NetworkPolicy, once {@link isolate}, {@link allowFrom} or {@link allowTo} was called. */
  public get networkPolicy(): ApiObject | undefined {
    return this._networkPolicy;
  }

  /** The Ingress, once {@link exposeViaIngress} was called. */
  public get ingress(): ApiObject | undefined {
    return this._ingress;
  }

  /**
   * Client-IP session affinity: kube-proxy sends every connection from one client IP to the same pod
   * for `timeout` after the client's last connection (`sessionAffinity: ClientIP`,
   * `sessionAffinityConfig.clientIP.timeoutSeconds`, 1s-24h). For NodePort and LoadBalancer Services
   * it also sets `externalTrafficPolicy: Local`: with `Cluster`, a node forwarding to a pod on another
   * node SNATs the packet to its own IP, so kube-proxy would see the node, not the client, and pin
   * whole nodes' worth of users to one pod. Only callers whose packets reach kube-proxy with their own
   * IP stick: not traffic through an Ingress controller or other proxy, not mesh (Envoy) callers.
   * @see https://kubernetes.io/docs/reference/networking/virtual-ips/#session-affinity
   */
  public setSessionAffinity(timeout: Duration = Duration.hours(3)): void {
    if (!this.service) fail(this.owner, 'setSessionAffinity needs a Service', 'give the app a port and keep createService');
    if (this.serviceType === ServiceType.HEADLESS) {
      fail(this.owner, 'session affinity on a headless Service does nothing (DNS returns the pod IPs; kube-proxy is not involved)', 'use serviceType CLUSTER_IP, NODE_PORT or LOAD_BALANCER');
    }
    const seconds = wholeSeconds(this.owner, 'session affinity timeout', timeout);
    validateInt(this.owner, 'session affinity timeout (seconds)', seconds, 1, 86400);
    if (this.serviceType === ServiceType.NODE_PORT || this.serviceType === ServiceType.LOAD_BALANCER) {
      if (this.externalTrafficPolicy === ExternalTrafficPolicy.CLUSTER) {
        fail(this.owner, 'externalTrafficPolicy Cluster SNATs external clients to node IPs, so ClientIP session affinity would pin by node, not by client',
          'remove externalTrafficPolicy (session affinity sets Local) or set it to ExternalTrafficPolicy.LOCAL');
      }
      this.externalTrafficPolicy = ExternalTrafficPolicy.LOCAL;
    }
    this.sessionAffinityTimeoutSeconds = seconds;
  }

  /** The ClientIP session affinity timeout in seconds, once {@link setSessionAffinity} was called. */
  public get sessionAffinityTimeout(): number | undefined {
    return this.sessionAffinityTimeoutSeconds;
  }

  /** The main port (the first one), if any. */
  public get mainPort(): ResolvedPort | undefined {
    return this.ports[0];
  }

  /** In-cluster DNS name of the Service (`<name>` in the same namespace, `<name>.<ns>.svc` otherwise). */
  public get host(): string {
    return this.namespace ? `${this.name}.${this.namespace}.svc` : this.name;
  }

  /** Names of the env vars set so far. */
  public get envNames(): string[] {
    return this.env.map((e) => e.name);
  }

  /**
   * Adds an environment variable to the app container. Throws if the name is invalid or already set.
   */
  public addEnv(name: string, value: string | EnvValue): void {
    const entry = envEntry(this.owner, name, value);
    if (this.env.some((e) => e.name === name)) {
      fail(this.owner, `env var ${show(name)} is already set`, 'use another name (or a prefix), or remove the earlier definition');
    }
    this.env.push(entry);
  }

  /** Imports a whole Secret or ConfigMap as env. */
  public addEnvFrom(source: EnvFrom): void {
    this.envFrom.push(envFromEntry(this.owner, `envFrom[${this.envFrom.length}]`, source));
  }

  /** Adds a pod annotation (the key must be a qualified name such as `example.com/team`). */
  public addPodAnnotation(key: string, value: string): void {
    validateAnnotations(this.owner, 'pod annotation', { [key]: value });
    this.podAnnotations[key] = value;
  }

  /** Mounts an emptyDir at `path` in the app container (`medium: Memory` for tmpfs). */
  public addEmptyDir(volumeName: string, path: string, options: { readonly medium?: 'Memory'; readonly sizeLimit?: string } = {}): void {
    if (options.sizeLimit) validateQuantity(this.owner, `emptyDir ${volumeName} sizeLimit`, options.sizeLimit, 'storage');
    this.addVolume({ name: volumeName, emptyDir: compact({ medium: options.medium, sizeLimit: options.sizeLimit }) }, { mountPath: path });
  }

  /**
   * Adds a pod volume and mounts it in the app container. `volume` is a `volumes[]` entry (with `name`),
   * `mount` a `volumeMounts[]` entry without its name.
   */
  public addVolume(volume: Json, mount: { readonly mountPath: string; readonly readOnly?: boolean; readonly subPath?: string }): void {
    if (this.volumes.some((v) => v.name === volume.name)) fail(this.owner, `volume ${show(volume.name)} already exists`, 'use another volume name');
    if (this.mounts.some((m) => m.mountPath === mount.mountPath)) fail(this.owner, `mount path ${show(mount.mountPath)} is already mounted`, 'mount each path once');
    this.volumes.push(volume);
    this.mounts.push(compact({ name: volume.name, ...mount }));
  }

  /**
   * Mounts a volume the pod spec does not list itself (e.g. a StatefulSet `volumeClaimTemplates`
   * entry, which the StatefulSet controller adds to each pod) in the app container.
   */
  public addVolumeMount(volumeName: string, mount: { readonly mountPath: string; readonly readOnly?: boolean; readonly subPath?: string }): void {
    if (this.volumes.some((v) => v.name === volumeName) || this.mounts.some((m) => m.name === volumeName)) fail(this.owner, `volume ${show(volumeName)} already exists`, 'use another volume name');
    if (this.mounts.some((m) => m.mountPath === mount.mountPath)) fail(this.owner, `mount path ${show(mount.mountPath)} is already mounted`, 'mount each path once');
    this.mounts.push(compact({ name: volumeName, ...mount }));
  }

  /** Adds an init container, hardened like the app container (same uid, restricted security context). */
  public addInitContainer(options: InitContainerOptions): Json {
    if (this.initContainers.some((c) => c.name === options.name) || options.name === this.name) {
      fail(this.owner, `init container name ${show(options.name)} is already used by ${options.name === this.name ? 'the app container' : 'another init container'}`,
        'add the container once, or give it another name (addInitContainer\'s name option, or waitFor\'s name argument)');
    }
    const c = this.helperContainer(options);
    this.initContainers.push(c);
    return c;
  }

  /**
   * Adds an init container that waits until `host:port` accepts TCP connections, so the app does not
   * crash-loop while a dependency starts.
   */
  public waitFor(host: string, port: number, name?: string): Json {
    validatePort(this.owner, 'waitFor port', port);
    if (!isDnsName(host, false)) fail(this.owner, `waitFor host ${show(host)} is not a DNS name`, 'use a Service name such as \'db\' or \'db.shop.svc\'');
    return this.addInitContainer({
      name: name ?? toDnsLabel(`wait-for-${host.split('.')[0]}`),
      image: BUSYBOX_IMAGE,
      command: ['sh', '-c', `until nc -z -w 2 ${host} ${port}; do echo waiting for ${host}:${port}; sleep 2; done`],
    });
  }

  /**
   * Isolates the pods: a NetworkPolicy named like the app denies all ingress (and, with
   * `egress: true`, all egress but DNS) except what {@link allowFrom} / {@link allowTo} declare.
   * `egress: true` does not turn ingress isolation off (pass `ingress: false` for that). Synth fails if
   * ingress is isolated with no allowed peer at all while the app is exposed through
   * {@link exposeViaIngress} or a NodePort/LoadBalancer Service: allow the Ingress controller's
   * namespace (`allowFrom(NetworkPeer.namespace('ingress-nginx'))`) or the clients' `ipBlock`.
   */
  public isolate(options: IsolateOptions = {}): ApiObject {
    if (options.ingress ?? true) this.ingressIsolated = true;
    if (options.egress) this.egressIsolated = true;
    return this.ensureNetworkPolicy();
  }

  /**
   * Allows ingress from `peer` (to `port`, default every container port of the pod, sidecars' included,
   * such as the metrics exporter's 9113) and isolates ingress. `port` must be one of those ports.
   * When the peer is a WebApp with isolated egress, its egress to this app is allowed too.
   */
  public allowFrom(peer: WebApp | NetworkPeer, port?: number): void {
    const p = peer instanceof WebApp ? NetworkPeer.webApp(peer) : peer;
    const ports = this.rulePorts(port);
    this.ingressPeers.push({ peer: p, ports });
    if (p.app) p.app.egressPeers.push({ peer: NetworkPeer.webApp(this), ports });
    this.isolate({ ingress: true });
  }

  /**
   * Allows egress to `peer` (to `port`, default every container port of a WebApp peer's pods, sidecars'
   * included; any port otherwise) and
   * isolates egress (DNS stays allowed). When the peer is a WebApp, its ingress from this app is allowed too.
   */
  public allowTo(peer: WebApp | NetworkPeer, port?: number): void {
    const p = peer instanceof WebApp ? NetworkPeer.webApp(peer) : peer;
    const ports = p.app ? p.app.rulePorts(port) : port !== undefined ? this.rulePorts(port, true) : undefined;
    this.egressPeers.push({ peer: p, ports });
    if (p.app) p.app.ingressPeers.push({ peer: NetworkPeer.webApp(this), ports });
    this.isolate({ ingress: false, egress: true });
  }

  /**
   * Declares egress to `peer` like {@link allowTo} but does not isolate egress: the rule is rendered only
   * if the app's egress is isolated, whether {@link isolate} / {@link allowTo} is called before or after.
   * For libraries that must keep an egress-isolated app working without isolating apps that are not.
   */
  public allowToIfEgressIsolated(peer: NetworkPeer, port?: number): void {
    this.egressPeers.push({ peer, ports: port !== undefined ? this.rulePorts(port, true) : undefined });
  }

  /**
   * Routes external HTTP traffic to the app's main Service port through an Ingress named like the app.
   * Calling it again adds rules to the same Ingress.
   */
  public exposeViaIngress(options: IngressOptions = {}): ApiObject {
    if (!this.service || !this.mainPort) fail(this.owner, 'exposeViaIngress needs a Service', 'give the app a port and keep createService');
    const path = options.path ?? '/';
    if (!path.startsWith('/')) fail(this.owner, `ingress path ${show(path)} does not start with '/'`, `use '/${path}'`);
    if (options.host !== undefined && isIpAddress(options.host)) {
      fail(this.owner, `ingress host ${show(options.host)} is an IP address, which the apiserver rejects in an Ingress rule (it must be a DNS name)`,
        'leave host out to match every host, or use a DNS name that resolves to the Ingress controller');
    }
    if (options.host !== undefined && !isDnsName(options.host)) {
      fail(this.owner, `ingress host ${show(options.host)} is not a DNS name`, 'use a lowercase DNS name such as \'shop.example.com\' or a single leading wildcard \'*.example.com\'');
    }
    if (options.className !== undefined) validateDns1123Subdomain(this.owner, 'ingress className', options.className, 'nginx');
    if (options.tlsSecretName !== undefined) validateDns1123Subdomain(this.owner, 'ingress tlsSecretName', options.tlsSecretName, 'shop-tls');
    validateAnnotations(this.owner, 'ingress annotations', options.annotations ?? {});
    if (options.className !== undefined) {
      if (this.ingressClassName !== undefined && this.ingressClassName !== options.className) {
        fail(this.owner, `ingress className ${show(options.className)} differs from ${show(this.ingressClassName)} given earlier`, 'use one IngressClass per app');
      }
      this.ingressClassName = options.className;
    }
    const httpPath = { path, pathType: options.pathType ?? PathType.PREFIX, backend: { service: { name: this.name, port: { name: this.mainPort.name } } } };
    const existing = this.ingressRules.find((r) => r.host === options.host);
    if (existing) existing.http.paths.push(httpPath);
    else this.ingressRules.push(compact({ host: options.host, http: { paths: [httpPath] } }));
    if (options.tlsSecretName) {
      if (!options.host) fail(this.owner, 'ingress tlsSecretName needs a host', 'set host');
      const tls = this.ingressTls.find((t) => t.secretName === options.tlsSecretName);
      if (tls) tls.hosts.push(options.host);
      else this.ingressTls.push({ hosts: [options.host], secretName: options.tlsSecretName });
    }
    if (!this._ingress) {
      this._ingress = manifest(this, 'Ingress', 'networking.k8s.io/v1', 'Ingress', {
        name: this.name,
        namespace: this.namespace,
        labels: { ...this.objectLabels },
        body: {
          spec: Lazy.any({
            produce: () => compact({ ingressClassName: this.ingressClassName, rules: this.ingressRules, tls: this.ingressTls.length ? this.ingressTls : undefined }),
          }),
        },
      });
    }
    for (const [key, value] of Object.entries(options.annotations ?? {})) this._ingress.metadata.addAnnotation(key, value);
    return this._ingress;
  }

  /** Every container port of the pod: the app container's, then its sidecars' (e.g. the metrics exporter's 9113). */
  private podPorts(): Array<{ containerPort: number; protocol: Protocol }> {
    return [...this.ports, ...this.sidecars.flatMap((c) => (c.ports ?? []) as Array<{ containerPort: number; protocol: Protocol }>)];
  }

  private rulePorts(port?: number, anyPort = false): Array<{ port: number; protocol: Protocol }> | undefined {
    const ports = this.podPorts();
    if (port !== undefined) {
      validatePort(this.owner, 'network policy port', port);
      if (!anyPort && ports.length && !ports.some((p) => p.containerPort === port)) {
        fail(this.owner, `network policy port ${port} is not a container port (${ports.map((p) => p.containerPort).join(', ')})`, 'name one of the pod\'s container ports');
      }
      const protocols = [...new Set(ports.filter((p) => p.containerPort === port).map((p) => p.protocol))];
      return (protocols.length ? protocols : [Protocol.TCP]).map((protocol) => ({ port, protocol }));
    }
    const all = [...new Map(ports.map((p) => [`${p.containerPort}/${p.protocol}`, { port: p.containerPort, protocol: p.protocol }])).values()];
    return all.length ? all : undefined;
  }

  private ensureNetworkPolicy(): ApiObject {
    if (this._networkPolicy) return this._networkPolicy;
    const render = (rules: PeerRule[], key: 'from' | 'to') => rules.map((r) => compact({
      [key]: [r.peer._render(this.namespace)],
      ports: r.ports?.map((p) => ({ port: p.port, protocol: p.protocol })),
    }));
    this._networkPolicy = manifest(this, 'NetworkPolicy', 'networking.k8s.io/v1', 'NetworkPolicy', {
      name: this.name,
      namespace: this.namespace,
      labels: { ...this.objectLabels },
      body: {
        spec: Lazy.any({
          produce: () => {
            const policyTypes = [...(this.ingressIsolated ? ['Ingress'] : []), ...(this.egressIsolated ? ['Egress'] : [])];
            const egress = this.egressIsolated ? [...render(this.egressPeers, 'to'), DNS_EGRESS] : undefined;
            return compact({
              podSelector: { matchLabels: { ...this.selectorLabels } },
              policyTypes,
              ingress: this.ingressIsolated ? render(dedupeRules(this.ingressPeers), 'from') : undefined,
              egress: egress ? dedupeJson(egress) : undefined,
            });
          },
        }),
      },
    });
    return this._networkPolicy;
  }

  private helperContainer(options: InitContainerOptions, extra: Json = {}): Json {
    if (!isDns1123Label(options.name)) {
      fail(this.owner, `container name ${show(options.name)} is not a DNS-1123 label`, 'use lowercase letters, digits and \'-\'');
    }
    validateImage(this.owner, `container ${options.name} image`, options.image, false);
    const env = Object.entries(options.env ?? {}).map(([name, value]) => envEntry(this.owner, name, value));
    return compact({
      name: options.name,
      image: options.image,
      imagePullPolicy: ImagePullPolicy.IF_NOT_PRESENT,
      command: options.command ? [...options.command] : undefined,
      args: options.args ? [...options.args] : undefined,
      env: env.length ? env : undefined,
      ...extra,
      resources: renderResources(this.owner, `container ${options.name} resources`, options.resources ?? HELPER_RESOURCES),
      securityContext: restrictedSecurityContext({ ...this.securityOptions, readOnlyRootFilesystem: true, addCapabilities: undefined }),
    });
  }
}

/** The WebApps of one construct tree, indexed for the synth-time collision checks (built once per tree, not once per app). */
interface CollisionIndex {
  /** {@link webAppCount} when the index was built: a WebApp created since makes it stale. */
  readonly stamp: number;
  /** Each WebApp's position in tree order (the later of two colliding apps reports). */
  readonly order: Map<WebApp, number>;
  /** WebApps with a Service, by fixed node port. */
  readonly byNodePort: Map<number, WebApp[]>;
  /** WebApps by namespace and `app` label (every selector includes `app`). */
  readonly byApp: Map<string, WebApp[]>;
}

let webAppCount = 0;
const COLLISION_INDEX = new WeakMap<IConstruct, CollisionIndex>();

function appKey(app: WebApp): string {
  return `${app.namespace ?? ''}\u0000${app.selectorLabels.app}`;
}

function collisionIndex(root: IConstruct): CollisionIndex {
  const cached = COLLISION_INDEX.get(root);
  if (cached && cached.stamp === webAppCount) return cached;
  const index: CollisionIndex = { stamp: webAppCount, order: new Map(), byNodePort: new Map(), byApp: new Map() };
  const push = <K>(map: Map<K, WebApp[]>, key: K, app: WebApp) => {
    const list = map.get(key);
    if (list) list.push(app);
    else map.set(key, [app]);
  };
  for (const c of root.node.findAll()) {
    // (A WebApp whose constructor threw, and that a caller caught, stays in the tree half-built: skip it.)
    if (!(c instanceof WebApp) || !c.ports || !c.selectorLabels) continue;
    index.order.set(c, index.order.size);
    if (c.service) new Set(c.ports.map((p) => p.nodePort).filter((n): n is number => n !== undefined)).forEach((n) => push(index.byNodePort, n, c));
    push(index.byApp, appKey(c), c);
  }
  COLLISION_INDEX.set(root, index);
  return index;
}

const DNS_EGRESS: Json = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
};

function dedupeRules(rules: PeerRule[]): PeerRule[] {
  const seen = new Set<string>();
  return rules.filter((r) => {
    const key = JSON.stringify([r.peer._render(undefined), r.peer.toString(), r.ports]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function dedupeJson(items: Json[]): Json[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const key = JSON.stringify(i);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function versionFromImage(tag: string | undefined, digest: string | undefined): string {
  if (digest) return digest.replace(/^[a-z0-9]+:/, '').slice(0, 12);
  if (!tag) return 'unversioned';
  const v = tag.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 63).replace(/[^A-Za-z0-9]+$/, '');
  return v || 'unversioned';
}

function resolvePorts(owner: string, props: WebAppProps): ResolvedPort[] {
  if (props.port !== undefined && props.ports !== undefined) fail(owner, 'port and ports are both set', 'use port for one HTTP port, or ports for several');
  const input: PortOptions[] = props.ports ?? (props.port !== undefined ? [{ containerPort: props.port }] : []);
  const resolved = input.map((p, i): ResolvedPort => {
    validatePort(owner, `ports[${i}].containerPort`, p.containerPort);
    const protocol = p.protocol ?? Protocol.TCP;
    const name = p.name ?? (i === 0 ? 'http' : `${protocol.toLowerCase()}-${p.containerPort}`);
    validatePortName(owner, `ports[${i}].name`, name);
    const servicePort = p.servicePort ?? (i === 0 ? 80 : p.containerPort);
    validatePort(owner, `ports[${i}].servicePort`, servicePort);
    if (p.nodePort !== undefined && (!Number.isInteger(p.nodePort) || p.nodePort < 30000 || p.nodePort > 32767)) {
      fail(owner, `ports[${i}].nodePort ${show(p.nodePort)} is outside 30000-32767`, 'use a node port between 30000 and 32767, or leave it out to let Kubernetes pick one');
    }
    return compact({ containerPort: p.containerPort, name, protocol, appProtocol: p.appProtocol, servicePort, nodePort: p.nodePort }) as ResolvedPort;
  });
  const dup = <T>(values: T[]) => values.find((v, i) => values.indexOf(v) !== i);
  const dupName = dup(resolved.map((p) => p.name));
  if (dupName !== undefined) fail(owner, `port name ${show(dupName)} is used twice`, 'give every port a unique name');
  const dupNumber = dup(resolved.map((p) => `${p.containerPort}/${p.protocol}`));
  if (dupNumber !== undefined) fail(owner, `container port ${dupNumber} is declared twice`, 'declare each container port once');
  const dupService = dup(resolved.map((p) => `${p.servicePort}/${p.protocol}`));
  if (dupService !== undefined) fail(owner, `service port ${dupService} is used twice`, 'give every port a unique servicePort');
  return resolved;
}

function validateServiceOptions(owner: string, props: WebAppProps, type: ServiceType, ports: readonly ResolvedPort[]): void {
  const external = type === ServiceType.NODE_PORT || type === ServiceType.LOAD_BALANCER;
  const withNodePort = ports.find((p) => p.nodePort !== undefined);
  if (withNodePort && !external) {
    fail(owner, `nodePort ${withNodePort.nodePort} is set but serviceType is ${type}`, 'use serviceType NODE_PORT or LOAD_BALANCER, or remove nodePort');
  }
  if (props.loadBalancerSourceRanges) {
    if (type !== ServiceType.LOAD_BALANCER) fail(owner, `loadBalancerSourceRanges is set but serviceType is ${type}`, 'use serviceType LOAD_BALANCER');
    props.loadBalancerSourceRanges.forEach((c, i) => validateCidr(owner, `loadBalancerSourceRanges[${i}]`, c));
  }
  if (props.externalTrafficPolicy && !external) {
    fail(owner, `externalTrafficPolicy is set but serviceType is ${type}`, 'use serviceType NODE_PORT or LOAD_BALANCER');
  }
}

function validateBudget(owner: string, budget: DisruptionBudget, minReplicas: number): void {
  if (budget.field === 'none') return;
  const v = budget.value;
  if (typeof v === 'string') {
    const m = /^(\d{1,3})%$/.exec(v);
    if (!m || Number(m[1]) > 100) fail(owner, `disruptionBudget ${budget.field} ${show(v)} is not an integer or a percentage`, 'use e.g. 1 or \'25%\'');
    const pct = Number(m[1]);
    if (budget.field === 'minAvailable' && pct === 100) fail(owner, 'disruptionBudget minAvailable \'100%\' can never be satisfied during a drain', 'use maxUnavailable(1) or a lower percentage');
    if (budget.field === 'maxUnavailable' && pct === 0) fail(owner, 'disruptionBudget maxUnavailable \'0%\' blocks every drain forever', 'use maxUnavailable(1)');
    // The disruption controller rounds a minAvailable percentage up: ceil(pct × pods) pods must stay.
    const kept = Math.ceil((pct * minReplicas) / 100);
    if (budget.field === 'minAvailable' && minReplicas > 0 && kept >= minReplicas) {
      const most = Math.floor((100 * (minReplicas - 1)) / minReplicas);
      fail(owner, `disruptionBudget minAvailable ${show(v)} can never be satisfied with ${minReplicas} replica(s): Kubernetes rounds ${v} of ${minReplicas} up to ${kept}, so no pod could ever be evicted`,
        `${minReplicas > 1 ? `use minAvailable('${most}%') or less, ` : ''}use maxUnavailable(1), or run more replicas`);
    }
    return;
  }
  validateInt(owner, `disruptionBudget ${budget.field}`, v, 0);
  if (budget.field === 'maxUnavailable' && v === 0) fail(owner, 'disruptionBudget maxUnavailable 0 blocks every drain forever', 'use maxUnavailable(1)');
  if (budget.field === 'minAvailable' && v >= minReplicas) {
    fail(owner, `disruptionBudget minAvailable ${v} can never be satisfied with ${minReplicas} replica(s): no pod could ever be evicted`,
      `use minAvailable(${Math.max(0, minReplicas - 1)}) or fewer, maxUnavailable(1), or run more replicas`);
  }
}

function validateMaxSurge(owner: string, maxSurge: unknown): void {
  const percent = typeof maxSurge === 'string' ? /^(\d+)%$/.exec(maxSurge) : null;
  if (!(typeof maxSurge === 'number' && Number.isInteger(maxSurge) && maxSurge >= 0) && !percent) {
    fail(owner, `maxSurge ${show(maxSurge)} is not a non-negative integer or a percentage`, 'use e.g. 1 or \'25%\'');
  }
  if (maxSurge === 0 || (percent && Number(percent[1]) === 0)) {
    fail(owner, `maxSurge ${show(maxSurge)} leaves no room for a new pod: maxUnavailable is always 0, and the apiserver rejects a Deployment with both 0`,
      'use maxSurge 1 or a percentage such as \'25%\'');
  }
}

function validatePodsMetric(owner: string, metric: PodsMetric): void {
  const name = metric.name;
  if (typeof name !== 'string' || name === '' || name === '.' || name === '..' || /[/%]/.test(name)) {
    fail(owner, `autoscaling.podsMetric.name ${show(name)} is not a metric name`,
      'give the name the custom metrics API serves, without \'/\' or \'%\' (e.g. \'http_requests_per_second\')');
  }
  const value = validateQuantity(owner, 'autoscaling.podsMetric.averageValue', metric.averageValue, 'cpu');
  if (!(value > 0)) {
    fail(owner, `autoscaling.podsMetric.averageValue ${show(metric.averageValue)} is not positive`, 'give the target average per pod, e.g. \'100\' or \'500m\'');
  }
}

function validateWritablePaths(owner: string, paths: string[]): void {
  const seen = new Set<string>();
  for (const p of paths) {
    if (!p.startsWith('/')) fail(owner, `writablePaths entry ${show(p)} is not an absolute path`, `use '/${p}'`);
    const norm = p.length > 1 ? p.replace(/\/+$/, '') : p;
    if (norm === '/' || norm.split('/').some((s) => s === '..' || s === '.')) fail(owner, `writablePaths entry ${show(p)} is not a plain directory`, 'name a directory such as \'/tmp\' or \'/var/cache/nginx\'');
    if (seen.has(norm)) fail(owner, `writablePaths entry ${show(p)} is listed twice`, 'list each path once');
    seen.add(norm);
  }
}

function volumeNameFor(path: string, existing: Json[]): string {
  const base = toDnsLabel(path) || 'writable';
  let name = base;
  for (let i = 2; existing.some((v) => v.name === name); i++) name = `${base}-${i}`;
  return name;
}

