import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { clusterScopedManifest, withChildSlots } from './k8s-object';
import { AppRegistry, checkUniqueObjects } from './registry';
import { NAMESPACES, meshInjectionLabel } from './routing/traffic-facts';
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

/** Properties of a {@link MeshNamespace}. */
export interface MeshNamespaceProps extends NamespaceProps {
  /**
   * Istio revision (`istio.io/rev: <revision>`, for revision-based installs and canary upgrades of
   * Istio) instead of `istio-injection: enabled`.
   * @default - `istio-injection: enabled` (the default revision)
   */
  readonly revision?: string;
}

/**
 * A Namespace whose pods get the Istio sidecar: labelled `istio-injection: enabled`, or
 * `istio.io/rev: <revision>` (Istio ignores `istio.io/rev` when `istio-injection` is present, so only
 * one of them is set).
 * @see https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/
 */
export class MeshNamespace extends Namespace {
  /** The injection label set on the namespace. */
  public readonly injectionLabel: Readonly<Record<string, string>>;

  public constructor(scope: Construct, id: string, props: MeshNamespaceProps) {
    const owner = `MeshNamespace '${props.name}'`;
    const user = props.labels ?? {};
    for (const key of ['istio-injection', 'istio.io/rev']) {
      if (key in user) {
        fail(owner, `labels set ${key}=${show(user[key])} (MeshNamespace sets the injection label itself)`,
          'leave the injection labels to MeshNamespace: drop it from labels (use revision for istio.io/rev)');
      }
    }
    if (props.revision !== undefined && (!isLabelValue(props.revision) || props.revision === '')) {
      fail(owner, `revision ${show(props.revision)} is not a valid label value`, 'use the Istio revision name, e.g. \'1-22-0\' or \'canary\'');
    }
    const injectionLabel: Record<string, string> = props.revision !== undefined ? { 'istio.io/rev': props.revision } : { 'istio-injection': 'enabled' };
    super(scope, id, { ...props, labels: { ...user, ...injectionLabel } });
    this.injectionLabel = injectionLabel;
  }
}
