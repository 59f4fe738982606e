import { fail, show, validateInt } from '../core';
import { checkGatewayHost } from '../routing/hosts';
import { RouteMatch, StringMatch, escapeRegex } from '../routing/match';

/** The stages of a release as users declare them, and the plans (progressive, blue/green) that generate them. */

/** A match route: requests matching `match` go to `version`, before the weighted default route. */
export interface CanaryRoute {
  /** One match (every condition must hold), or a list of matches of which any may hold (OR). */
  readonly match: RouteMatch | RouteMatch[];
  /** The version the matching requests go to. */
  readonly version: string;
  /** The route's `name` (shown in Envoy stats and access logs). @default `<stage>-match-<n>` */
  readonly name?: string;
}

/** Shadow traffic: a copy of the default route's requests sent to a version; its responses are dropped. */
export interface CanaryMirror {
  /** The version that receives the copies. */
  readonly version: string;
  /** Share of the requests copied, in percent (0 < p <= 100). @default 100 */
  readonly percentage?: number;
}

/** One stage of a release: how the traffic is split while the stage is rendered. */
export interface CanaryStage {
  /** Stage name (DNS-1123 label, e.g. `canary-10`); what `CANARY_STAGE` selects. */
  readonly name: string;
  /** Percent of the default route per version; integers in 0-100 summing to 100. Versions left out get 0. */
  readonly weights: Record<string, number>;
  /** Match routes, tried in order before the weighted default route. @default - none */
  readonly routes?: CanaryRoute[];
  /** Mirror the default route's traffic to a version. @default - no mirroring */
  readonly mirror?: CanaryMirror;
}

/** Options of {@link CanaryPlan.progressive}. */
export interface ProgressivePlanOptions {
  /** The version running today. */
  readonly stable: string;
  /** The version being rolled out. */
  readonly canary: string;
  /** Canary percentages of the steps between stable and promoted, ascending, each in 1-99. @default [10, 50] */
  readonly steps?: number[];
}

/** How the preview version of a blue/green plan is reached. */
export interface BlueGreenPlanOptions {
  /** The version serving users until promotion. */
  readonly active: string;
  /** The version under test, reachable through the preview header or host. */
  readonly preview: string;
  /** Requests with this header (`name` lowercase, value exact) reach the preview. @default - none (then previewHost is required) */
  readonly previewHeader?: { readonly name: string; readonly value: string };
  /** A host served through the gateway that always reaches the preview. @default - none (then previewHeader is required) */
  readonly previewHost?: string;
}

/**
 * An ordered list of stages ending with one version at 100%. The last stage of a plan must send
 * 100% to one version, so the release always ends on one version.
 */
export class CanaryPlan {
  /** Your own stages; the last one must send 100% to one version. */
  public static of(stages: CanaryStage[]): CanaryPlan {
    return new CanaryPlan([...stages], [], undefined);
  }

  /**
   * `stable` (100% stable) → `canary-<p>` for each step (p% canary) → `promoted` (100% canary).
   * @example CanaryPlan.progressive({ stable: 'v1', canary: 'v2', steps: [10, 25, 50] })
   */
  public static progressive(options: ProgressivePlanOptions): CanaryPlan {
    if (options.stable === options.canary) {
      fail('CanaryPlan.progressive', `stable and canary are both ${show(options.stable)}`, 'roll out a different version than the one running, e.g. { stable: \'v1\', canary: \'v2\' }');
    }
    const steps = options.steps ?? [10, 50];
    steps.forEach((s, i) => {
      validateInt('CanaryPlan.progressive', `steps[${i}]`, s, 1, 99);
      if (i > 0 && s <= steps[i - 1]) fail('CanaryPlan.progressive', `steps ${show(steps)} are not ascending`, 'list the canary percentages in ascending order, e.g. [10, 25, 50]');
    });
    return new CanaryPlan([
      { name: 'stable', weights: { [options.stable]: 100, [options.canary]: 0 } },
      ...steps.map((p) => ({ name: `canary-${p}`, weights: { [options.stable]: 100 - p, [options.canary]: p } })),
      { name: 'promoted', weights: { [options.stable]: 0, [options.canary]: 100 } },
    ], [], options.stable);
  }

  /**
   * Blue/green: `active` (100% active; the preview reachable through its header and/or host) →
   * `promoted` (100% preview).
   */
  public static blueGreen(options: BlueGreenPlanOptions): CanaryPlan {
    const owner = 'CanaryPlan.blueGreen';
    if (options.active === options.preview) {
      fail(owner, `active and preview are both ${show(options.active)}`, 'preview a different version than the active one, e.g. { active: \'v1\', preview: \'v2\' }');
    }
    if (!options.previewHeader && !options.previewHost) fail(owner, 'neither previewHeader nor previewHost is set, so nobody could reach the preview', 'set previewHeader (e.g. { name: \'x-preview\', value: \'true\' }) or previewHost');
    const matches: RouteMatch[] = [];
    if (options.previewHeader) matches.push(RouteMatch.header(options.previewHeader.name, StringMatch.exact(options.previewHeader.value)));
    if (options.previewHost) {
      checkGatewayHost(owner, 'previewHost', options.previewHost);
      // `:authority` may carry a port; Envoy regexes match the whole value.
      matches.push(RouteMatch.authority(StringMatch.regex(`${escapeRegex(options.previewHost)}(:[0-9]+)?`)));
    }
    return new CanaryPlan([
      { name: 'active', weights: { [options.active]: 100, [options.preview]: 0 }, routes: [{ name: 'preview', match: matches, version: options.preview }] },
      { name: 'promoted', weights: { [options.active]: 0, [options.preview]: 100 } },
    ], options.previewHost ? [options.previewHost] : [], options.active);
  }

  private constructor(
    /** The stages, in order. */
    public readonly stages: readonly CanaryStage[],
    /** Hosts the plan needs served through the gateway (the blue/green preview host). */
    public readonly hosts: readonly string[],
    /**
     * The version running before the release (progressive `stable`, blue/green `active`); the sticky
     * cookie is never set for it. `undefined` for {@link CanaryPlan.of}.
     */
    public readonly stable: string | undefined,
  ) {}
}
