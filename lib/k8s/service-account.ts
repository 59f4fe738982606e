// Renders a ServiceAccount.
import { Json } from '../core';

/** A validated ServiceAccount. */
export interface ServiceAccountModel {
  /** Mount its token into pods that do not say otherwise. */
  readonly automountServiceAccountToken: boolean;
}

/** Renders a ServiceAccount's fields besides `apiVersion`, `kind` and `metadata`. */
export function renderServiceAccount(s: ServiceAccountModel): Json {
  return { automountServiceAccountToken: s.automountServiceAccountToken };
}
