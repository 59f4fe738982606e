import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { fail, show, validateInt } from '../core';
import { renderPdbSpec } from '../k8s';
import { manifest } from '../k8s-object';
import { DisruptionBudget } from '../web-app';
import { CanaryVersion } from './props';

/**
 * The PodDisruptionBudget of a release a controller delivers. The WebApp's own budget cannot serve: it
 * selects `app: <name>`, which Flagger's primary pods do not carry (Flagger renames the selector label's
 * value to `<name>-primary` and copies every other label), and the Argo Rollouts Deployment runs no pod
 * (`replicas: 0`: the Rollout runs its template), so the WebApp renders none. So the release gives its
 * WebApp `DisruptionBudget.none()` and renders this one:
 * - Flagger: selects `app.kubernetes.io/name: <name>`, a label the primary and the canary pods both carry,
 *   so drains keep the budget over every pod serving the app (the canary Deployment runs no pod outside
 *   an analysis);
 * - Argo Rollouts: selects `app: <name>` (the Rollout's pods are the Deployment template's).
 * Both selectors match the Deployment's pod template, so the audit finds the pods they cover.
 * @see https://docs.flagger.app/usage/how-it-works (the primary Deployment's labels)
 */

/** The budget of `version` (its own, or maxUnavailable 1 when more than one replica is possible), checked against its fewest replicas. */
export function controllerBudget(owner: string, version: CanaryVersion, replicas: { readonly min: number; readonly max: number }): DisruptionBudget {
  const given = version.disruptionBudget;
  if (given !== undefined && !(given instanceof DisruptionBudget)) {
    fail(owner, `version ${show(version.name)} disruptionBudget ${show(String(given))} is not a DisruptionBudget`, 'use DisruptionBudget.maxUnavailable(1), minAvailable(n) or none()', 'versions');
  }
  const budget = given ?? (replicas.max > 1 ? DisruptionBudget.maxUnavailable(1) : DisruptionBudget.none());
  if (budget.field === 'none') return budget;
  const prop = `version '${version.name}' disruptionBudget ${budget.field}`;
  const v = budget.value;
  if (typeof v === 'string') {
    const pct = /^(\d{1,3})%$/.exec(v);
    if (!pct || Number(pct[1]) > 100 || (budget.field === 'maxUnavailable' ? Number(pct[1]) === 0 : Number(pct[1]) === 100)) {
      fail(owner, `${prop} ${show(v)} is not a percentage a drain can satisfy`, 'use e.g. maxUnavailable(1) or \'25%\'', 'versions');
    }
    return budget;
  }
  validateInt(owner, prop, v, budget.field === 'maxUnavailable' ? 1 : 0);
  if (budget.field === 'minAvailable' && v >= replicas.min) {
    fail(owner, `${prop} ${v} can never be satisfied with ${replicas.min} replica(s): no pod could ever be evicted`, 'use maxUnavailable(1), or run more replicas', 'versions');
  }
  return budget;
}

/** Renders the PodDisruptionBudget `name` (construct id `PodDisruptionBudget`), or nothing for `DisruptionBudget.none()`. */
export function renderControllerPdb(scope: Construct, name: string, labels: Readonly<Record<string, string>>, budget: DisruptionBudget,
  selector: Readonly<Record<string, string>>): ApiObject | undefined {
  if (budget.field === 'none') return undefined;
  return manifest(scope, 'PodDisruptionBudget', 'policy/v1', 'PodDisruptionBudget', {
    name, labels: { ...labels }, body: { spec: renderPdbSpec({ field: budget.field, value: budget.value, selector }) },
  });
}
