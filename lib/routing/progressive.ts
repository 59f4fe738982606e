import { fail, show } from '../core';
import { ReleaseRouting, RoutingStage } from './model';

/**
 * The shape a progressive-delivery controller (Flagger, Argo Rollouts) can walk: it rolls one new
 * version of one workload out from the running one. Read from the routing model: the first stage sends
 * 100% to the running version (the controller's primary / stable), the last sends 100% to the other
 * (the canary, promoted at the end), and the stages between are what the controller steps through.
 * Each controller's renderer then rejects the steps it cannot express.
 */
export interface ProgressivePlan {
  /** The running version: the first stage sends it 100%. */
  readonly stable: string;
  /** The version rolled out: the last stage sends it 100%. */
  readonly canary: string;
  /** The stages between the starting one and the last, in order: what the controller steps through. */
  readonly steps: readonly RoutingStage[];
  /**
   * True when the first declared stage already routes to the new version (a blue/green plan's `active`
   * stage, whose preview route reaches it): the controller starts from an implicit stage sending 100% to
   * the running version, and the first declared stage is its first step.
   */
  readonly implicitStart: boolean;
}

/** `target` names the controller in errors, e.g. `delivery Flagger`. */
export function progressivePlan(owner: string, target: string, model: Pick<ReleaseRouting, 'versions' | 'stages'>): ProgressivePlan {
  const versions = model.versions.map((v) => v.name);
  if (versions.length !== 2) {
    fail(owner, `${target} rolls out one new version of one workload, but versions has ${versions.length} (${versions.map((v) => show(v)).join(', ')})`,
      'declare two versions: the running one and the one being rolled out', 'delivery');
  }
  const stages = model.stages;
  const only = (s: RoutingStage): string | undefined => {
    const full = versions.find((v) => s.weights[v] === 100);
    return full !== undefined && s.routes.length === 0 && s.mirror === undefined ? full : undefined;
  };
  const first = stages[0];
  const last = stages[stages.length - 1];
  const stable = versions.find((v) => first.weights[v] === 100);
  if (stages.length < 2 || stable === undefined) {
    fail(owner, `${target} starts from the running version, but the first stage ${show(first.name)} ${stages.length < 2 ? 'is the only stage' : 'does not send 100% of the weighted traffic to one version'}`,
      'start the stages with one that sends 100% to the running version (e.g. { name: \'stable\', weights: { v1: 100 } }) and end with one that sends 100% to the new version', 'delivery');
  }
  const canary = only(last);
  if (canary === undefined || canary === stable) {
    fail(owner, `${target} ends by promoting the new version, but the last stage ${show(last.name)} does not send 100% to the version other than ${show(stable)}, without match routes or mirroring`,
      `end the stages with one that sends 100% to ${show(versions.find((v) => v !== stable))} (e.g. { name: 'promoted', weights: { ${versions.find((v) => v !== stable)}: 100 } })`, 'delivery');
  }
  const implicitStart = only(first) === undefined;
  const steps = stages.slice(implicitStart ? 0 : 1, -1);
  for (const s of steps) {
    for (const r of s.routes) {
      if (r.version !== canary) {
        fail(owner, `${target}: stage ${show(s.name)} route ${show(r.name)} sends to ${show(r.version)}, but a controller routes matches to the new version only`,
          `send the route to ${show(canary)}, or drop it (requests it leaves out stay on ${show(stable)})`, 'delivery');
      }
    }
    if (s.mirror && s.mirror.version !== canary) {
      fail(owner, `${target}: stage ${show(s.name)} mirrors to ${show(s.mirror.version)}, but a controller mirrors to the new version only`, `mirror to ${show(canary)}`, 'delivery');
    }
  }
  return { stable: stable!, canary: canary!, steps, implicitStart };
}
