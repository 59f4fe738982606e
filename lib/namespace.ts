import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { clusterScopedManifest, withChildSlots } from './k8s-object';
import { AppRegistry, checkUniqueObjects } from './registry';
import { NAMESPACES, meshInjectionLabel } from './routing/traffic-facts';
import { WAYPOINT_NAME, renderWaypoint } from './routing/gateway-api/waypoint';
import { DNS1123_LABEL_FIX, fail, isDns1123Label, isLabelValue, recommendedLabels, show } from './core';

/**
 * A Pod Security Standards level, enforced by the built-in Pod Security admission controller through the
 * namespace label `pod-security.kubernetes.io/enforce`.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
 */
export enum PodSecurityLevel {
  /** Everything the library renders by default meets it; WebApp's relaxation props (allowRunAsRoot...) may not. */
  RESTRICTED = 'restricted',
  /** Blocks known privilege escalations only; what an Istio sidecar's `istio-init` (NET_ADMIN, NET_RAW) needs. */
  BASELINE = 'baseline',
  /** Unrestricted. */
  PRIVILEGED = 'privileged',
}

/** Properties of a {@link Namespace}. */
export interface NamespaceProps {
  /** Namespace name (DNS-1123 label). */
  readonly name: string;
  /** Extra labels. @default - none */
  readonly labels?: Record<string, string>;
  /** Annotations. @default - none */
  readonly annotations?: Record<string, string>;
  /**
   * The Pod Security level the namespace enforces (`pod-security.kubernetes.io/enforce`). Every pod the
   * library renders meets `restricted` unless a relaxation prop says otherwise (e.g. WebApp's
   * `allowRunAsRoot` or `addCapabilities`): choose a lower level for a namespace holding such pods.
   * @default PodSecurityLevel.RESTRICTED (a MeshNamespace with sidecars: BASELINE unless `istioCni`)
   */
  readonly podSecurity?: PodSecurityLevel;
}

/** The label that makes Pod Security admission enforce a level in a namespace. */
const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

/**
 * A Namespace, labelled `app.kubernetes.io/managed-by: cdk8s-noops` and enforcing Pod Security
 * `restricted` (see {@link NamespaceProps.podSecurity}). Create it first in a chart so
 * `kubectl apply -f` creates it before the objects that live in it.
 */
export class Namespace extends Construct {
  /** The namespace name. */
  public readonly name: string;
  /** The Namespace object. */
  public readonly namespace: ApiObject;
  /** The Pod Security level it enforces. */
  public readonly podSecurity: PodSecurityLevel;

  public constructor(scope: Construct, id: string, props: NamespaceProps) {
    super(withChildSlots(scope), id);
    checkUniqueObjects(this);
    if (!isDns1123Label(props.name)) {
      fail(`Namespace '${props.name}'`, `name ${show(props.name)} is not a DNS-1123 label`, DNS1123_LABEL_FIX);
    }
    for (const [k, v] of Object.entries(props.labels ?? {})) {
      if (!isLabelValue(v)) fail(`Namespace '${props.name}'`, `label ${k} value ${show(v)} is not a valid label value`, 'use at most 63 letters, digits, \'-\', \'_\' or \'.\'');
    }
    const podSecurity = props.podSecurity ?? PodSecurityLevel.RESTRICTED;
    if (!Object.values(PodSecurityLevel).includes(podSecurity)) {
      fail(`Namespace '${props.name}'`, `podSecurity ${show(podSecurity)} is not a Pod Security level`, 'use PodSecurityLevel.RESTRICTED, BASELINE or PRIVILEGED');
    }
    if (props.labels && ENFORCE_LABEL in props.labels) {
      fail(`Namespace '${props.name}'`, `labels set ${ENFORCE_LABEL}=${show(props.labels[ENFORCE_LABEL])}`, `use podSecurity: PodSecurityLevel.${String(props.labels[ENFORCE_LABEL]).toUpperCase()} instead`);
    }
    this.name = props.name;
    this.podSecurity = podSecurity;
    // A Namespace is cluster-scoped: rendered without the chart's namespace.
    this.namespace = clusterScopedManifest(this, 'Resource', 'v1', 'Namespace', {
      name: props.name,
      labels: { ...recommendedLabels({}), ...props.labels, [ENFORCE_LABEL]: podSecurity },
      annotations: props.annotations,
      body: {},
    });
    // Whether its pods get the Istio sidecar, from its labels (the chart's included), for StickyIngress's clientIp check.
    const labels: Record<string, string> = this.namespace.metadata.toJson().labels ?? {};
    AppRegistry.of(this).register(NAMESPACES, this, { object: this.namespace, name: props.name, meshInjection: meshInjectionLabel(labels), podSecurity });
  }
}

/** How the pods of a {@link MeshNamespace} join the Istio mesh. */
export enum MeshDataplane {
  /** An Envoy sidecar injected into every pod (`istio-injection: enabled`, or `istio.io/rev`). */
  SIDECAR = 'sidecar',
  /**
   * Istio ambient mode (`istio.io/dataplane-mode: ambient`): the node's ztunnel carries the pods'
   * traffic (mTLS, L4 policy) and a waypoint proxy applies L7 routing. Pods need no sidecar and no
   * init container, so the namespace enforces Pod Security `restricted`.
   * @see https://istio.io/latest/docs/ambient/overview/
   */
  AMBIENT = 'ambient',
}

/** Properties of a {@link MeshNamespace}. */
export interface MeshNamespaceProps extends NamespaceProps {
  /**
   * Istio revision (`istio.io/rev: <revision>`, for revision-based installs and canary upgrades of
   * Istio) instead of `istio-injection: enabled`. Sidecar mode only.
   * @default - `istio-injection: enabled` (the default revision)
   */
  readonly revision?: string;
  /** Sidecars or ambient mode. @default MeshDataplane.SIDECAR */
  readonly dataplane?: MeshDataplane;
  /**
   * Ambient mode only: deploy the namespace's waypoint (a Gateway `waypoint` of class
   * `istio-waypoint`) and label the namespace `istio.io/use-waypoint: waypoint`, so its Services get
   * L7 routing (HTTPRoutes attached to them, e.g. a CanaryRelease on the Gateway API). Without it,
   * ambient mode routes at L4 only and ignores HTTP routes.
   * @default true
   */
  readonly waypoint?: boolean;
  /**
   * Sidecar mode only: the Istio CNI plugin is installed, so injected pods get no `istio-init` container
   * (which needs NET_ADMIN and NET_RAW) and the namespace can enforce Pod Security `restricted`. Without
   * it, the namespace enforces `baseline`, the level istio-init passes.
   * @default false
   * @see https://istio.io/latest/docs/setup/additional-setup/cni/
   */
  readonly istioCni?: boolean;
}

/**
 * A Namespace whose pods are in the Istio mesh. With sidecars (the default): labelled
 * `istio-injection: enabled`, or `istio.io/rev: <revision>` (Istio ignores `istio.io/rev` when
 * `istio-injection` is present, so only one of them is set). In ambient mode: labelled
 * `istio.io/dataplane-mode: ambient`, with a waypoint and `istio.io/use-waypoint` for L7 routing (see
 * {@link MeshNamespaceProps.waypoint}). It enforces Pod Security `restricted` in ambient mode or with
 * `istioCni`, `baseline` otherwise (the sidecar's istio-init container needs NET_ADMIN and NET_RAW).
 * @see https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/
 * @see https://istio.io/latest/docs/ambient/usage/add-workloads/
 */
export class MeshNamespace extends Namespace {
  /** The label that puts the pods in the mesh (`istio-injection`, `istio.io/rev` or `istio.io/dataplane-mode`). */
  public readonly injectionLabel: Readonly<Record<string, string>>;
  /** Sidecars or ambient mode. */
  public readonly dataplane: MeshDataplane;
  /** The waypoint Gateway (ambient mode with `waypoint`). */
  public readonly waypoint?: ApiObject;

  public constructor(scope: Construct, id: string, props: MeshNamespaceProps) {
    const owner = `MeshNamespace '${props.name}'`;
    const user = props.labels ?? {};
    const dataplane = props.dataplane ?? MeshDataplane.SIDECAR;
    if (!Object.values(MeshDataplane).includes(dataplane)) fail(owner, `dataplane ${show(dataplane)} is not a MeshDataplane`, 'use MeshDataplane.SIDECAR or MeshDataplane.AMBIENT');
    const ambient = dataplane === MeshDataplane.AMBIENT;
    if (props.waypoint !== undefined && !ambient) fail(owner, `waypoint is set in ${dataplane} mode`, 'waypoints are for ambient mode: set dataplane: MeshDataplane.AMBIENT, or drop waypoint (sidecars route L7 themselves)');
    if (ambient && props.revision !== undefined) fail(owner, `revision ${show(props.revision)} is set in ambient mode`, 'revision selects a sidecar injector; drop it (or use MeshDataplane.SIDECAR)');
    const waypoint = ambient && (props.waypoint ?? true);
    if (props.istioCni !== undefined && typeof props.istioCni !== 'boolean') fail(owner, `istioCni ${show(props.istioCni)} is not a boolean`, 'pass true when the Istio CNI plugin is installed, false otherwise');
    if (props.istioCni !== undefined && ambient) fail(owner, 'istioCni is set in ambient mode', 'drop istioCni: ambient pods have no istio-init container, so the namespace enforces restricted anyway');
    for (const key of ['istio-injection', 'istio.io/rev', 'istio.io/dataplane-mode', 'istio.io/use-waypoint']) {
      if (key in user) {
        fail(owner, `labels set ${key}=${show(user[key])} (MeshNamespace sets the ${key === 'istio-injection' || key === 'istio.io/rev' ? 'injection label' : 'mesh labels'} itself)`,
          `leave the ${key === 'istio-injection' || key === 'istio.io/rev' ? 'injection' : 'mesh'} labels to MeshNamespace: drop it from labels (use revision for istio.io/rev, dataplane and waypoint for ambient mode)`);
      }
    }
    if (props.revision !== undefined && (!isLabelValue(props.revision) || props.revision === '')) {
      fail(owner, `revision ${show(props.revision)} is not a valid label value`, 'use the Istio revision name, e.g. \'1-22-0\' or \'canary\'');
    }
    const injectionLabel: Record<string, string> = ambient ? { 'istio.io/dataplane-mode': 'ambient' }
      : props.revision !== undefined ? { 'istio.io/rev': props.revision } : { 'istio-injection': 'enabled' };
    // Ambient pods, and sidecar-injected pods with the Istio CNI plugin, have no istio-init container
    // (NET_ADMIN, NET_RAW), so they pass Pod Security "restricted"; otherwise istio-init needs "baseline".
    const podSecurity = props.podSecurity ?? (ambient || props.istioCni ? PodSecurityLevel.RESTRICTED : PodSecurityLevel.BASELINE);
    const ambientLabels: Record<string, string> = waypoint ? { 'istio.io/use-waypoint': WAYPOINT_NAME } : {};
    super(scope, id, { ...props, podSecurity, labels: { ...user, ...injectionLabel, ...ambientLabels } });
    this.injectionLabel = injectionLabel;
    this.dataplane = dataplane;
    if (waypoint) this.waypoint = renderWaypoint(this, 'Waypoint', props.name, recommendedLabels({}));
  }
}
