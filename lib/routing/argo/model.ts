/** How Argo Rollouts runs a release, resolved from `Delivery.argoRollouts(...)` (lib/canary/delivery.ts). */
export interface ArgoSettings {
  /** How long each step is held, in seconds; `undefined`: until promoted by hand (`kubectl argo rollouts promote`). */
  readonly pauseSeconds?: number;
  /** Background analysis against Prometheus, if any. */
  readonly analysis?: ArgoAnalysisSettings;
}

/** The success-rate and latency checks of the background analysis. */
export interface ArgoAnalysisSettings {
  /** Prometheus base URL. */
  readonly address: string;
  /** Seconds between measurements (and the query's rate window). */
  readonly intervalSeconds: number;
  /** Failed measurements tolerated before the Rollout aborts. */
  readonly failureLimit: number;
  /** Lowest passing percentage of non-5xx responses from the new version. */
  readonly successRatePercent: number;
  /** Highest passing P99 latency of the new version, in milliseconds. */
  readonly maxLatencyMillis: number;
}
