// The model of one Compose service: what its Compose keys say, as WebApp props (ports, resources,
// probes, command, user, lifecycle...), and the WebApp built from them.
import { Duration } from 'cdk8s';
import { Json, compact } from '../k8s-object';
import { ValidationError, imageProfile } from '../core';
import { mergeResourceRange } from '../k8s';
import { parseQuantity, show } from '../core';
import {
  DEFAULT_RESOURCES, EnvValue, ImagePullPolicy, IngressOptions, PortOptions, Probe, Protocol, ResourceRange, Resources,
  WebApp, WebAppDefaults, WebAppProps,
} from '../web-app';
import { COMPOSE_NAME_ANNOTATION, ComposeConversion, KeyPath } from './context';
import { kubernetesSecretRefs, secretRefsIn, shellCommandWithSecretRefs, shellSecretRefs } from './secret-refs';
import { ComposePort, mergePorts, parseExposeEntry, parsePortEntry, publishedText } from './ports';
import {
  composeBytesToQuantity, composeCpusToQuantity, environmentEntries, escapeKubernetesExpansion, parseComposeDuration, parseUser, splitWords,
} from './values';
import type { ComposeServiceOptions } from './props';
import { VolumeMount } from './volumes';
import type { WorkloadProps } from './workload';

/** The most ports one Kubernetes Service (its EndpointSlice) holds. */
const MAX_SERVICE_PORTS = 100;

/** A container port of a service and where it came from. */
export type ServicePort = ComposePort & { source: 'ports' | 'expose' | 'image' | 'options' | 'reference' | 'environment' };

/** The probes a healthcheck gives. */
export interface ServiceProbes {
  /** The healthcheck as readiness probe. */
  readonly readiness?: Probe;
  /** A more tolerant liveness probe: a TCP connect to the main port, with three times the healthcheck's retries. */
  readonly liveness?: Probe;
  /** The healthcheck during `start_period`, when there is one. */
  readonly startup?: Probe;
}

/** The split `entrypoint` or `command` of a service; fails on an unclosed quote or an empty override. */
export function composeCommand(ctx: ComposeConversion, n: string, key: 'entrypoint' | 'command'): string[] {
  const value = ctx.service(n)[key];
  const words = Array.isArray(value) ? [...value] : splitWords(String(value));
  if (typeof words === 'string') ctx.err(['services', n, key], `${key} ${show(value)} ${words}`, 'close the quote');
  if (words.length === 0) {
    ctx.err(['services', n, key], `${key} ${show(value)} is empty: Compose then runs the container with no ${key === 'entrypoint' ? 'entrypoint' : 'command'} (overriding the image's), which Kubernetes cannot express`,
      `give the ${key} to run explicitly (e.g. ${key}: ["/docker-entrypoint.sh"]), or remove the key to keep the image's`);
  }
  return words;
}

/**
 * The container ports of service `n` from `ports` and `expose` (else its image's well-known ports), merged,
 * TCP first; fails on an invalid entry or more ports than one Service holds.
 */
export function composePorts(ctx: ComposeConversion, n: string): ServicePort[] {
  const s = ctx.service(n);
  const out: Array<ServicePort & { entry: [string, number] }> = [];
  (s.ports ?? []).forEach((p: unknown, i: number) => {
    const parsed = parsePortEntry(p);
    if (typeof parsed === 'string') ctx.err(['services', n, 'ports', i], `${show(p)} ${parsed}`, 'use e.g. \'8080:80\', \'53:53/udp\', \'9000-9002:9000-9002\' or { target: 80, published: 8080 }');
    parsed.forEach((q) => out.push({ ...q, source: 'ports', entry: ['ports', i] }));
  });
  (s.expose ?? []).forEach((p: unknown, i: number) => {
    const parsed = parseExposeEntry(p);
    if (typeof parsed === 'string') ctx.err(['services', n, 'expose', i], `${show(p)} ${parsed}`, 'use e.g. \'3000\', \'5000-5002\' or \'53/udp\'');
    parsed.forEach((q) => out.push({ ...q, source: 'expose', entry: ['expose', i] }));
  });
  if (!out.length) {
    const known = imageProfile(ctx.imageOf(n) ?? '');
    known?.ports.forEach((containerPort) => out.push({ containerPort, protocol: Protocol.TCP, source: 'image', entry: ['image', 0] }));
    if (known) ctx.note(`service ${n} has no ports; using its image's well-known port(s) ${known.ports.join(', ')}`);
  }
  // Kubernetes caps a Service (its EndpointSlice) at 100 ports.
  const seen = new Set<string>();
  for (const p of out) {
    seen.add(`${p.containerPort}/${p.protocol}`);
    if (seen.size > MAX_SERVICE_PORTS) {
      ctx.err(['services', n, p.entry[0], p.entry[1]], `${show(s[p.entry[0]][p.entry[1]])} brings service ${n} to more than ${MAX_SERVICE_PORTS} ports, the most one Kubernetes Service (EndpointSlice) holds`,
        'publish a smaller range, or split the service');
    }
  }
  const merged = mergePorts(out.map(({ entry: _e, ...p }) => p)) as ServicePort[];
  // TCP ports first: the main port gets the TCP readiness probe.
  return [...merged.filter((p) => p.protocol === Protocol.TCP), ...merged.filter((p) => p.protocol !== Protocol.TCP)];
}

/** The resources of service `n` from `deploy.resources`, `cpus`, `mem_limit` and `mem_reservation`, fitted around the defaults. */
export function composeResources(ctx: ComposeConversion, n: string): Resources | undefined {
  const s = ctx.service(n);
  const at = (...k: string[]) => ['services', n, ...k];
  const limits = s.deploy?.resources?.limits ?? {};
  const reservations = s.deploy?.resources?.reservations ?? {};
  const cpu = (v: unknown, where: Array<string | number>) => {
    if (v === undefined) return undefined;
    const q = composeCpusToQuantity(v as string | number);
    if (!q) ctx.err(where, `${show(v)} is not a CPU count`, 'use e.g. \'0.5\' or 2');
    return q;
  };
  const mem = (v: unknown, where: Array<string | number>) => {
    if (v === undefined) return undefined;
    const q = composeBytesToQuantity(v as string | number);
    if (!q) ctx.err(where, `${show(v)} is not a byte value`, 'use e.g. \'512m\' or \'1g\'');
    return q;
  };
  const cpuLimit = cpu(limits.cpus ?? s.cpus, limits.cpus !== undefined ? at('deploy', 'resources', 'limits', 'cpus') : at('cpus'));
  const cpuRequest = cpu(reservations.cpus, at('deploy', 'resources', 'reservations', 'cpus'));
  const memLimit = mem(limits.memory ?? s.mem_limit, limits.memory !== undefined ? at('deploy', 'resources', 'limits', 'memory') : at('mem_limit'));
  const memRequest = mem(reservations.memory ?? s.mem_reservation, reservations.memory !== undefined ? at('deploy', 'resources', 'reservations', 'memory') : at('mem_reservation'));
  if (!cpuLimit && !cpuRequest && !memLimit && !memRequest) return undefined;
  const base = WebAppDefaults.of(ctx.scope).resources ?? {};
  const fit = (dflt: ResourceRange | undefined, request?: string, limit?: string): ResourceRange | undefined => {
    if (!request && !limit) return undefined;
    let { request: req, limit: lim } = mergeResourceRange(dflt, { request, limit })!;
    // A limit below the default request lowers the request; a reservation above the default limit raises the limit.
    if (req && lim && parseQuantity(req)! > parseQuantity(lim)!) {
      if (request) lim = request;
      else req = lim;
    }
    return compact({ request: req, limit: lim });
  };
  return compact({
    // The chart's defaults merge into the library's field by field, as WebApp merges them.
    cpu: fit(mergeResourceRange(DEFAULT_RESOURCES.cpu, base.cpu), cpuRequest, cpuLimit),
    memory: fit(mergeResourceRange(DEFAULT_RESOURCES.memory, base.memory), memRequest, memLimit),
  });
}

/** The probes of service `n` from its `healthcheck`: readiness, a tolerant TCP liveness, and a startup probe for `start_period`. */
export function composeProbes(ctx: ComposeConversion, n: string): ServiceProbes {
  const hc = ctx.service(n).healthcheck;
  if (!hc || hc.disable) return {};
  const test: string[] = typeof hc.test === 'string' ? ['CMD-SHELL', hc.test] : hc.test ?? [];
  if (test.length === 0) {
    // Compose then keeps the image's HEALTHCHECK (with these timings), which Kubernetes does not run.
    ctx.note(`${n}: healthcheck has no test, so Compose runs the image's own HEALTHCHECK, which Kubernetes ignores; the WebApp's default probe is used (set options.services.${n}.readiness and liveness to check more)`);
    return {};
  }
  if (test[0] === 'NONE') return {};
  let command: string[];
  // A secret variable in the test is the container's variable, expanded by a shell (never its value).
  if (test[0] === 'CMD') command = test.slice(1).some((w) => secretRefsIn(w).length) ? shellCommandWithSecretRefs(test.slice(1)) : test.slice(1);
  else if (test[0] === 'CMD-SHELL') command = ['/bin/sh', '-c', shellSecretRefs(test.slice(1).join(' '))];
  else return ctx.err(['services', n, 'healthcheck', 'test'], `healthcheck test ${show(test)} starts with ${show(test[0])}`, 'start it with CMD, CMD-SHELL or NONE, or give a string');
  if (command.length === 0) ctx.err(['services', n, 'healthcheck', 'test'], 'healthcheck test has no command', 'give the command after CMD');
  const secs = (v: string | undefined, dflt: number) => (v === undefined ? dflt : Math.max(1, Math.ceil(parseComposeDuration(v)!)));
  const period = secs(hc.interval, 30);
  const timeout = secs(hc.timeout, 30);
  const retries = Math.max(1, Math.round(hc.retries ?? 3));
  const startPeriod = hc.start_period === undefined ? 0 : parseComposeDuration(hc.start_period)!;
  const base = { period: Duration.seconds(period), timeout: Duration.seconds(timeout), failureThreshold: retries };
  const startPeriodSecs = hc.start_interval === undefined ? period : secs(hc.start_interval, period);
  return {
    readiness: Probe.exec(command, base),
    // Not a copy of the healthcheck: a failing check (a slow database it calls, say) should take the pod
    // out of the Service, not restart it. Liveness asks only whether the process still accepts
    // connections on its main port, and tolerates three times the healthcheck's retries, at least 10 s
    // apart. (webAppProps drops it when the main port is not TCP.)
    liveness: Probe.tcp({ period: Duration.seconds(Math.max(period, 10)), timeout: Duration.seconds(timeout), failureThreshold: retries * 3 }),
    // start_period: failures before the first success do not count. A startup probe gives the app
    // that long (plus the usual retries) before liveness takes over.
    // start_interval (newer spec) is how often to probe during the start period.
    startup: startPeriod > 0
      ? Probe.exec(command, { ...base, period: Duration.seconds(startPeriodSecs), failureThreshold: Math.ceil(startPeriod / startPeriodSecs) + retries })
      : undefined,
  };
}

/** What {@link webAppProps} needs besides the Compose service: what the earlier steps derived. */
export interface WebAppInputs {
  /** The Kubernetes name. */
  readonly name: string;
  /** The ports from {@link composePorts}. */
  readonly ports: readonly ServicePort[];
  /** The rendered environment (literal values and Secret references). */
  readonly env: Record<string, string | EnvValue>;
  /** The service's volume mounts (their paths need no writable emptyDir). */
  readonly mounts: readonly VolumeMount[];
  /** The service's `tmpfs` entries. */
  readonly tmpfs: readonly string[];
  /** From {@link composeResources}. */
  readonly resources: Resources | undefined;
  /** From {@link composeProbes}. */
  readonly probes: ServiceProbes;
  /** Rewrites the host names in a value (`key`: the environment variable it is the value of). */
  readonly rewrite: (value: string, key?: string) => string;
  /** The workload props from {@link workloadProps}. */
  readonly workload: WorkloadProps;
  /** Extra pod labels (Compose network membership). */
  readonly podLabels?: Readonly<Record<string, string>>;
}

/** The props of a service's WebApp: what the Compose keys say, under the service's options. */
export interface ServiceWebAppProps {
  /** The props to build the WebApp with. */
  readonly props: WebAppProps;
  /** The options that are WebApp props (they override the Compose file: an error in one points at the service). */
  readonly overrides: Partial<WebAppProps>;
  /** The service's Ingress, if asked for. */
  readonly ingress: IngressOptions | undefined;
}

/**
 * Maps service `n` to WebApp props (ports, replicas, user, lifecycle, writable paths, capabilities,
 * pull policy, labels, command) and lays its options over them; notes published ports and added
 * capabilities, and fails on what a WebApp cannot express (a UDP-only service without readiness, cap_add ALL).
 */
export function webAppProps(ctx: ComposeConversion, n: string, inputs: WebAppInputs): ServiceWebAppProps {
  const s = ctx.service(n);
  const o = ctx.opts(n);
  const { name, ports, resources, probes, rewrite } = inputs;
  const at = (...k: Array<string | number>) => ['services', n, ...k];
  const image = ctx.imageOf(n)!;
  const known = imageProfile(image);

  // ---- replicas
  const replicas: number = s.deploy?.replicas ?? s.scale ?? 1;

  // ---- user
  const user = s.user !== undefined ? parseUser(s.user) : undefined;
  const runAsUser = user?.uid ?? known?.runAsUser;
  const runAsGroup = user?.gid ?? (user ? undefined : known?.runAsGroup);

  // ---- ports
  const portProps: PortOptions[] = ports.map((p) => compact({
    containerPort: p.containerPort, protocol: p.protocol, servicePort: p.containerPort, name: p.name ?? `${p.protocol.toLowerCase()}-${p.containerPort}`, appProtocol: p.appProtocol,
  }));
  for (const p of ports.filter((q) => q.published)) {
    ctx.note(`${n} publishes ${publishedText(p)} → ${p.containerPort}/${p.protocol}: the Service ${name} serves it on ${p.containerPort} inside the cluster; ${ctx.props.fixAdvice ? `to expose it outside, ${ctx.advise({ option: 'ingress', service: n }, '')} or --service-type ${n}=LoadBalancer` : `expose it outside with options.services.${n}.ingress or serviceType`}`);
  }
  const hasPorts = portProps.length > 0 || o.ports !== undefined || o.port !== undefined;
  // The protocol of the WebApp's main port, which the TCP liveness probe connects to.
  const mainProtocol = o.port !== undefined ? Protocol.TCP : o.ports !== undefined ? (o.ports[0]?.protocol ?? Protocol.TCP) : portProps[0]?.protocol;
  if (portProps.length && portProps[0].protocol !== Protocol.TCP && !probes.readiness && !o.readiness && !o.ports && o.port === undefined) {
    ctx.err(at('ports'), `service ${n} listens on ${portProps.map((p) => `${p.containerPort}/${p.protocol}`).join(', ')} only, and a TCP readiness probe cannot check a ${portProps[0].protocol} port`,
      `add a healthcheck to the service or set options.services.${n}.readiness (e.g. Probe.exec([...]))`);
  }

  // ---- lifecycle
  let terminationGracePeriod: Duration | undefined;
  let preStopSleep: Duration | undefined;
  if (s.stop_grace_period !== undefined) {
    const secs = Math.ceil(parseComposeDuration(s.stop_grace_period)!);
    terminationGracePeriod = Duration.seconds(secs);
    if (secs <= 5) preStopSleep = Duration.seconds(0);
  }

  // ---- volumes: writable paths the image needs (not those a volume covers)
  const covered = new Set([...inputs.mounts.map((m) => m.target), ...inputs.tmpfs.map((t) => t.split(':')[0])].map((p) => p.replace(/\/+$/, '')));
  const writablePaths = (known?.writablePaths ?? ['/tmp']).filter((p) => !covered.has(p));

  const capAdd: string[] = (s.cap_add ?? []).map((c: string) => c.toUpperCase().replace(/^CAP_/, ''));
  if (capAdd.some((c) => c === 'ALL')) ctx.err(at('cap_add'), 'cap_add ALL gives every capability', 'list the capabilities the service needs (Pod Security "restricted" allows only NET_BIND_SERVICE)');
  // (Capabilities beyond NET_BIND_SERVICE are refused by checkService unless allowCapabilities is set.)
  if (capAdd.some((c) => c !== 'NET_BIND_SERVICE')) ctx.note(`${n} adds capabilities ${capAdd.join(', ')}: Pod Security "restricted" allows only NET_BIND_SERVICE (allowed by allowCapabilities)`);

  const pullPolicy: Record<string, ImagePullPolicy> = { always: ImagePullPolicy.ALWAYS, never: ImagePullPolicy.NEVER, missing: ImagePullPolicy.IF_NOT_PRESENT, if_not_present: ImagePullPolicy.IF_NOT_PRESENT };
  const podAnnotations: Record<string, string> = {};
  for (const [k, v] of environmentEntries(s.labels)) podAnnotations[k] = v ?? '';

  const mapped: WebAppProps = compact({
    name,
    image,
    partOf: ctx.partOf,
    command: s.entrypoint !== undefined ? composeCommand(ctx, n, 'entrypoint').map((a) => kubernetesSecretRefs(escapeKubernetesExpansion(a))) : undefined,
    args: s.command !== undefined ? composeCommand(ctx, n, 'command').map((a) => kubernetesSecretRefs(escapeKubernetesExpansion(rewrite(a)))) : undefined,
    ports: portProps.length ? portProps : undefined,
    createService: hasPorts,
    replicas,
    resources,
    readiness: probes.readiness,
    liveness: mainProtocol === Protocol.TCP ? probes.liveness : undefined,
    startup: probes.startup,
    env: inputs.env,
    runAsUser,
    runAsGroup,
    readOnlyRootFilesystem: s.read_only === false ? false : undefined,
    writablePaths,
    addCapabilities: capAdd.length ? capAdd : undefined,
    terminationGracePeriod,
    preStopSleep,
    imagePullPolicy: s.pull_policy ? pullPolicy[s.pull_policy] : undefined,
    serviceAnnotations: { [COMPOSE_NAME_ANNOTATION]: n },
    podAnnotations: Object.keys(podAnnotations).length ? podAnnotations : undefined,
    // Compose networks are the model of who may reach whom (networks.ts renders them as NetworkPolicies);
    // a WebApp's default-deny (issue #15) would also cut every service's egress, which Compose allows.
    networkIsolation: false,
    ...inputs.workload,
  }) as WebAppProps;
  // compact() drops an empty list, and WebApp would then mount its default /tmp over the file's own
  // tmpfs or volume at /tmp ("already mounted"): an empty list means no extra writable path.
  (mapped as { writablePaths?: string[] }).writablePaths = writablePaths;
  // The workload kind and claim templates are not options: statefulSet and the named volumes decide them.
  const {
    statefulSet: _s, waitForDependencies: _w, bindMounts: _b, allowRestartAlways: _r, allowCapabilities: _c, ingress, existingSecretName: _e,
    workloadKind: _k, volumeClaimTemplates: _v, ...overrides
  } = o as ComposeServiceOptions & Pick<WebAppProps, 'workloadKind' | 'volumeClaimTemplates'>;
  const props: Json = { ...mapped, ...overrides, env: { ...mapped.env, ...overrides.env } };
  if (inputs.podLabels && Object.keys(inputs.podLabels).length) props.extraPodLabels = { ...inputs.podLabels, ...overrides.extraPodLabels };
  if (overrides.port !== undefined && overrides.ports === undefined) {
    // Service port = container port, as for the compose file's own ports (WebApp's `port` would serve 80).
    props.ports = [{ containerPort: overrides.port, servicePort: overrides.port, name: `tcp-${overrides.port}` }];
    delete props.port;
  }
  if (overrides.autoscaling && overrides.replicas === undefined) delete props.replicas;
  if (overrides.createService === undefined) props.createService = hasPorts;
  return { props: props as WebAppProps, overrides, ingress };
}

/** WebApp props → the Compose keys (first present one wins) they come from, for error locations. */
const PROP_TO_KEY: Readonly<Record<string, readonly string[]>> = {
  image: ['image'], runAsUser: ['user'], runAsGroup: ['user'], command: ['entrypoint'], args: ['command'], port: ['ports', 'expose'],
  ports: ['ports', 'expose'], replicas: ['deploy.replicas', 'scale'], resources: ['deploy.resources', 'mem_limit', 'cpus'],
  terminationGracePeriod: ['stop_grace_period'], preStopSleep: ['stop_grace_period'], env: ['environment', 'env_file'],
  readiness: ['healthcheck'], liveness: ['healthcheck'], startup: ['healthcheck'], addCapabilities: ['cap_add'],
  writablePaths: ['volumes', 'tmpfs'], imagePullPolicy: ['pull_policy'], podAnnotations: ['labels'],
  volumeClaimTemplates: ['volumes'], hostname: ['hostname'], workingDir: ['working_dir'],
};

/**
 * Builds the WebApp of service `n`. When WebApp refuses a prop (its {@link ValidationError} names it),
 * its message is prefixed with the Compose key behind that prop (`services.DB.image`), or the service
 * when an option set it or the error names no prop.
 */
export function newWebApp(ctx: ComposeConversion, n: string, webApp: ServiceWebAppProps): WebApp {
  try {
    return new WebApp(ctx.scope, n, webApp.props);
  } catch (e) {
    const msg = (e as Error).message;
    const prop = e instanceof ValidationError ? e.prop : undefined;
    // A prop given in options is not in the file: then point at the service.
    const key = prop === undefined || prop in webApp.overrides ? undefined : PROP_TO_KEY[prop]?.find((k) => keyValue(ctx.service(n), k) !== undefined);
    const at: KeyPath = ['services', n, ...(key ? key.split('.') : [])];
    throw new Error(`${ctx.owner}: ${ctx.source.where(at)}: ${msg}`);
  }
}

/** The value at a dotted key path (`deploy.replicas`) of a Compose service, if any. */
function keyValue(service: Json, dotted: string): unknown {
  return dotted.split('.').reduce<any>((o, k) => (o === undefined || o === null ? undefined : o[k]), service);
}
