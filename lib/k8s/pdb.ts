// Renders a PodDisruptionBudget spec.
import { Json } from '../core';

/** A validated PodDisruptionBudget. */
export interface PdbModel {
  /** Which bound the budget sets. */
  readonly field: 'maxUnavailable' | 'minAvailable';
  /** The bound: a number of pods or a percentage such as `'25%'`. */
  readonly value: number | string;
  /** The pods it covers. */
  readonly selector: Readonly<Record<string, string>>;
}

/** Renders the `spec` of a PodDisruptionBudget. */
export function renderPdbSpec(p: PdbModel): Json {
  return { [p.field]: p.value, selector: { matchLabels: { ...p.selector } } };
}
