// Renders a PodDisruptionBudget spec.
import { Json, compact } from '../core';

/** A validated PodDisruptionBudget. */
export interface PdbModel {
  /** Which bound the budget sets. */
  readonly field: 'maxUnavailable' | 'minAvailable';
  /** The bound: a number of pods or a percentage such as `'25%'`. */
  readonly value: number | string;
  /** The pods it covers. */
  readonly selector: Readonly<Record<string, string>>;
  /**
   * `unhealthyPodEvictionPolicy`: `AlwaysAllow` lets a drain evict pods that are running but not Ready
   * (a crash-looping pod would otherwise block it forever), `IfHealthyBudget` only while the budget holds.
   * @default - Kubernetes' default (IfHealthyBudget)
   * @see https://kubernetes.io/docs/tasks/run-application/configure-pdb/#unhealthy-pod-eviction-policy
   */
  readonly unhealthyPodEvictionPolicy?: 'AlwaysAllow' | 'IfHealthyBudget';
}

/** Renders the `spec` of a PodDisruptionBudget. */
export function renderPdbSpec(p: PdbModel): Json {
  return compact({ [p.field]: p.value, selector: { matchLabels: { ...p.selector } }, unhealthyPodEvictionPolicy: p.unhealthyPodEvictionPolicy });
}
