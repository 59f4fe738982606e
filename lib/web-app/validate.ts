// Validation of a WebApp's props into its readonly model (and the initial state of its pod), and of the
// options its methods take. Checks run in a fixed order, so the first problem reported stays the same.
import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import {
  DNS1123_LABEL_FIX, Json, LABEL_VALUE_FIX, ValidationError, appPodLabels, appSelector, compact, fail, isDns1123Label, isDnsName, isIpAddress,
  isLabelValue, recommendedLabels, show, toDnsLabel, validateAnnotations, validateCidr, validateDns1035, validateDns1123Subdomain, validateImage,
  validateInt, validateLabels, validatePort, validatePortName, validateQuantity, versionFromImage, wholeSeconds,
  validateId,
} from '../core';
import {
  ClaimTemplateModel, ContainerPortModel, ImagePullPolicy, PodSecurityModel, ProbeModel, Protocol, SecurityOptions,
  ServiceType, VolumeAccessMode, WorkloadKind, mergeResources, renderContainer, renderResources, restrictedPodSecurity, restrictedSecurityContext,
} from '../k8s';
import { namespaceOf } from '../k8s-object';
import { DEFAULT_RESOURCES, HELPER_RESOURCES, NGINX_EXPORTER_IMAGE, NGINX_EXPORTER_PORT, WebAppDefaults } from './defaults';
import { DisruptionBudget } from './disruption-budget';
import { envEntry, envFromEntry } from './env';
import { imageDefaults } from './image-defaults';
import { defaultServicePort, serviceAnnotations } from './service-ports';
import { resolveHardening } from './hardening';
import { WebAppModel, WebAppState } from './model';
import { validateShapes } from './validate-shapes';
import { Probe } from './probe';
import {
  IngressOptions, InitContainerOptions, MetricsExporter, PodsMetric, PortOptions, ResolvedPort, UpdateStrategy, VolumeClaimTemplate, WebAppProps,
} from './types';

/** A WebApp's validated props, and the initial state of its pod. */
export interface ValidatedWebApp {
  /** The model. */
  readonly model: WebAppModel;
  /** The state, before the WebApp's methods change it. */
  readonly state: WebAppState;
}

/**
 * Validates the props of the WebApp `app` (construct id `id`), reading the chart's namespace and the
 * {@link WebAppDefaults} that apply at `app`. Throws on the first problem.
 */
export function validateWebApp(app: IConstruct, id: string, props: WebAppProps): ValidatedWebApp {
  const name = props.name ?? toDnsLabel(id);
  const owner = `WebApp '${name}'`;
  checking('name', () => validateDns1035(owner, 'name', name));
  const namespace = props.namespace ?? namespaceOf(app);
  validateShapes(owner, props, namespace);
  const ref = checking('image', () => validateImage(owner, 'image', props.image, props.allowMutableImageTag ?? false));
  const version = props.version ?? versionFromImage(ref.tag, ref.digest);
  if (!isLabelValue(version)) {
    fail(owner, `version ${show(version)} is not a valid label value`, LABEL_VALUE_FIX, 'version');
  }
  const appLabel = props.appLabel ?? name;
  if (!isLabelValue(appLabel)) fail(owner, `appLabel ${show(appLabel)} is not a valid label value`, 'use at most 63 letters, digits, \'-\', \'_\' or \'.\'', 'appLabel');

  // ---- labels
  const selectorLabels = appSelector(appLabel, props.selectVersion ? version : undefined);
  const objectLabels = recommendedLabels({ name: appLabel, instance: name, version, partOf: props.partOf });
  const ownPodLabels = appPodLabels(objectLabels, appLabel, version);
  const extraPodLabels = props.extraPodLabels ?? {};
  checking('extraPodLabels', () => {
    validateLabels(owner, 'extraPodLabels', extraPodLabels);
    const taken = Object.keys(extraPodLabels).filter((k) => k in ownPodLabels);
    if (taken.length) fail(owner, `extraPodLabels sets ${taken.map(show).join(', ')}, which WebApp sets itself`, 'use other label keys');
  });
  const podLabels = { ...ownPodLabels, ...extraPodLabels };

  // ---- ports and service
  const ports = resolvePorts(owner, props);
  const serviceType = props.serviceType ?? ServiceType.CLUSTER_IP;
  const createService = props.createService ?? true;
  if (createService && ports.length === 0) {
    fail(owner, 'has no ports, so no Service can be rendered',
      'set port (e.g. port: 8080) so other pods can reach it, or createService: false for a worker that nobody calls');
  }
  validateServiceOptions(owner, props, serviceType, ports);

  // ---- replicas, autoscaling, disruption budget
  if (props.replicas !== undefined && props.autoscaling) {
    fail(owner, `replicas ${props.replicas} and autoscaling are both set`, 'remove replicas and set autoscaling.minReplicas instead: the HPA owns the replica count', 'replicas');
  }
  const givenReplicas = props.replicas;
  if (givenReplicas !== undefined) checking('replicas', () => validateInt(owner, 'replicas', givenReplicas, 0));
  const as = props.autoscaling;
  let replicas: number | undefined;
  let minReplicas: number;
  let maxReplicas: number;
  if (as) {
    const min = as.minReplicas ?? 2;
    checking('autoscaling', () => {
      validateInt(owner, 'autoscaling.minReplicas', min, 1);
      validateInt(owner, 'autoscaling.maxReplicas', as.maxReplicas, 1);
      if (min > as.maxReplicas) {
        fail(owner, `autoscaling.minReplicas ${min} is greater than autoscaling.maxReplicas ${as.maxReplicas}`, 'raise maxReplicas or lower minReplicas');
      }
      // A percentage of the CPU request: above 100 is valid (scale out only when pods use more than they request).
      if (as.cpuUtilization !== undefined) validateInt(owner, 'autoscaling.cpuUtilization', as.cpuUtilization, 1);
      if (as.podsMetric) validatePodsMetric(owner, as.podsMetric);
    });
    replicas = undefined;
    minReplicas = min;
    maxReplicas = as.maxReplicas;
  } else {
    replicas = props.replicas ?? 2;
    minReplicas = replicas;
    maxReplicas = replicas;
  }
  const scaleDownSeconds = checking('autoscaling', () => {
    const seconds = as?.scaleDownStabilization === undefined ? undefined
      : wholeSeconds(owner, 'autoscaling.scaleDownStabilization', as.scaleDownStabilization);
    if (seconds !== undefined && seconds > 3600) {
      fail(owner, `autoscaling.scaleDownStabilization ${seconds}s is longer than one hour, Kubernetes' limit`,
        'use at most Duration.hours(1)');
    }
    return seconds;
  });
  const budget = props.disruptionBudget ?? (maxReplicas > 1 ? DisruptionBudget.maxUnavailable(1) : DisruptionBudget.none());
  checking('disruptionBudget', () => validateBudget(owner, budget, minReplicas));
  const maxSurge = props.maxSurge ?? '25%';
  checking('maxSurge', () => validateMaxSurge(owner, maxSurge));

  // ---- workload
  const workload = validateWorkload(owner, props);

  // ---- security
  const defaults = WebAppDefaults.of(app);
  if (props.createServiceAccount && props.serviceAccountName) {
    fail(owner, `createServiceAccount and serviceAccountName ${show(props.serviceAccountName)} are both set`, 'use one of them', 'createServiceAccount');
  }
  const { serviceAccountName } = props;
  if (serviceAccountName !== undefined) checking('serviceAccountName', () => validateDns1123Subdomain(owner, 'serviceAccountName', serviceAccountName, 'shop-api'));

  const { uid, gid, writablePaths } = imageDefaults(owner, props, defaults);
  validateId(owner, 'runAsUser', uid);
  validateId(owner, 'runAsGroup', gid);
  if (uid === 0 && !props.allowRunAsRoot) fail(owner, 'runAsUser 0 is root', 'use a numeric uid above 10000, or set allowRunAsRoot: true (a documented relaxation)', 'runAsUser');
  const security: SecurityOptions = {
    runAsUser: uid,
    runAsGroup: gid,
    allowRunAsRoot: props.allowRunAsRoot,
    readOnlyRootFilesystem: props.readOnlyRootFilesystem,
    allowPrivilegeEscalation: props.allowPrivilegeEscalation,
    addCapabilities: props.addCapabilities,
    seccompProfile: props.seccompProfile,
  };
  checking('writablePaths', () => validateWritablePaths(owner, writablePaths));

  // ---- resources
  const resources = checking('resources', () => renderResources(owner, 'resources',
    mergeResources(mergeResources(DEFAULT_RESOURCES, defaults.resources ?? {}), props.resources ?? {})));

  // ---- env
  const env = checking('env', () => Object.entries(props.env ?? {}).map(([envName, value]) => envEntry(owner, envName, value)));
  const envFrom = checking('envFrom', () => (props.envFrom ?? []).map((e, i) => envFromEntry(owner, `envFrom[${i}]`, e)));

  // ---- probes
  const main = ports[0];
  // A TCP probe of a UDP/SCTP port never passes. Reported at synth, not here, so that a construct built
  // on WebApp (CanaryRelease) can first report what is wrong with the port in its own terms.
  const udpReadiness = !props.readiness && main && main.protocol !== Protocol.TCP
    ? `${owner}: readiness defaults to a TCP probe on the main port ${show(main.name)}, which is ${main.containerPort}/${main.protocol}: it could never pass, so no pod would become Ready; `
      + 'set readiness explicitly, e.g. Probe.exec([...]) or Probe.httpGet(\'/healthz\', { port: <a TCP port> })'
    : undefined;
  const readiness: ProbeModel | undefined = udpReadiness ? { kind: 'tcpSocket', action: {}, port: main!.name }
    : checking('readiness', () => (props.readiness ?? (main ? Probe.tcp() : undefined))?._validate(owner, 'readiness', main?.name, ports));
  const liveness = checking('liveness', () => props.liveness?._validate(owner, 'liveness', main?.name, ports));
  const startup = checking('startup', () => props.startup?._validate(owner, 'startup', main?.name, ports));

  // ---- lifecycle
  const preStopSeconds = checking('preStopSleep', () => wholeSeconds(owner, 'preStopSleep', props.preStopSleep ?? Duration.seconds(5)));
  const graceSeconds = checking('terminationGracePeriod', () => wholeSeconds(owner, 'terminationGracePeriod', props.terminationGracePeriod ?? Duration.seconds(30)));
  if (preStopSeconds >= graceSeconds && preStopSeconds > 0) {
    fail(owner, `preStopSleep ${preStopSeconds}s is not shorter than terminationGracePeriod ${graceSeconds}s`, 'raise terminationGracePeriod or shorten preStopSleep, so the app still gets time to stop after the sleep',
      'preStopSleep');
  }
  const minReady = checking('minReady', () => wholeSeconds(owner, 'minReady', props.minReady ?? Duration.seconds(5)));
  if (minReady >= 600) {
    fail(owner, `minReady ${minReady}s is not shorter than the Deployment's progressDeadlineSeconds (600s), which the apiserver requires`,
      'use a minReady below Duration.minutes(10)', 'minReady');
  }

  // ---- scheduling
  const nodeSelector = props.nodeSelector;
  if (nodeSelector !== undefined) checking('nodeSelector', () => validateLabels(owner, 'nodeSelector', nodeSelector));

  // ---- metrics exporter
  checking('podAnnotations', () => validateAnnotations(owner, 'podAnnotations', props.podAnnotations ?? {}));
  checking('serviceAnnotations', () => validateAnnotations(owner, 'serviceAnnotations', props.serviceAnnotations ?? {}));
  const podAnnotations: Record<string, string> = { ...props.podAnnotations };
  const sidecars: Json[] = [];
  if (props.metricsExporter === MetricsExporter.NGINX) {
    if (!ports.length) fail(owner, 'metricsExporter nginx needs an HTTP port to scrape', 'set port', 'metricsExporter');
    const stub = props.stubStatusPath ?? '/stub_status';
    if (!stub.startsWith('/')) fail(owner, `stubStatusPath ${show(stub)} does not start with '/'`, `use '/${stub}'`, 'stubStatusPath');
    sidecars.push(helperContainer(owner, security, {
      name: 'nginx-exporter',
      image: NGINX_EXPORTER_IMAGE,
      args: [`--nginx.scrape-uri=http://localhost:${ports[0].containerPort}${stub}`],
    }, {
      ports: [{ containerPort: NGINX_EXPORTER_PORT, name: 'metrics', protocol: Protocol.TCP }],
      readinessProbe: { kind: 'httpGet', action: { path: '/metrics' }, port: 'metrics' },
    }));
    Object.assign(podAnnotations, {
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(NGINX_EXPORTER_PORT),
      'prometheus.io/path': '/metrics',
    });
  }

  // ---- pod security context
  // A non-root process cannot bind ports below 1024 unless the runtime lowers this namespaced, "safe"
  // sysctl (Docker does; containerd and CRI-O do not). Pod Security "restricted" allows it.
  const lowPort = ports.find((p) => p.containerPort < 1024);
  const unprivilegedPorts = props.unprivilegedPortSysctl ?? (lowPort !== undefined && !props.allowRunAsRoot);
  const rootDefaultUser = props.allowRunAsRoot && props.runAsUser === undefined;
  const podSecurity: PodSecurityModel = restrictedPodSecurity({
    runAsUser: rootDefaultUser ? undefined : uid,
    runAsGroup: gid,
    fsGroup: props.fsGroup,
    allowRunAsRoot: props.allowRunAsRoot,
    seccompProfile: props.seccompProfile,
    sysctls: unprivilegedPorts ? [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] : undefined,
  });

  const model: WebAppModel = {
    owner,
    name,
    namespace,
    givenNamespace: props.namespace,
    image: props.image,
    imagePullPolicy: props.imagePullPolicy ?? ImagePullPolicy.IF_NOT_PRESENT,
    command: props.command,
    args: props.args,
    version,
    selectorLabels,
    podLabels,
    objectLabels,
    ports,
    writablePaths,
    ...workload,
    nodeSelector: nodeSelector && { ...nodeSelector },
    replicas,
    minReplicas,
    maxReplicas,
    maxSurge,
    minReadySeconds: minReady,
    preStopSeconds,
    terminationGracePeriodSeconds: graceSeconds,
    autoscaling: as && {
      cpuUtilization: as.cpuUtilization ?? (as.podsMetric ? undefined : 70),
      podsMetric: as.podsMetric && { name: as.podsMetric.name, averageValue: as.podsMetric.averageValue },
      scaleDownStabilizationSeconds: scaleDownSeconds,
    },
    disruptionBudget: budget,
    serviceType,
    service: createService ? { annotations: serviceAnnotations(props, ports), loadBalancerSourceRanges: props.loadBalancerSourceRanges } : undefined,
    createServiceAccount: props.createServiceAccount ?? false,
    serviceAccountName: props.createServiceAccount ? name : props.serviceAccountName,
    automountServiceAccountToken: props.automountServiceAccountToken ?? false,
    resources,
    security,
    podSecurity,
    readiness,
    liveness,
    startup,
    synthErrors: udpReadiness ? [udpReadiness] : [],
    ...resolveHardening(owner, props, defaults, selectorLabels, workload.workloadKind, maxReplicas),
  };
  const state: WebAppState = {
    env, envFrom, initContainers: [], sidecars, volumes: [], mounts: [], podAnnotations,
    externalTrafficPolicy: props.externalTrafficPolicy, ingressRules: [], ingressTls: [],
  };
  return { model, state };
}

/**
 * Validates a helper container (init container or sidecar) of the app `owner` and renders it, hardened
 * like the app container (same uid, restricted security context, read-only root filesystem, no added
 * capabilities).
 */
export function helperContainer(owner: string, security: SecurityOptions, options: InitContainerOptions,
  extra: { readonly ports?: ContainerPortModel[]; readonly readinessProbe?: ProbeModel } = {}): Json {
  if (!isDns1123Label(options.name)) {
    fail(owner, `container name ${show(options.name)} is not a DNS-1123 label`, 'use lowercase letters, digits and \'-\'');
  }
  validateImage(owner, `container ${options.name} image`, options.image, false);
  const env = Object.entries(options.env ?? {}).map(([name, value]) => envEntry(owner, name, value));
  return renderContainer({
    name: options.name,
    image: options.image,
    imagePullPolicy: ImagePullPolicy.IF_NOT_PRESENT,
    command: options.command,
    args: options.args,
    env,
    ...extra,
    resources: renderResources(owner, `container ${options.name} resources`, options.resources ?? HELPER_RESOURCES),
    securityContext: restrictedSecurityContext({ ...security, readOnlyRootFilesystem: true, addCapabilities: undefined }),
  });
}

/** Checks the options of {@link WebApp.exposeViaIngress} and returns the path. */
export function validateIngressOptions(owner: string, options: IngressOptions): string {
  const path = options.path ?? '/';
  if (!path.startsWith('/')) fail(owner, `ingress path ${show(path)} does not start with '/'`, `use '/${path}'`);
  if (options.host !== undefined && isIpAddress(options.host)) {
    fail(owner, `ingress host ${show(options.host)} is an IP address, which the apiserver rejects in an Ingress rule (it must be a DNS name)`,
      'leave host out to match every host, or use a DNS name that resolves to the Ingress controller');
  }
  if (options.host !== undefined && !isDnsName(options.host)) {
    fail(owner, `ingress host ${show(options.host)} is not a DNS name`, 'use a lowercase DNS name such as \'shop.example.com\' or a single leading wildcard \'*.example.com\'');
  }
  if (options.className !== undefined) validateDns1123Subdomain(owner, 'ingress className', options.className, 'nginx');
  if (options.tlsSecretName !== undefined) validateDns1123Subdomain(owner, 'ingress tlsSecretName', options.tlsSecretName, 'shop-tls');
  validateAnnotations(owner, 'ingress annotations', options.annotations ?? {});
  return path;
}

/** Resolves `port` or `ports` into the container ports, with their defaults, checking each and that none repeats. */
function resolvePorts(owner: string, props: WebAppProps): ResolvedPort[] {
  if (props.port !== undefined && props.ports !== undefined) fail(owner, 'port and ports are both set', 'use port for one HTTP port, or ports for several', 'port');
  const input: PortOptions[] = props.ports ?? (props.port !== undefined ? [{ containerPort: props.port }] : []);
  // The checks of each port concern the prop it was given in.
  const prop = props.ports !== undefined ? 'ports' : 'port';
  const resolved = checking(prop, () => input.map((p, i): ResolvedPort => {
    validatePort(owner, props.ports !== undefined ? `ports[${i}].containerPort` : 'port', p.containerPort);
    const protocol = p.protocol ?? Protocol.TCP;
    const name = p.name ?? (i === 0 ? 'http' : `${protocol.toLowerCase()}-${p.containerPort}`);
    validatePortName(owner, `ports[${i}].name`, name);
    const servicePort = p.servicePort ?? defaultServicePort(props, p.containerPort);
    validatePort(owner, `ports[${i}].servicePort`, servicePort);
    if (p.nodePort !== undefined && (!Number.isInteger(p.nodePort) || p.nodePort < 30000 || p.nodePort > 32767)) {
      fail(owner, `ports[${i}].nodePort ${show(p.nodePort)} is outside 30000-32767`, 'use a node port between 30000 and 32767, or leave it out to let Kubernetes pick one');
    }
    return compact({ containerPort: p.containerPort, name, protocol, appProtocol: p.appProtocol, servicePort, nodePort: p.nodePort }) as ResolvedPort;
  }));
  const dup = <T>(values: T[]) => values.find((v, i) => values.indexOf(v) !== i);
  const dupName = dup(resolved.map((p) => p.name));
  if (dupName !== undefined) fail(owner, `port name ${show(dupName)} is used twice`, 'give every port a unique name', prop);
  const dupNumber = dup(resolved.map((p) => `${p.containerPort}/${p.protocol}`));
  if (dupNumber !== undefined) fail(owner, `container port ${dupNumber} is declared twice`, 'declare each container port once');
  const dupService = dup(resolved.map((p) => `${p.servicePort}/${p.protocol}`));
  if (dupService !== undefined) fail(owner, `service port ${dupService} is used twice`, 'give every port a unique servicePort');
  return resolved;
}

/** Checks the Service options against the Service type. */
function validateServiceOptions(owner: string, props: WebAppProps, type: ServiceType, ports: readonly ResolvedPort[]): void {
  const external = type === ServiceType.NODE_PORT || type === ServiceType.LOAD_BALANCER;
  const withNodePort = ports.find((p) => p.nodePort !== undefined);
  if (withNodePort && !external) {
    fail(owner, `nodePort ${withNodePort.nodePort} is set but serviceType is ${type}`, 'use serviceType NODE_PORT or LOAD_BALANCER, or remove nodePort');
  }
  if (props.loadBalancerSourceRanges) {
    if (type !== ServiceType.LOAD_BALANCER) fail(owner, `loadBalancerSourceRanges is set but serviceType is ${type}`, 'use serviceType LOAD_BALANCER', 'loadBalancerSourceRanges');
    const ranges = props.loadBalancerSourceRanges;
    checking('loadBalancerSourceRanges', () => ranges.forEach((c, i) => validateCidr(owner, `loadBalancerSourceRanges[${i}]`, c)));
  }
  if (props.externalTrafficPolicy && !external) {
    fail(owner, `externalTrafficPolicy is set but serviceType is ${type}`, 'use serviceType NODE_PORT or LOAD_BALANCER', 'externalTrafficPolicy');
  }
}

/** Checks that a disruption budget is well-formed and can be satisfied with `minReplicas`. */
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

/** Checks a Deployment's maxSurge (never 0: maxUnavailable is always 0). */
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

/** The workload props of a WebApp, validated. */
type WorkloadProps = Pick<WebAppModel, 'workloadKind' | 'updateStrategy' | 'volumeClaimTemplates' | 'hostname' | 'workingDir'>;

/** Checks the workload props (kind, update strategy, claim templates, hostname, workingDir) against each other. */
function validateWorkload(owner: string, props: WebAppProps): WorkloadProps {
  const kind = props.workloadKind ?? WorkloadKind.DEPLOYMENT;
  if (!Object.values(WorkloadKind).includes(kind)) {
    fail(owner, `workloadKind ${show(kind)} is not a workload kind`, 'use WorkloadKind.DEPLOYMENT or WorkloadKind.STATEFUL_SET', 'workloadKind');
  }
  const stateful = kind === WorkloadKind.STATEFUL_SET;
  const strategy = props.updateStrategy ?? UpdateStrategy.ROLLING_UPDATE;
  if (!Object.values(UpdateStrategy).includes(strategy)) {
    fail(owner, `updateStrategy ${show(strategy)} is not an update strategy`, 'use UpdateStrategy.ROLLING_UPDATE or UpdateStrategy.RECREATE', 'updateStrategy');
  }
  if (strategy === UpdateStrategy.RECREATE && stateful) {
    fail(owner, 'updateStrategy Recreate is set but workloadKind is StatefulSet, which always replaces its pods one at a time',
      'remove updateStrategy, or use WorkloadKind.DEPLOYMENT', 'updateStrategy');
  }
  if (props.maxSurge !== undefined && (stateful || strategy === UpdateStrategy.RECREATE)) {
    fail(owner, `maxSurge ${show(props.maxSurge)} is set but ${stateful ? 'workloadKind is StatefulSet, which replaces one pod at a time' : 'updateStrategy is Recreate, which stops the old pods first'}`,
      'remove maxSurge', 'maxSurge');
  }
  const templates = props.volumeClaimTemplates ?? [];
  if (templates.length && !stateful) {
    fail(owner, 'volumeClaimTemplates is set but workloadKind is Deployment, whose pods would all share one claim',
      'set workloadKind: WorkloadKind.STATEFUL_SET (one claim per pod), or mount a PersistentVolumeClaim with addVolume', 'volumeClaimTemplates');
  }
  const claims = checking('volumeClaimTemplates', () => templates.map((t, i) => claimTemplate(owner, `volumeClaimTemplates[${i}]`, t)));
  const names = claims.map((c) => c.name);
  const dupName = names.find((n, i) => names.indexOf(n) !== i);
  if (dupName !== undefined) fail(owner, `volumeClaimTemplates name ${show(dupName)} is used twice`, 'give every claim template a unique name', 'volumeClaimTemplates');
  const hostname = props.hostname;
  if (hostname !== undefined) {
    if (typeof hostname !== 'string' || !isDns1123Label(hostname)) {
      fail(owner, `hostname ${show(hostname)} is not a DNS-1123 label`, `${DNS1123_LABEL_FIX}, starting and ending with a letter or digit (no dots)`, 'hostname');
    }
    if (stateful) {
      fail(owner, `hostname ${show(hostname)} is set but workloadKind is StatefulSet, whose controller sets each pod's hostname to the pod's name`,
        'remove hostname, or use WorkloadKind.DEPLOYMENT', 'hostname');
    }
  }
  const workingDir = props.workingDir;
  if (workingDir !== undefined && (typeof workingDir !== 'string' || !workingDir.startsWith('/'))) {
    fail(owner, `workingDir ${show(workingDir)} is not an absolute path`, `use an absolute path such as '/${typeof workingDir === 'string' ? workingDir : 'app'}'`, 'workingDir');
  }
  return { workloadKind: kind, updateStrategy: strategy, volumeClaimTemplates: claims, hostname, workingDir };
}

/** Checks one claim template (`at`: where it is, e.g. `volumeClaimTemplates[0]`) and returns its model. */
function claimTemplate(owner: string, at: string, t: VolumeClaimTemplate): ClaimTemplateModel {
  if (typeof t.name !== 'string' || !isDns1123Label(t.name)) {
    fail(owner, `${at}.name ${show(t.name)} is not a DNS-1123 label`, `${DNS1123_LABEL_FIX}, starting and ending with a letter or digit`);
  }
  if (!(validateQuantity(owner, `${at}.storage`, t.storage, 'storage') > 0)) {
    fail(owner, `${at}.storage ${show(t.storage)} is not positive`, 'request some storage, e.g. \'10Gi\'');
  }
  const modes = t.accessModes ?? [VolumeAccessMode.READ_WRITE_ONCE];
  if (!Array.isArray(modes) || modes.length === 0) fail(owner, `${at}.accessModes ${show(modes)} is empty`, 'give at least one, e.g. [VolumeAccessMode.READ_WRITE_ONCE]');
  modes.forEach((m, j) => {
    if (!Object.values(VolumeAccessMode).includes(m)) {
      fail(owner, `${at}.accessModes[${j}] ${show(m)} is not an access mode`, 'use ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod');
    }
  });
  if (modes.includes(VolumeAccessMode.READ_WRITE_ONCE_POD) && modes.length > 1) {
    fail(owner, `${at}.accessModes ${show(modes)} combines ReadWriteOncePod with other modes, which the apiserver rejects`, 'use ReadWriteOncePod alone');
  }
  if (t.storageClassName !== undefined) validateDns1123Subdomain(owner, `${at}.storageClassName`, t.storageClassName, 'fast-ssd');
  if (t.labels !== undefined) validateLabels(owner, `${at}.labels`, t.labels);
  return { name: t.name, labels: t.labels, accessModes: modes, storageClassName: t.storageClassName, storage: t.storage };
}

/** Checks the HPA's custom Pods metric. */
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

/** Checks that the writable paths are absolute, plain and distinct. */
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

/**
 * Runs the checks of the prop `prop`: a {@link ValidationError} they throw without a prop is thrown
 * again naming it (same message), so that a caller can tell which prop was refused.
 */
function checking<T>(prop: keyof WebAppProps, check: () => T): T {
  try {
    return check();
  } catch (e) {
    throw e instanceof ValidationError ? e.about(prop) : e;
  }
}

/** A volume name for `path` that none of `existing` (pod volumes, claim templates) has. */
export function volumeNameFor(path: string, existing: ReadonlyArray<{ readonly name?: unknown }>): string {
  const base = toDnsLabel(path) || 'writable';
  let name = base;
  for (let i = 2; existing.some((v) => v.name === name); i++) name = `${base}-${i}`;
  return name;
}
