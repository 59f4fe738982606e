import { PrometheusCheck } from '../delivery-target';

/** How Flagger runs the analysis of a release, resolved from `Delivery.flagger(...)` (lib/canary/delivery.ts). */
export interface FlaggerSettings {
  /** `analysis.interval`, in seconds: how long each step lasts. */
  readonly intervalSeconds: number;
  /** `analysis.threshold`: failed checks before Flagger rolls back. */
  readonly threshold: number;
  /** `analysis.iterations` for A/B and blue/green analyses. */
  readonly iterations: number;
  /** Built-in `request-success-rate`: the lowest passing percentage of non-5xx responses. */
  readonly successRatePercent: number;
  /** Built-in `request-duration`: the highest passing P99 latency, in milliseconds. */
  readonly maxLatencyMillis: number;
  /** Custom Prometheus checks, each rendered as a `MetricTemplate` `<name>-<check>`. */
  readonly metrics: readonly PrometheusCheck[];
  /** A `rollout` webhook that generates load during the analysis (Flagger's load tester). */
  readonly loadTest?: { readonly url: string; readonly cmd: string };
  /** A `confirm-promotion` webhook that must answer 200 before Flagger promotes. */
  readonly confirmPromotionUrl?: string;
  /** `progressDeadlineSeconds`, if set. */
  readonly progressDeadlineSeconds?: number;
}
