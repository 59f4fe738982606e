// Renders a HorizontalPodAutoscaler (autoscaling/v2) spec.
import { Json, compact } from '../core';

/** A validated HorizontalPodAutoscaler. */
export interface HpaModel {
  /** The workload it scales (apiVersion apps/v1). */
  readonly target: { readonly kind: 'Deployment' | 'StatefulSet'; readonly name: string };
  /** Lower bound of replicas. */
  readonly minReplicas: number;
  /** Upper bound of replicas. */
  readonly maxReplicas: number;
  /** Target average CPU utilisation, in percent of the request. @default - no CPU metric */
  readonly cpuUtilization?: number;
  /** A custom per-pod metric and its target average value. @default - none */
  readonly podsMetric?: { readonly name: string; readonly averageValue: string };
  /** Scale-down stabilization window. @default - Kubernetes' default (300) */
  readonly scaleDownStabilizationSeconds?: number;
}

/** Renders the `spec` of a HorizontalPodAutoscaler. */
export function renderHpaSpec(h: HpaModel): Json {
  const metrics: Json[] = [];
  if (h.cpuUtilization !== undefined) {
    metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: h.cpuUtilization } } });
  }
  if (h.podsMetric) {
    metrics.push({ type: 'Pods', pods: { metric: { name: h.podsMetric.name }, target: { type: 'AverageValue', averageValue: h.podsMetric.averageValue } } });
  }
  return compact({
    scaleTargetRef: { apiVersion: 'apps/v1', kind: h.target.kind, name: h.target.name },
    minReplicas: h.minReplicas,
    maxReplicas: h.maxReplicas,
    metrics,
    behavior: h.scaleDownStabilizationSeconds !== undefined ? { scaleDown: { stabilizationWindowSeconds: h.scaleDownStabilizationSeconds } } : undefined,
  });
}
