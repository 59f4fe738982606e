import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ReferenceGrantSpec } from '../../../imports/gateway.networking.k8s.io';
import { manifest } from '../../k8s-object';
import { GATEWAY_API_GROUP, GATEWAY_API_V1 } from './api';

/** A ReferenceGrant that lets HTTPRoutes of one namespace send traffic to Services of another. */
export interface BackendGrantModel {
  /** Its name. */
  readonly name: string;
  /** The Services' namespace, where the grant lives. */
  readonly namespace: string;
  /** The HTTPRoutes' namespace. */
  readonly fromNamespace: string;
  /** The Services the routes may name. */
  readonly services: readonly string[];
  /** Labels. */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Renders the ReferenceGrant of `model`: from HTTPRoutes in `fromNamespace`, to the named Services.
 * Without it the Gateway API refuses a `backendRef` into another namespace (`ResolvedRefs: False`,
 * reason `RefNotPermitted`).
 * @see https://gateway-api.sigs.k8s.io/api-types/referencegrant/
 */
export function renderBackendGrant(scope: Construct, id: string, model: BackendGrantModel): ApiObject {
  const spec: ReferenceGrantSpec = {
    from: [{ group: GATEWAY_API_GROUP, kind: 'HTTPRoute', namespace: model.fromNamespace }],
    to: model.services.map((name) => ({ group: '', kind: 'Service', name })),
  };
  return manifest(scope, id, GATEWAY_API_V1, 'ReferenceGrant', { name: model.name, namespace: model.namespace, labels: { ...model.labels }, body: { spec } });
}
