import { Duration } from 'cdk8s';
import { fail, isDns1123Label, show, validateInt, wholeSeconds } from '../core';
import { ArgoSettings } from '../routing/argo/model';
import { PrometheusCheck } from '../routing/delivery-target';
import { FlaggerSettings } from '../routing/flagger/model';

/** Who moves a CanaryRelease through its stages. */
export enum DeliveryKind {
  /** A pipeline renders one stage per synth (`CANARY_STAGE`); the library renders every routing object. */
  STATIC = 'static',
  /** Flagger's `Canary` walks the stages, checking metrics at each step, and rolls back by itself. */
  FLAGGER = 'flagger',
  /** An Argo Rollouts `Rollout` walks the stages as steps, with optional background analysis. */
  ARGO_ROLLOUTS = 'argo-rollouts',
}

/** A custom Prometheus check of the analysis. */
export interface PrometheusMetricOptions {
  /** Metric name (DNS-1123 label), e.g. `error-budget`. */
  readonly name: string;
  /** PromQL query returning one number. */
  readonly query: string;
  /** Prometheus base URL, e.g. `http://prometheus.istio-system:9090`. */
  readonly prometheusAddress: string;
  /** The lowest passing value. @default - no lower bound (then max is required) */
  readonly min?: number;
  /** The highest passing value. @default - no upper bound (then min is required) */
  readonly max?: number;
}

/** Flagger's load tester, called as a `rollout` webhook at every step of the analysis. */
export interface FlaggerLoadTestOptions {
  /** The load tester's URL, e.g. `http://flagger-loadtester.test/`. */
  readonly url: string;
  /** The command it runs, e.g. `hey -z 1m -q 10 -c 2 http://shop-canary.test:80/`. */
  readonly cmd: string;
}

/** Options of {@link Delivery.flagger}. @see https://docs.flagger.app/usage/how-it-works#canary-analysis */
export interface FlaggerDeliveryOptions {
  /** How long each step of the analysis lasts (`analysis.interval`), in whole seconds. @default Duration.minutes(1) */
  readonly interval?: Duration;
  /** Failed metric checks before Flagger rolls back (`analysis.threshold`). @default 5 */
  readonly threshold?: number;
  /** Steps of an A/B or blue/green analysis (`analysis.iterations`). @default 10 */
  readonly iterations?: number;
  /** Lowest passing `request-success-rate` (percent of non-5xx responses). @default 99 */
  readonly successRate?: number;
  /** Highest passing `request-duration` (P99), in whole milliseconds. @default Duration.millis(500) */
  readonly maxLatency?: Duration;
  /** Custom checks, each rendered as a `MetricTemplate` `<name>-<metric>`. @default - none */
  readonly metrics?: PrometheusMetricOptions[];
  /** Generate load during the analysis (a `rollout` webhook to Flagger's load tester). @default - none: real traffic only */
  readonly loadTest?: FlaggerLoadTestOptions;
  /** A `confirm-promotion` webhook: Flagger promotes only once it answers 200 (a manual gate). @default - promote when the analysis passes */
  readonly confirmPromotionUrl?: string;
  /** `progressDeadlineSeconds` of the Canary. @default - Flagger's (10 minutes) */
  readonly progressDeadline?: Duration;
}

/** Options of {@link Delivery.argoRollouts}. @see https://argo-rollouts.readthedocs.io/en/stable/features/canary/ */
export interface ArgoRolloutsDeliveryOptions {
  /** How long each stage is held before the next (`pause.duration`), in whole seconds. @default - until `kubectl argo rollouts promote` */
  readonly pause?: Duration;
  /** Prometheus base URL for the background analysis (success rate and P99 latency of the new version). @default - no analysis */
  readonly prometheusAddress?: string;
  /** Time between analysis measurements (and the queries' rate window), in whole seconds. @default Duration.minutes(1) */
  readonly analysisInterval?: Duration;
  /** Failed measurements tolerated before the Rollout aborts. @default 3 */
  readonly failureLimit?: number;
  /** Lowest passing success rate (percent of non-5xx responses). @default 99 */
  readonly successRate?: number;
  /** Highest passing P99 latency, in whole milliseconds. @default Duration.millis(500) */
  readonly maxLatency?: Duration;
}

/**
 * Who moves a {@link CanaryRelease} through its stages: the static delivery (the default: a pipeline
 * renders one stage per synth), Flagger or Argo Rollouts. With a controller, the release renders one
 * Deployment `<name>` carrying the pod spec of the version the last stage promotes (committing it is
 * what starts a rollout; the controller keeps the running version as its primary / stable ReplicaSet)
 * and the controller's object, whose steps come from the same stages.
 * @example
 * new CanaryRelease(chart, 'shop', { versions, port: 8080, plan, delivery: Delivery.flagger({ interval: Duration.seconds(30) }) });
 */
export class Delivery {
  /** Today's behaviour: one stage per synth, selected by `stage` or `CANARY_STAGE`. */
  public static static(): Delivery {
    return new Delivery(DeliveryKind.STATIC, undefined, undefined);
  }

  /**
   * A Flagger `Canary` (flagger.app/v1beta1) with the Istio provider, or with `TrafficApi.gatewayApi(...)`
   * the `gatewayapi:v1` provider (`service.gatewayRefs`: the Gateway and, with `mesh`, the Service `<name>`;
   * Flagger generates the HTTPRoute). On the Gateway API Flagger's built-in `request-success-rate` and
   * `request-duration` read the app's own `http_request_duration_seconds` metrics (its HTTP observer), so
   * an app without them needs custom `metrics`.
   * @see https://docs.flagger.app/tutorials/gatewayapi-progressive-delivery
   */
  public static flagger(options: FlaggerDeliveryOptions = {}): Delivery {
    flaggerSettings(options);
    return new Delivery(DeliveryKind.FLAGGER, { ...options }, undefined);
  }

  /**
   * An Argo Rollouts `Rollout` (argoproj.io/v1alpha1) with a `workloadRef` to the Deployment and Istio
   * traffic routing, or with `TrafficApi.gatewayApi(...)` the Argo Rollouts Gateway API plugin
   * (`trafficRouting.plugins['argoproj-labs/gatewayAPI']`) moving the release's HTTPRoutes.
   * @see https://rollouts-plugin-trafficrouter-gatewayapi.readthedocs.io/
   */
  public static argoRollouts(options: ArgoRolloutsDeliveryOptions = {}): Delivery {
    argoSettings(options);
    return new Delivery(DeliveryKind.ARGO_ROLLOUTS, undefined, { ...options });
  }

  private constructor(
    /** Who moves the stages. */
    public readonly kind: DeliveryKind,
    /** The options of {@link Delivery.flagger}. */
    public readonly flaggerOptions: FlaggerDeliveryOptions | undefined,
    /** The options of {@link Delivery.argoRollouts}. */
    public readonly argoRolloutsOptions: ArgoRolloutsDeliveryOptions | undefined,
  ) {}
}

/** {@link FlaggerDeliveryOptions} with defaults, checked. */
export function flaggerSettings(options: FlaggerDeliveryOptions): FlaggerSettings {
  const owner = 'Delivery.flagger';
  const threshold = options.threshold ?? 5;
  validateInt(owner, 'threshold', threshold, 1);
  const iterations = options.iterations ?? 10;
  validateInt(owner, 'iterations', iterations, 1);
  if (options.metrics !== undefined && !Array.isArray(options.metrics)) fail(owner, `metrics ${show(String(options.metrics))} is not a list`, 'give a list of { name, query, prometheusAddress, min/max }');
  if (options.loadTest !== undefined && (options.loadTest === null || typeof options.loadTest !== 'object')) fail(owner, `loadTest ${show(options.loadTest)} is not an object`, 'give { url, cmd }');
  const metrics = (options.metrics ?? []).map((m, i) => prometheusCheck(owner, `metrics[${i}]`, m));
  const names = metrics.map((m) => m.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i || n === 'request-success-rate' || n === 'request-duration');
  if (dup !== undefined) fail(owner, `metric name ${show(dup)} is used twice (request-success-rate and request-duration are built in)`, 'give every metric a unique name');
  if (options.loadTest) {
    checkUrl(owner, 'loadTest.url', options.loadTest.url);
    if (typeof options.loadTest.cmd !== 'string' || !options.loadTest.cmd.trim()) fail(owner, `loadTest.cmd ${show(options.loadTest.cmd)} is empty`, 'give the load tester\'s command, e.g. \'hey -z 1m -q 10 -c 2 http://shop-canary.test/\'');
  }
  if (options.confirmPromotionUrl !== undefined) checkUrl(owner, 'confirmPromotionUrl', options.confirmPromotionUrl);
  return {
    intervalSeconds: wholeSeconds(owner, 'interval', options.interval ?? Duration.minutes(1), 1),
    threshold,
    iterations,
    successRatePercent: percent(owner, 'successRate', options.successRate ?? 99),
    maxLatencyMillis: wholeMillis(owner, 'maxLatency', options.maxLatency ?? Duration.millis(500)),
    metrics,
    loadTest: options.loadTest ? { url: options.loadTest.url, cmd: options.loadTest.cmd } : undefined,
    confirmPromotionUrl: options.confirmPromotionUrl,
    progressDeadlineSeconds: options.progressDeadline ? wholeSeconds(owner, 'progressDeadline', options.progressDeadline, 1) : undefined,
  };
}

/** {@link ArgoRolloutsDeliveryOptions} with defaults, checked. */
export function argoSettings(options: ArgoRolloutsDeliveryOptions): ArgoSettings {
  const owner = 'Delivery.argoRollouts';
  const pauseSeconds = options.pause ? wholeSeconds(owner, 'pause', options.pause, 1) : undefined;
  const failureLimit = options.failureLimit ?? 3;
  validateInt(owner, 'failureLimit', failureLimit, 0);
  const intervalSeconds = wholeSeconds(owner, 'analysisInterval', options.analysisInterval ?? Duration.minutes(1), 1);
  const successRatePercent = percent(owner, 'successRate', options.successRate ?? 99);
  const maxLatencyMillis = wholeMillis(owner, 'maxLatency', options.maxLatency ?? Duration.millis(500));
  if (options.prometheusAddress === undefined) {
    const set = (['analysisInterval', 'failureLimit', 'successRate', 'maxLatency'] as const).find((k) => options[k] !== undefined);
    if (set) fail(owner, `${set} is set without prometheusAddress, so no analysis would use it`, 'set prometheusAddress (e.g. \'http://prometheus.istio-system:9090\') or drop it');
    return { pauseSeconds };
  }
  checkUrl(owner, 'prometheusAddress', options.prometheusAddress);
  return { pauseSeconds, analysis: { address: options.prometheusAddress, intervalSeconds, failureLimit, successRatePercent, maxLatencyMillis } };
}

function prometheusCheck(owner: string, at: string, m: PrometheusMetricOptions): PrometheusCheck {
  if (typeof m?.name !== 'string' || !isDns1123Label(m.name)) fail(owner, `${at}.name ${show(m?.name)} is not a DNS-1123 label`, 'use lowercase letters, digits and \'-\', e.g. \'error-rate\'');
  if (typeof m.query !== 'string' || !m.query.trim()) fail(owner, `${at}.query ${show(m.query)} is empty`, 'give a PromQL query returning one number');
  checkUrl(owner, `${at}.prometheusAddress`, m.prometheusAddress);
  if (m.min === undefined && m.max === undefined) fail(owner, `${at} (${m.name}) has neither min nor max`, 'set min, max or both: the range a passing value stays in');
  for (const k of ['min', 'max'] as const) {
    if (m[k] !== undefined && (typeof m[k] !== 'number' || !Number.isFinite(m[k]))) fail(owner, `${at}.${k} ${show(m[k])} is not a finite number`, `give ${k} as a number`);
  }
  if (m.min !== undefined && m.max !== undefined && m.min > m.max) fail(owner, `${at} (${m.name}) min ${m.min} is above max ${m.max}`, 'swap them');
  return { name: m.name, query: m.query, address: m.prometheusAddress, min: m.min, max: m.max };
}

function checkUrl(owner: string, prop: string, url: unknown): void {
  if (typeof url !== 'string' || !/^https?:\/\/[^\s/]+(\/\S*)?$/.test(url)) fail(owner, `${prop} ${show(url)} is not an http(s) URL`, 'give a URL such as \'http://prometheus.istio-system:9090\'');
}

function percent(owner: string, prop: string, p: number): number {
  if (typeof p !== 'number' || !(p > 0 && p <= 100)) fail(owner, `${prop} ${show(p)} is not a percentage in (0, 100]`, 'use e.g. 99');
  return p;
}

function wholeMillis(owner: string, prop: string, d: Duration): number {
  const ms = d instanceof Duration ? d.toMilliseconds({ integral: false }) : NaN;
  if (!Number.isInteger(ms) || ms < 1) fail(owner, `${prop} ${show(ms)}ms is not a whole number of milliseconds >= 1`, 'use e.g. Duration.millis(500)');
  return ms;
}
