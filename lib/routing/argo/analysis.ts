import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { manifest } from '../../k8s-object';
import { ReleaseRouting } from '../model';
import { ArgoAnalysisSettings } from './model';

/** The API version of Argo Rollouts' kinds. */
export const ARGO_API_VERSION = 'argoproj.io/v1alpha1';

/**
 * The `AnalysisTemplate`s `<name>-success-rate` and `<name>-latency`: Istio's request metrics of the new
 * version (`destination_version`, from the pods' `version` label) behind `service`, from Prometheus. No
 * traffic yet (NaN) passes.
 * @see https://argo-rollouts.readthedocs.io/en/stable/analysis/prometheus/
 */
export function renderArgoAnalysisTemplates(scope: Construct, model: ReleaseRouting, settings: ArgoAnalysisSettings, service: string, version: string): ApiObject[] {
  const window = `${settings.intervalSeconds}s`;
  const labels = `reporter="source",destination_service_name="${service}",destination_version="${version}"`;
  const metric = (name: string, successCondition: string, query: string) => ({
    name,
    interval: window,
    failureLimit: settings.failureLimit,
    successCondition,
    provider: { prometheus: { address: settings.address, query } },
  });
  const template = (id: string, suffix: string, m: object) => manifest(scope, id, ARGO_API_VERSION, 'AnalysisTemplate', {
    name: `${model.app.name}-${suffix}`, labels: model.app.labels, body: { spec: { metrics: [m] } },
  });
  return [
    template('AnalysisTemplate-success-rate', 'success-rate', metric('success-rate', `isNaN(result[0]) || result[0] >= ${settings.successRatePercent / 100}`,
      `sum(irate(istio_requests_total{${labels},response_code!~"5.*"}[${window}])) / sum(irate(istio_requests_total{${labels}}[${window}]))`)),
    template('AnalysisTemplate-latency', 'latency', metric('latency', `isNaN(result[0]) || result[0] <= ${settings.maxLatencyMillis}`,
      `histogram_quantile(0.99, sum(irate(istio_request_duration_milliseconds_bucket{${labels}}[${window}])) by (le))`)),
  ];
}
