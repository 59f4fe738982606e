import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { clusterScopedManifest, withChildSlots } from './k8s-object';
import { AppRegistry, checkUniqueObjects } from './registry';
import { NAMESPACES, meshInjectionLabel } from './routing/traffic-facts';
import { WAYPOINT_NAME, renderWaypoint } from './routing/gateway-api/waypoint';
import { DNS1123_LABEL_FIX, fail, isDns1123Label, isLabelValue, recommendedLabels, show } from './core';

/** Properties of a {@link Namespace}. */
export interface NamespaceProps {
  /** Namespace name (DNS-1123 label). */
  readonly name: string;
  /** Extra labels. @default - none */
  readonly labels?: Record<string, string>;
  /** Annotations. @default - none */
  readonly annotations?: Record<string, string>;
}

/**
 * A Namespace, labelled `app.kubernetes.io/managed-by: cdk8s-noops`. Create it first in a chart so
 * `kubectl apply -f` creates it before the objects that live in it.
 */
export class Namespace extends Construct {
  /** The namespace name. */
  public readonly name: string;
  /** The Namespace object. */
  public readonly namespace: ApiObject;

  public constructor(scope: Construct, id: string, props: NamespaceProps) {
    super(withChildSlots(scope), id);
    checkUniqueObjects(this);
    if (!isDns1123Label(props.name)) {
      fail(`Namespace '${props.name}'`, `name ${show(props.name)} is not a DNS-1123 label`, DNS1123_LABEL_FIX);
    }
    for (const [k, v] of Object.entries(props.labels ?? {})) {
      if (!isLabelValue(v)) fail(`Namespace '${props.name}'`, `label ${k} value ${show(v)} is not a valid label value`, 'use at most 63 letters, digits, \'-\', \'_\' or \'.\'');
    }
    this.name = props.name;
    // A Namespace is cluster-scoped: rendered without the chart's namespace.
    this.namespace = clusterScopedManifest(this, 'Resource', 'v1', 'Namespace', {
      name: props.name,
      labels: { ...recommendedLabels({}), ...props.labels },
      annotations: props.annotations,
      body: {},
    });
    // Whether its pods get the Istio sidecar, from its labels (the chart's included), for StickyIngress's clientIp check.
    const labels: Record<string, string> = this.namespace.metadata.toJson().labels ?? {};
    AppRegistry.of(this).register(NAMESPACES, this, { object: this.namespace, name: props.name, meshInjection: meshInjectionLabel(labels) });
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
}

/**
 * A Namespace whose pods are in the Istio mesh. With sidecars (the default): labelled
 * `istio-injection: enabled`, or `istio.io/rev: <revision>` (Istio ignores `istio.io/rev` when
 * `istio-injection` is present, so only one of them is set). In ambient mode: labelled
 * `istio.io/dataplane-mode: ambient` and `pod-security.kubernetes.io/enforce: restricted`, with a
 * waypoint and `istio.io/use-waypoint` for L7 routing (see {@link MeshNamespaceProps.waypoint}).
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
    for (const key of ['istio-injection', 'istio.io/rev', 'istio.io/dataplane-mode', 'istio.io/use-waypoint', ...(ambient ? ['pod-security.kubernetes.io/enforce'] : [])]) {
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
    // Ambient pods have no istio-init container (NET_ADMIN), so they pass Pod Security "restricted".
    const ambientLabels: Record<string, string> = ambient ? {
      'pod-security.kubernetes.io/enforce': 'restricted',
      ...(waypoint ? { 'istio.io/use-waypoint': WAYPOINT_NAME } : {}),
    } : {};
    super(scope, id, { ...props, labels: { ...user, ...injectionLabel, ...ambientLabels } });
    this.injectionLabel = injectionLabel;
    this.dataplane = dataplane;
    if (waypoint) this.waypoint = renderWaypoint(this, 'Waypoint', props.name, recommendedLabels({}));
  }
}
