import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Json, compact, manifest } from '../../k8s-object';
import { ReleaseRouting } from '../model';

/**
 * The DestinationRules of a release: one for the Service over every version, with a subset per
 * version, when versions are subsets of it; otherwise one per version Service, only when there is a
 * trafficPolicy to carry.
 */
export function renderDestinationRules(scope: Construct, model: ReleaseRouting): ApiObject[] {
  const meta = { labels: model.app.labels };
  const trafficPolicy = model.istio.trafficPolicy;
  const subsets = model.versions.filter((v) => v.backend.subset !== undefined);
  if (subsets.length) {
    return [manifest(scope, 'DestinationRule', model.istio.apiVersion, 'DestinationRule', {
      ...meta,
      name: model.app.name,
      body: {
        spec: compact({
          host: model.app.name,
          trafficPolicy,
          subsets: subsets.map((v) => ({ name: v.backend.subset!.name, labels: { ...v.backend.subset!.labels } })),
        }),
      },
    })];
  }
  if (!trafficPolicy) return [];
  return model.versions.map((v) => manifest(scope, `DestinationRule-${v.name}`, model.istio.apiVersion, 'DestinationRule', {
    ...meta, name: v.backend.service, body: { spec: { host: v.backend.service, trafficPolicy } },
  }));
}

/** Whether a DestinationRule trafficPolicy (JSON) hashes consistently, at the top or on any port. */
export function hasConsistentHash(trafficPolicy: Json): boolean {
  return Boolean(trafficPolicy.loadBalancer?.consistentHash)
    || (trafficPolicy.portLevelSettings ?? []).some((p: Json) => Boolean(p.loadBalancer?.consistentHash));
}
