import { Duration } from 'cdk8s';
import { toJson_DestinationRuleSpecTrafficPolicy } from '../../imports/networking.istio.io';
import { compact } from '../k8s-object';
import { fail, isConventionalHttpPort, isDns1035Label, isDns1123Label, isDnsName, recommendedLabels, show, validateDns1035, validateLabels, wholeSeconds } from '../core';
import { ResolvedPort } from '../web-app';
import { checkGatewayHost } from '../routing/hosts';
import { hasConsistentHash } from '../routing/istio/destination-rule';
import { checkIstioHttpPorts } from '../routing/istio/ports';
import { COOKIE_NAME } from '../routing/match';
import { HostAttachment, ReleaseRouting, VersionCookie } from '../routing/model';
import { checkRe2 } from '../routing/re2';
import { CanaryStage } from './plan';
import { CanaryMode, CanaryReleaseProps } from './props';
import { describeWeights, stageRouting } from './stages';
import { gatewayApiAttachment } from './gateway-api';

/**
 * CanaryRelease's props → the routing model ({@link ReleaseRouting}), validated. Two steps, because the
 * versions' ports and pod labels come from their workloads: {@link planRelease} checks everything the
 * props say (before any workload exists), {@link completeRelease} adds the workloads' ports and labels
 * and checks what depends on them.
 */

/** What {@link planRelease} found: the model's stages, attachment, policy, sticky cookie and Istio settings, and what the workloads need. */
export interface ReleasePlan extends Pick<ReleaseRouting, 'stages' | 'stage' | 'attachment' | 'policy' | 'sticky' | 'istio'> {
  /** `CanaryRelease '<name>'`, for errors. */
  readonly owner: string;
  /** The release name. */
  readonly name: string;
  /** Its namespace. */
  readonly namespace: string | undefined;
  /** How versions are addressed. */
  readonly mode: CanaryMode;
  /** Version names, in declared order. */
  readonly versions: readonly string[];
  /** The declared stages (the plan's or the stages prop). */
  readonly declaredStages: readonly CanaryStage[];
  /** The declared stage to render. */
  readonly declaredStage: CanaryStage;
  /** Labels of the routing objects. */
  readonly labels: Readonly<Record<string, string>>;
  /**
   * Every version is reached through its own Service (the workload's), never a subset: always in
   * SERVICES mode, and with the Gateway API, which has no subsets.
   */
  readonly versionServices: boolean;
  /** Whether Istio routes the app's HTTP port (its sidecars or waypoints apply the routes), so its port must be recognisably HTTP to Istio. */
  readonly istioRoutesPort: boolean;
}

/** The release being planned: its name, namespace, mode and API version (already resolved by the construct). */
export interface ReleaseIdentity {
  /** Release name. */
  readonly name: string;
  /** Namespace. */
  readonly namespace: string | undefined;
  /** Addressing mode. */
  readonly mode: CanaryMode;
  /** `networking.istio.io` API version. */
  readonly apiVersion: string;
  /**
   * The controller that walks the stages (`delivery Flagger`, `delivery Argo Rollouts`), if any: then no
   * stage is selected (the first one, where the controller starts, stands for the rendered stage).
   */
  readonly controller?: string;
}

/** Checks the props (in the order users meet the errors: versions, stages, stage, ports, gateway, sticky, policy). */
export function planRelease(owner: string, release: ReleaseIdentity, props: CanaryReleaseProps): ReleasePlan {
  const { name, namespace, mode } = release;
  // ---- versions
  if (!Array.isArray(props.versions)) fail(owner, `versions ${show(String(props.versions))} is not a list`, 'set versions to two or more { name, image } entries');
  if (props.versions.length < 2) fail(owner, `has ${props.versions.length} version(s)`, 'declare at least two versions (e.g. v1 and v2); a single version needs no canary, use WebApp');
  const versionNames = props.versions.map((v) => v.name);
  for (const v of versionNames) {
    if (!isDns1123Label(v)) fail(owner, `version name ${show(v)} is not a DNS-1123 label`, 'use lowercase letters, digits and \'-\' (e.g. \'v2\'); it becomes a label value, a subset name and part of the Deployment name');
    if (versionNames.indexOf(v) !== versionNames.lastIndexOf(v)) fail(owner, `version ${show(v)} is declared twice`, 'give every version a unique name');
    if (mode === CanaryMode.SUBSETS && !isDns1035Label(`${name}-${v}`)) {
      fail(owner, `Deployment name ${show(`${name}-${v}`)} (name-version) is not a DNS-1035 label of at most 63 characters`, 'use a shorter name or version');
    }
    if (mode === CanaryMode.SERVICES) {
      validateDns1035(owner, 'release (version) name', v);
      if (v === name) fail(owner, `release ${show(v)} has the release set's own name`, `name the releases differently from '${name}', whose Service spans all of them`);
    }
  }

  // ---- stages
  if (props.stages && props.plan) fail(owner, 'stages and plan are both set', 'use plan for a rollout that ends on one version, stages for anything else');
  if (!props.stages && !props.plan) fail(owner, 'has neither stages nor plan', 'set plan (e.g. CanaryPlan.progressive({ stable: \'v1\', canary: \'v2\' })) or stages');
  const declaredStages = props.plan ? props.plan.stages : props.stages!;
  if (declaredStages.length === 0) fail(owner, 'has no stages', 'declare at least one stage');
  const stageNames = declaredStages.map((s) => s.name);
  const stages = declaredStages.map((s) => {
    if (!isDns1123Label(s.name)) fail(owner, `stage name ${show(s.name)} is not a DNS-1123 label`, 'use lowercase letters, digits and \'-\' (e.g. \'canary-10\')');
    if (stageNames.indexOf(s.name) !== stageNames.lastIndexOf(s.name)) fail(owner, `stage ${show(s.name)} is declared twice`, 'give every stage a unique name');
    return stageRouting(owner, s, versionNames);
  });
  if (props.plan) {
    const last = declaredStages[declaredStages.length - 1];
    const full = Object.entries(last.weights).find(([, w]) => w === 100);
    if (!full) {
      fail(owner, `plan's last stage ${show(last.name)} does not send 100% to one version (${describeWeights(last.weights, versionNames)})`,
        'end the plan with a stage that sends 100% to the version you are promoting (e.g. { name: \'promoted\', weights: { v2: 100 } })');
    }
  }
  const index = release.controller === undefined ? selectedStage(owner, props, stageNames) : 0;
  if (release.controller !== undefined && props.stage !== undefined) {
    fail(owner, `${release.controller} moves through the stages itself, so stage ${show(props.stage)} cannot be selected`, 'drop the stage prop (and CANARY_STAGE): the controller starts from the first stage', 'stage');
  }
  const stage = declaredStages[index];
  // (A controller runs one workload of the promoted version: the construct checks it.)
  if (release.controller === undefined) checkServedVersions(owner, stage, props);

  // ---- ports
  if (props.port !== undefined && props.ports !== undefined) fail(owner, 'port and ports are both set', 'use port for one HTTP port, or ports for several');
  if (props.port === undefined && !props.ports?.length) fail(owner, 'has no port', 'set port (the HTTP port the versions listen on)');

  const gatewayApi = props.trafficApi?.api === 'gateway-api' ? props.trafficApi.gatewayApiOptions ?? {} : undefined;
  const attachment = gatewayApi ? gatewayApiAttachment(owner, release, props, gatewayApi) : planAttachment(owner, release, props);

  // ---- sticky
  const sticky: VersionCookie | undefined = props.sticky ? {
    cookie: props.sticky.cookieName ?? `${name}-version`,
    maxAgeSeconds: wholeSeconds(owner, 'sticky maxAge', props.sticky.maxAge ?? Duration.hours(24), 1, 'Duration.hours(24)'),
    // Secure only when browsers can reach the gateway over HTTPS only (plain HTTP redirected).
    secure: Boolean(props.gateway?.options?.httpsCredentialName && props.gateway.options.redirectHttpToHttps),
    stable: props.plan?.stable ?? versionNames[0],
  } : undefined;
  if (sticky) {
    if (!COOKIE_NAME.test(sticky.cookie)) fail(owner, `sticky cookieName ${show(sticky.cookie)} is not a cookie name token`, 'use letters, digits and !#$%&\'*+.^_`|~-');
  }

  // ---- route policy
  const timeoutMillis = props.timeout ? timeoutOf(owner, 'timeout', props.timeout) : undefined;
  const attempts = props.retries?.attempts;
  if (attempts !== undefined && (!Number.isInteger(attempts) || attempts < 0)) {
    fail(owner, `retries.attempts ${show(attempts)} is not a whole number >= 0`, 'use e.g. 3 (0 disables retries); Istio\'s webhook rejects the VirtualService otherwise');
  }
  (props.corsPolicy?.allowOrigins ?? []).forEach((o, i) => {
    if (o.regex !== undefined) checkRe2(owner, `corsPolicy.allowOrigins[${i}]`, o.regex);
  });
  const trafficPolicy = props.trafficPolicy ? toJson_DestinationRuleSpecTrafficPolicy(props.trafficPolicy) : undefined;
  if (sticky && trafficPolicy && hasConsistentHash(trafficPolicy)) {
    fail(owner, 'sticky is combined with a trafficPolicy consistentHash',
      'remove the consistentHash: Envoy hashes within one subset, so it cannot keep users on a version across a weighted split (istio/istio#9764); the sticky cookie does that');
  }

  return {
    owner,
    name,
    namespace,
    mode,
    versions: versionNames,
    declaredStages,
    declaredStage: stage,
    stages,
    stage: stages[index],
    attachment,
    labels: recommendedLabels({ name, partOf: props.partOf }),
    policy: compact({ timeoutMillis, retries: props.retries, cors: props.corsPolicy, headers: props.headers, rewrite: props.rewrite }),
    sticky,
    istio: compact({ apiVersion: release.apiVersion, trafficPolicy }),
    versionServices: mode === CanaryMode.SERVICES || gatewayApi !== undefined,
    // With the Gateway API, Istio applies the routes only in-mesh (GAMMA); a gateway alone speaks HTTP to any port.
    istioRoutesPort: gatewayApi === undefined || (gatewayApi.mesh ?? true),
  };
}

/**
 * A version the rendered stage sends requests to must have pods: with replicas 0 (and no autoscaling)
 * Envoy answers its share with 503 "no healthy upstream".
 */
function checkServedVersions(owner: string, stage: CanaryStage, props: CanaryReleaseProps): void {
  const served = new Map<string, string>();
  for (const [v, w] of Object.entries(stage.weights)) if (w > 0) served.set(v, `${w}% of the traffic`);
  for (const r of stage.routes ?? []) if (!served.has(r.version)) served.set(r.version, 'the requests of a match route');
  if (stage.mirror && !served.has(stage.mirror.version)) served.set(stage.mirror.version, 'mirrored requests');
  for (const v of props.versions) {
    if (v.replicas === 0 && v.autoscaling === undefined && served.has(v.name)) {
      fail(owner, `stage ${show(stage.name)} sends ${served.get(v.name)} to version ${show(v.name)}, which has replicas: 0, so Envoy would answer with 503 (no healthy upstream)`,
        `give version '${v.name}' replicas (or autoscaling), or render a stage that does not route to it`);
    }
  }
}

/** The index of the stage the `stage` prop or the environment variable selects. */
function selectedStage(owner: string, props: CanaryReleaseProps, stageNames: readonly string[]): number {
  const envVar = props.stageEnvVar ?? 'CANARY_STAGE';
  const selected = props.stage ?? process.env[envVar];
  const valid = stageNames.map((n) => show(n)).join(', ');
  if (selected === undefined || selected === '') fail(owner, `no stage is selected (neither the stage prop nor ${envVar} is set)`, `set stage or ${envVar} to one of ${valid}`);
  const index = stageNames.indexOf(selected);
  if (index < 0) fail(owner, `stage ${show(selected)} (from ${props.stage !== undefined ? 'the stage prop' : envVar}) does not exist`, `use one of ${valid}`);
  return index;
}

/** The gateway hosts and gateway of the props, checked (the created gateway's TLS options are checked by {@link completeRelease}). */
function planAttachment(owner: string, release: ReleaseIdentity, props: CanaryReleaseProps): HostAttachment {
  const planHosts = props.plan?.hosts ?? [];
  if (planHosts.length && !props.gateway) fail(owner, `the plan's preview host ${show(planHosts[0])} needs a gateway`, 'set gateway (CanaryGateway.create or fromName)');
  if (props.gateway?.existingName !== undefined) {
    // An existing Gateway serves only the hosts its own servers list: the preview host must be one of them.
    for (const h of planHosts) {
      if (!props.gateway.hosts.some((g) => g === h || (g.startsWith('*.') && h.endsWith(g.slice(1))))) {
        fail(owner, `the plan's preview host ${show(h)} is not among the hosts of gateway ${show(props.gateway.existingName)} (${props.gateway.hosts.map((g) => show(g)).join(', ')})`,
          `add ${show(h)} to that Gateway's servers and to CanaryGateway.fromName's hosts, or use CanaryGateway.create`);
      }
    }
  }
  // A preview host the user also listed among the created gateway's hosts is the same host, not a duplicate.
  const gatewayHosts = [...(props.gateway?.hosts ?? []), ...planHosts.filter((h) => !props.gateway?.hosts.includes(h))];
  const mainHosts = props.gateway?.hosts.filter((h) => !planHosts.includes(h)) ?? [];
  for (const h of planHosts) {
    if (props.gateway && mainHosts.length === 0) {
      fail(owner, `the plan's preview host ${show(h)} is the only gateway host, so every request through the gateway would match the preview route`,
        'list the main host(s) in the gateway hosts too, and use a separate host (e.g. \'preview.shop.example.com\') for the preview');
    }
  }
  if (props.gateway && props.gateway.hosts.length === 0) fail(owner, 'gateway has no hosts', 'list the hosts the gateway serves');
  gatewayHosts.forEach((h, i) => checkGatewayHost(owner, `gateway hosts[${i}]`, h, { name: release.name, namespace: release.namespace }));
  const dupHost = gatewayHosts.find((h, i) => gatewayHosts.indexOf(h) !== i);
  if (dupHost) fail(owner, `gateway host ${show(dupHost)} is listed twice`, 'list each host once');
  if (props.gateway?.existingName !== undefined) {
    const ref = props.gateway.existingName;
    const parts = ref.split('/');
    if (parts.length > 2 || !parts.every((p) => isDns1123Label(p)) || ref === 'mesh') {
      fail(owner, `gateway name ${show(ref)} is not a Gateway reference`, 'use \'name\' (same namespace) or \'namespace/name\', e.g. \'istio-system/public\'');
    }
  }
  const gw = props.gateway;
  const o = gw?.options;
  if (o?.selector !== undefined) validateLabels(owner, 'gateway selector', o.selector);
  return {
    meshHost: release.name,
    gatewayHosts,
    gateway: o ? {
      kind: 'created',
      name: `${release.name}-gateway`,
      selector: { ...(o.selector ?? { istio: 'ingressgateway' }) },
      httpsCredentialName: o.httpsCredentialName,
      redirectHttpToHttps: Boolean(o.redirectHttpToHttps),
    } : gw ? { kind: 'existing', ref: gw.existingName! } : undefined,
  };
}

/** A version's workload, as far as routing needs it (a WebApp). */
export interface VersionWorkload {
  /** Deployment name. */
  readonly name: string;
  /** Pod labels (the `version` label selects the version). */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Resolved ports; the first is the routed HTTP port. */
  readonly ports: readonly ResolvedPort[];
}

/**
 * The ports served on another number than their container port, other than 80/443 for an HTTP port: with
 * WebApp's defaults (the container port; 80 for the shorthand `port`), those whose servicePort the user set.
 */
function intendedPorts(ports: readonly ResolvedPort[]): string[] | undefined {
  const names = ports.filter((p) => p.servicePort !== p.containerPort && !isConventionalHttpPort(p.servicePort, p.name)).map((p) => p.name);
  return names.length ? names : undefined;
}

/** The plan plus the workloads' ports and labels: the model, after the checks that need them. */
export function completeRelease(plan: ReleasePlan, workloads: Readonly<Record<string, VersionWorkload>>): ReleaseRouting {
  const owner = plan.owner;
  const ports = workloads[plan.versions[0]].ports.map((p) => compact({ name: p.name, port: p.servicePort, protocol: p.protocol as string, appProtocol: p.appProtocol }));
  if (plan.istioRoutesPort) checkIstioHttpPorts(owner, ports);
  const gw = plan.attachment.gateway;
  if (gw?.kind === 'created') {
    if (gw.httpsCredentialName !== undefined && !isDns1123Label(gw.httpsCredentialName) && !isDnsName(gw.httpsCredentialName, false)) {
      fail(owner, `gateway httpsCredentialName ${show(gw.httpsCredentialName)} is not a Secret name`, 'name a kubernetes.io/tls Secret in the ingress gateway\'s namespace');
    }
    if (gw.redirectHttpToHttps && !gw.httpsCredentialName) fail(owner, 'gateway redirectHttpToHttps is set without httpsCredentialName', 'set httpsCredentialName, or drop the redirect');
  }
  return {
    app: { name: plan.name, namespace: plan.namespace, labels: plan.labels, selector: { app: plan.name }, ports, port: ports[0], intendedServicePorts: intendedPorts(workloads[plan.versions[0]].ports) },
    versions: plan.versions.map((v) => ({
      name: v,
      workload: workloads[v].name,
      backend: !plan.versionServices
        // Subsets come from the workloads' own pod labels: never typed twice.
        ? { service: plan.name, subset: { name: v, labels: { version: workloads[v].podLabels.version } } }
        : { service: workloads[v].name },
    })),
    stages: plan.stages,
    stage: plan.stage,
    attachment: plan.attachment,
    policy: plan.policy,
    sticky: plan.sticky,
    istio: plan.istio,
  };
}

/** A Duration as whole milliseconds (>= 1), or fails. */
function timeoutOf(owner: string, prop: string, d: Duration): number {
  const ms = d.toMilliseconds({ integral: false });
  if (!Number.isInteger(ms) || ms < 1) fail(owner, `${prop} ${d.toHumanString()} (${ms}ms) is not a whole number of milliseconds >= 1`, 'use e.g. Duration.seconds(5) or Duration.millis(250)');
  return ms;
}
