// The run-time hardening of a WebApp that is not about its security context (issue #15): bounded
// emptyDirs, spread over nodes and zones, PDBs that let drains evict unready pods, default-deny networking.
// Resolved from the props and the chart's WebAppDefaults into the model.
import { fail, isDns1123Label, show, validateQuantity } from '../core';
import { TopologySpreadModel, WorkloadKind } from '../k8s';
import { DEFAULT_EMPTY_DIR_SIZE_LIMIT, WebAppDefaultsProps } from './defaults';
import { TopologySpread } from './topology-spread';
import { WebAppProps } from './types';

/** The hardening part of a WebApp's model. */
export interface HardeningModel {
  /** `sizeLimit` of emptyDirs given none. */
  readonly emptyDirSizeLimit: string;
  /** The pods' topology spread constraints (none for a single replica by default). */
  readonly topologySpread: readonly TopologySpreadModel[];
  /** The pods prefer not to share a node (a preferred host podAntiAffinity). */
  readonly hostAntiAffinity: boolean;
  /** The PodDisruptionBudget's `unhealthyPodEvictionPolicy`. */
  readonly unhealthyPodEvictionPolicy: 'AlwaysAllow' | 'IfHealthyBudget';
  /** Whether the app gets its default-deny NetworkPolicy (ingress and egress). */
  readonly networkIsolation: boolean;
  /** The Ingress controller's namespace, allowed in once the app is exposed through an Ingress. */
  readonly ingressControllerNamespace: string;
}

/** Resolves the hardening props of the WebApp `owner` (pods `selector`, a `kind` of at most `maxReplicas` pods). */
export function resolveHardening(owner: string, props: WebAppProps, defaults: WebAppDefaultsProps,
  selector: Readonly<Record<string, string>>, kind: WorkloadKind, maxReplicas: number): HardeningModel {
  const emptyDirSizeLimit = props.emptyDirSizeLimit ?? defaults.emptyDirSizeLimit ?? DEFAULT_EMPTY_DIR_SIZE_LIMIT;
  const limitFrom = props.emptyDirSizeLimit !== undefined ? 'emptyDirSizeLimit' : 'WebAppDefaults emptyDirSizeLimit';
  if (!(validateQuantity(owner, limitFrom, emptyDirSizeLimit, 'storage') > 0)) {
    fail(owner, `${limitFrom} ${show(emptyDirSizeLimit)} is not positive`, 'give a size such as \'1Gi\'', 'emptyDirSizeLimit');
  }
  const spread = props.topologySpread ?? TopologySpread.nodesAndZones();
  if (!(spread instanceof TopologySpread)) {
    fail(owner, `topologySpread ${show(spread)} is not a TopologySpread`, 'use TopologySpread.nodesAndZones(), TopologySpread.none() or TopologySpread.custom([...])', 'topologySpread');
  }
  const policy = props.unhealthyPodEvictionPolicy ?? 'AlwaysAllow';
  if (policy !== 'AlwaysAllow' && policy !== 'IfHealthyBudget') {
    fail(owner, `unhealthyPodEvictionPolicy ${show(policy)} is not AlwaysAllow or IfHealthyBudget`, 'use \'AlwaysAllow\' (the default) or \'IfHealthyBudget\'', 'unhealthyPodEvictionPolicy');
  }
  const isolation = props.networkIsolation ?? defaults.networkIsolation ?? true;
  if (typeof isolation !== 'boolean') {
    fail(owner, `networkIsolation ${show(isolation)} is not a boolean`, 'pass true (default-deny NetworkPolicy) or false (none unless isolate() is called)', 'networkIsolation');
  }
  const controllerNs = props.ingressControllerNamespace ?? defaults.ingressControllerNamespace ?? 'ingress-nginx';
  if (typeof controllerNs !== 'string' || !isDns1123Label(controllerNs)) {
    fail(owner, `ingressControllerNamespace ${show(controllerNs)} is not a namespace name`, 'use the Ingress controller\'s namespace, a DNS-1123 label such as \'ingress-nginx\'', 'ingressControllerNamespace');
  }
  return {
    networkIsolation: isolation,
    ingressControllerNamespace: controllerNs,
    emptyDirSizeLimit,
    topologySpread: spread._resolve(owner, selector, kind, maxReplicas),
    hostAntiAffinity: spread._hostAntiAffinity(maxReplicas),
    unhealthyPodEvictionPolicy: policy,
  };
}
