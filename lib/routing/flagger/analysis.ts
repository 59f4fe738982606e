import { fail, show } from '../../core';
import { HttpMatch, RoutingStage, describeConditions } from '../model';
import { ProgressivePlan } from '../progressive';

/**
 * Which of Flagger's analyses walks the declared steps. Flagger runs one kind per Canary:
 * - `canary`: the canary weight goes through `stepWeights`, then Flagger promotes;
 * - `ab` (A/B testing): for `iterations`, requests matching `match` go to the canary, the rest stay on the primary;
 * - `blueGreen`: for `iterations`, the canary gets no user traffic (only a mirrored share, if any).
 * @see https://docs.flagger.app/usage/deployment-strategies
 */
export type FlaggerAnalysis =
  | { readonly kind: 'canary'; readonly stepWeights: readonly number[] }
  | { readonly kind: 'ab'; readonly match: readonly HttpMatch[] }
  | { readonly kind: 'blueGreen'; readonly mirrorPercent?: number };

const TARGET = 'delivery Flagger';

/** The analysis of `plan`'s steps, or fails naming the step Flagger cannot express. */
export function flaggerAnalysis(owner: string, plan: ProgressivePlan): FlaggerAnalysis {
  const { steps, canary } = plan;
  if (steps.length === 0) {
    fail(owner, `${TARGET} has nothing to analyse: no stage between the first and the last`,
      `add a stage between them (e.g. { name: 'canary', weights: { ${plan.stable}: 90, ${canary}: 10 } })`, 'delivery');
  }
  const weight = (s: RoutingStage) => s.weights[canary];
  const weighted = steps.filter((s) => weight(s) > 0);
  for (const s of steps) {
    if (weight(s) === 100) {
      fail(owner, `${TARGET}: stage ${show(s.name)} sends 100% to ${show(canary)} before the last stage; Flagger promotes only at the end of the analysis`,
        'drop the stage (the last stage is the promotion)', 'delivery');
    }
    if (weight(s) > 0 && (s.routes.length || s.mirror)) {
      fail(owner, `${TARGET}: stage ${show(s.name)} combines weights with ${s.routes.length ? 'match routes' : 'mirroring'}; Flagger's weighted analysis shifts weights only`,
        'split them into separate releases, or use Delivery.argoRollouts()', 'delivery');
    }
  }
  if (weighted.length) {
    const other = steps.find((s) => weight(s) === 0);
    if (other) {
      fail(owner, `${TARGET}: stage ${show(other.name)} (${other.routes.length ? 'match routes' : other.mirror ? 'mirroring' : 'no canary traffic'}) is mixed with weighted stages; Flagger runs one analysis per Canary: weight steps, A/B matches or blue/green iterations`,
        'keep only weighted stages between the first and the last, or use Delivery.argoRollouts()', 'delivery');
    }
    weighted.forEach((s, i) => {
      if (i > 0 && weight(s) <= weight(weighted[i - 1])) {
        fail(owner, `${TARGET}: stage ${show(s.name)} sends ${weight(s)}% to ${show(canary)}, not more than stage ${show(weighted[i - 1].name)} (${weight(weighted[i - 1])}%); Flagger's stepWeights only go up`,
          'order the weighted stages by ascending canary weight', 'delivery');
      }
    });
    return { kind: 'canary', stepWeights: weighted.map(weight) };
  }
  if (steps.length > 1) {
    fail(owner, `${TARGET}: stages ${steps.map((s) => show(s.name)).join(', ')} all keep the canary weight at 0; Flagger's A/B and blue/green analyses hold one routing for all their iterations`,
      'keep one stage between the first and the last', 'delivery');
  }
  const step = steps[0];
  if (step.routes.length) {
    if (step.mirror) fail(owner, `${TARGET}: stage ${show(step.name)} combines match routes with mirroring; Flagger's A/B analysis does not mirror`, 'drop the mirror, or use Delivery.argoRollouts()', 'delivery');
    const match = step.routes.flatMap((r) => r.matches);
    for (const m of match) {
      const other = m.conditions.find((c) => c.type !== 'header');
      if (other) {
        fail(owner, `${TARGET}: stage ${show(step.name)} matches ${describeConditions([other])}; Flagger's analysis.match tests headers (and cookies) only`,
          'match on a header or cookie (e.g. RouteMatch.header(\'x-canary\', StringMatch.exact(\'true\'))), or use the static delivery', 'delivery');
      }
    }
    return { kind: 'ab', match };
  }
  return { kind: 'blueGreen', mirrorPercent: step.mirror?.percentage };
}
