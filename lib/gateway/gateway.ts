import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { namespaceOf, withChildSlots } from '../k8s-object';
import { DNS1123_LABEL_FIX, OBJECT_NAME_FIX, fail, isDns1123Label, isDns1123Subdomain, recommendedLabels, show, toDnsLabel } from '../core';
import { checkUniqueObjects } from '../registry';
import { GatewayParent } from '../routing/gateway-api/api';
import { GatewayModel, renderCertificateGrants, renderGatewayApiGateway } from '../routing/gateway-api/gateway';
import { renderHttpsRedirect } from '../routing/gateway-api/https-redirect';
import { GatewayProps } from './props';
import { validateListeners } from './validate';

/** A Gateway API Gateway routes attach to: one of this app ({@link Gateway}) or an existing one ({@link Gateway.fromGatewayName}). */
export interface IGateway {
  /** The Gateway's name. */
  readonly gatewayName: string;
  /** Its namespace (`undefined`: the kubectl context's, i.e. the routes' own). */
  readonly gatewayNamespace?: string;
}

/** An existing Gateway, by name: its listeners are unknown, so routes attached to it are not checked against them. */
class GatewayReference implements IGateway {
  public constructor(public readonly gatewayName: string, public readonly gatewayNamespace: string | undefined) {}
}

/**
 * A Gateway API Gateway: HTTP/HTTPS listeners with their hostnames, TLS Secrets and the namespaces
 * routes may attach from, on an implementation's GatewayClass (Istio, Envoy Gateway, Cilium, the
 * clouds'...). A TLS Secret in another namespace gets the ReferenceGrant that allows it. Routes attach
 * with `CanaryRelease`'s `trafficApi: TrafficApi.gatewayApi({ gateway })`, checked at synth against
 * these listeners (hostnames and allowed namespaces).
 *
 * @example
 * const gw = new Gateway(chart, 'public', {
 *   gatewayClassName: 'istio',
 *   listeners: [
 *     { name: 'http', protocol: ListenerProtocol.HTTP, hostname: 'shop.example.com' },
 *     { name: 'https', protocol: ListenerProtocol.HTTPS, hostname: 'shop.example.com', certificateRefs: [{ name: 'shop-tls' }] },
 *   ],
 * });
 * @see https://gateway-api.sigs.k8s.io/api-types/gateway/
 */
export class Gateway extends Construct implements IGateway {
  /**
   * An existing Gateway (`name` in `namespace`, or in the routes' namespace). Its listeners are not
   * known here, so hostnames and allowed namespaces are left to the cluster.
   */
  public static fromGatewayName(name: string, namespace?: string): IGateway {
    const owner = `Gateway.fromGatewayName(${show(name)})`;
    if (typeof name !== 'string' || !isDns1123Subdomain(name)) fail(owner, `name ${show(name)} is not a Gateway name`, OBJECT_NAME_FIX);
    if (namespace !== undefined && !isDns1123Label(namespace)) fail(owner, `namespace ${show(namespace)} is not a DNS-1123 label`, DNS1123_LABEL_FIX);
    return new GatewayReference(name, namespace);
  }

  /** The Gateway's name. */
  public readonly gatewayName: string;
  /** Its namespace (the chart's). */
  public readonly gatewayNamespace: string | undefined;
  /**
   * The resolved model it renders (listeners with their defaults), which routes attaching to it are checked against.
   * @internal
   */
  public readonly model: GatewayModel;
  /** The Gateway object. */
  public readonly gateway: ApiObject;
  /** The ReferenceGrants for TLS Secrets in other namespaces (one per namespace). */
  public readonly referenceGrants: readonly ApiObject[];
  /** The HTTPRoutes that redirect HTTP listeners to HTTPS (`redirectToHttps`), one per such listener. */
  public readonly redirectRoutes: readonly ApiObject[];

  public constructor(scope: Construct, id: string, props: GatewayProps) {
    super(withChildSlots(scope), id);
    checkUniqueObjects(this);
    this.gatewayName = props.name ?? toDnsLabel(id);
    const owner = `Gateway '${this.gatewayName}'`;
    if (!isDns1123Label(this.gatewayName)) fail(owner, `name ${show(this.gatewayName)} is not a DNS-1123 label`, DNS1123_LABEL_FIX, 'name');
    if (typeof props.gatewayClassName !== 'string' || !isDns1123Subdomain(props.gatewayClassName)) {
      fail(owner, `gatewayClassName ${show(props.gatewayClassName)} is not a GatewayClass name`, 'name the GatewayClass of your implementation, e.g. \'istio\', \'eg\' (Envoy Gateway) or \'cilium\'', 'gatewayClassName');
    }
    this.gatewayNamespace = namespaceOf(this);
    this.model = {
      name: this.gatewayName,
      labels: recommendedLabels({ name: this.gatewayName, instance: this.gatewayName }),
      gatewayClassName: props.gatewayClassName,
      listeners: validateListeners(owner, props.listeners, this.gatewayNamespace),
    };
    this.gateway = renderGatewayApiGateway(this, 'Resource', this.model);
    this.referenceGrants = this.gatewayNamespace !== undefined ? renderCertificateGrants(this, this.model, this.gatewayNamespace) : [];
    const https = this.model.listeners.find((l) => l.protocol === 'HTTPS');
    this.redirectRoutes = this.model.listeners.filter((l) => l.redirectsToHttps).map((l) => renderHttpsRedirect(this, this.model, l, https!.port));
  }
}

/** Where routes attach: the Gateway (its listener `sectionName`, if given), with its listeners when it is one of this app. */
export function gatewayParent(gateway: IGateway, sectionName?: string): GatewayParent {
  const section = sectionName !== undefined ? { sectionName } : {};
  if (gateway instanceof Gateway) {
    return { owner: `Gateway '${gateway.gatewayName}'`, name: gateway.gatewayName, namespace: gateway.gatewayNamespace, listeners: gateway.model.listeners, ...section };
  }
  return { owner: `Gateway '${gateway.gatewayName}'`, name: gateway.gatewayName, namespace: gateway.gatewayNamespace, ...section };
}
