import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { GatewaySpec, GatewaySpecListeners, ReferenceGrantSpec } from '../../../imports/gateway.networking.k8s.io';
import { compact, manifest } from '../../k8s-object';
import { GATEWAY_API_GROUP, GATEWAY_API_V1, ListenerModel } from './api';

/** A Secret a listener terminates TLS with. */
export interface CertificateRefModel {
  /** Secret name. */
  readonly name: string;
  /** Its namespace, when not the Gateway's (then a ReferenceGrant in that namespace allows the reference). */
  readonly namespace?: string;
}

/** A listener to render: what routes attach to, plus its TLS Secrets. */
export interface RenderedListener extends ListenerModel {
  /** TLS Secrets (HTTPS). */
  readonly certificateRefs: readonly CertificateRefModel[];
}

/** A Gateway to render. */
export interface GatewayModel {
  /** Name. */
  readonly name: string;
  /** Namespace (`undefined`: the kubectl context's). */
  readonly namespace?: string;
  /** Labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** `gatewayClassName`. */
  readonly gatewayClassName: string;
  /** Listeners, in order. */
  readonly listeners: readonly RenderedListener[];
}

/** The `spec.listeners[]` entry of `l`. */
function listenerJson(l: RenderedListener): GatewaySpecListeners {
  const tls = l.certificateRefs.length ? {
    mode: 'Terminate',
    certificateRefs: l.certificateRefs.map((c) => compact({ group: '', kind: 'Secret', name: c.name, namespace: c.namespace })),
  } : undefined;
  return compact({
    name: l.name,
    hostname: l.hostname,
    port: l.port,
    protocol: l.protocol,
    tls,
    allowedRoutes: { namespaces: compact({ from: l.allowedRoutes.from, selector: l.allowedRoutes.selector ? { matchLabels: { ...l.allowedRoutes.selector } } : undefined }) },
  }) as GatewaySpecListeners;
}

/** Renders the Gateway `model.name`. @see https://gateway-api.sigs.k8s.io/reference/spec/#gateway */
export function renderGatewayApiGateway(scope: Construct, id: string, model: GatewayModel): ApiObject {
  const spec: GatewaySpec = { gatewayClassName: model.gatewayClassName, listeners: model.listeners.map(listenerJson) };
  return manifest(scope, id, GATEWAY_API_V1, 'Gateway', { name: model.name, namespace: model.namespace, labels: model.labels, body: { spec } });
}

/**
 * The ReferenceGrants that let Gateway `model` use its listeners' Secrets in other namespaces: one per
 * such namespace, `<gateway>-<gateway namespace>`, in that namespace, naming each Secret.
 * `gatewayNamespace` is the Gateway's namespace (required when a Secret lives elsewhere).
 * @see https://gateway-api.sigs.k8s.io/api-types/referencegrant/
 */
export function renderCertificateGrants(scope: Construct, model: GatewayModel, gatewayNamespace: string): ApiObject[] {
  const byNamespace = new Map<string, string[]>();
  for (const l of model.listeners) {
    for (const c of l.certificateRefs) {
      if (c.namespace === undefined || c.namespace === gatewayNamespace) continue;
      const names = byNamespace.get(c.namespace) ?? [];
      if (!names.includes(c.name)) names.push(c.name);
      byNamespace.set(c.namespace, names);
    }
  }
  return [...byNamespace].map(([ns, secrets]) => {
    const spec: ReferenceGrantSpec = {
      from: [{ group: GATEWAY_API_GROUP, kind: 'Gateway', namespace: gatewayNamespace }],
      to: secrets.map((name) => ({ group: '', kind: 'Secret', name })),
    };
    return manifest(scope, `ReferenceGrant-${ns}`, GATEWAY_API_V1, 'ReferenceGrant', {
      name: `${model.name}-${gatewayNamespace}`, namespace: ns, labels: model.labels, body: { spec },
    });
  });
}
