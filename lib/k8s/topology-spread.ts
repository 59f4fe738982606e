// Renders a pod's `topologySpreadConstraints`.
import { Json, compact } from '../core';

/** What the scheduler does with a pod that would break a constraint's skew. */
export type WhenUnsatisfiable = 'ScheduleAnyway' | 'DoNotSchedule';

/** A validated topology spread constraint. */
export interface TopologySpreadModel {
  /** Node label whose values are the domains (`kubernetes.io/hostname`, `topology.kubernetes.io/zone`). */
  readonly topologyKey: string;
  /** Most pods one domain may have above the emptiest one. */
  readonly maxSkew: number;
  /** `ScheduleAnyway` (a preference) or `DoNotSchedule` (a rule). */
  readonly whenUnsatisfiable: WhenUnsatisfiable;
  /** The pods counted: those with these labels. */
  readonly selector: Readonly<Record<string, string>>;
  /**
   * Pod label keys whose values (the incoming pod's) are added to the selector: `pod-template-hash`
   * counts only the pods of the same Deployment revision, so a rolling update is spread like a new app.
   * @default - none
   */
  readonly matchLabelKeys?: readonly string[];
}

/**
 * Renders a `topologySpreadConstraints[]` entry.
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/
 */
export function renderTopologySpread(t: TopologySpreadModel): Json {
  return compact({
    maxSkew: t.maxSkew,
    topologyKey: t.topologyKey,
    whenUnsatisfiable: t.whenUnsatisfiable,
    labelSelector: { matchLabels: { ...t.selector } },
    matchLabelKeys: t.matchLabelKeys?.length ? [...t.matchLabelKeys] : undefined,
  });
}

/**
 * Renders a pod `affinity` that prefers (weight 100) not to put two pods with `selector` on one node
 * (`podAntiAffinity` on `kubernetes.io/hostname`): what tools that predate topology spread constraints
 * look for (kube-score's host anti-affinity check), a preference like `ScheduleAnyway`.
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#inter-pod-affinity-and-anti-affinity
 */
export function renderPreferredHostAntiAffinity(selector: Readonly<Record<string, string>>): Json {
  return {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [{
        weight: 100,
        podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { ...selector } } },
      }],
    },
  };
}
