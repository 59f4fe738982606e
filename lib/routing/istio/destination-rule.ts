import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Json, compact, manifest } from '../../k8s-object';
import { ReleaseRouting } from '../model';
import { DestinationRuleFact, destinationRuleFact } from '../traffic-facts';

/** The DestinationRules of a release, and what each one targets (for the app-wide rules). */
export interface IstioDestinationRules {
  /** The objects (see {@link renderDestinationRules}). */
  readonly destinationRules: ApiObject[];
  /** The host of each, read from the spec it was given. */
  readonly destinationRuleFacts: readonly DestinationRuleFact[];
}

/**
 * The DestinationRules of a release: one for the Service over every version, with a subset per
 * version, when versions are subsets of it; otherwise one per version Service, only when there is a
 * trafficPolicy to carry.
 */
export function renderDestinationRules(scope: Construct, model: ReleaseRouting): IstioDestinationRules {
  const trafficPolicy = model.istio.trafficPolicy;
  const subsets = model.versions.filter((v) => v.backend.subset !== undefined);
  const rules: Array<{ readonly id: string; readonly name: string; readonly spec: Json }> = subsets.length
    ? [{
      id: 'DestinationRule',
      name: model.app.name,
      spec: compact({
        host: model.app.name,
        trafficPolicy,
        subsets: subsets.map((v) => ({ name: v.backend.subset!.name, labels: { ...v.backend.subset!.labels } })),
      }),
    }]
    : trafficPolicy ? model.versions.map((v) => ({ id: `DestinationRule-${v.name}`, name: v.backend.service, spec: { host: v.backend.service, trafficPolicy } })) : [];
  const destinationRules: ApiObject[] = [];
  const destinationRuleFacts: DestinationRuleFact[] = [];
  for (const r of rules) {
    const dr = manifest(scope, r.id, model.istio.apiVersion, 'DestinationRule', { labels: model.app.labels, name: r.name, body: { spec: r.spec } });
    destinationRules.push(dr);
    destinationRuleFacts.push(destinationRuleFact(dr, { metadata: { name: r.name, namespace: dr.metadata.namespace }, spec: r.spec }));
  }
  return { destinationRules, destinationRuleFacts };
}

/** Whether a DestinationRule trafficPolicy (JSON) hashes consistently, at the top or on any port. */
export function hasConsistentHash(trafficPolicy: Json): boolean {
  return Boolean(trafficPolicy.loadBalancer?.consistentHash)
    || (trafficPolicy.portLevelSettings ?? []).some((p: Json) => Boolean(p.loadBalancer?.consistentHash));
}
