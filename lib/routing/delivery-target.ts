/**
 * The workload a progressive-delivery controller (Flagger, Argo Rollouts) takes over: one Deployment,
 * carrying the pod spec of the version being rolled out. Given to the controller renderers next to the
 * routing model, which says nothing about workloads beyond their names.
 */
export interface DeliveryTarget {
  /** The Deployment's name (Flagger `targetRef`, Argo Rollouts `workloadRef`). */
  readonly workload: string;
  /** The HorizontalPodAutoscaler scaling it, if any (Flagger `autoscalerRef`). */
  readonly autoscaler?: string;
  /** Its replicas (an Argo Rollout owns them; the Deployment is kept at 0). */
  readonly replicas?: number;
}

/** A Prometheus query a controller checks during the analysis, with the range its result must stay in. */
export interface PrometheusCheck {
  /** Metric name (a DNS-1123 label). */
  readonly name: string;
  /** The PromQL query; its result is compared with {@link min} / {@link max}. */
  readonly query: string;
  /** Prometheus base URL. */
  readonly address: string;
  /** The lowest passing value, if any. */
  readonly min?: number;
  /** The highest passing value, if any. */
  readonly max?: number;
}
