import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ReleaseRouting } from '../model';
import { IstioDestinationRules, renderDestinationRules } from './destination-rule';
import { renderGateway } from './gateway';
import { IstioVirtualServices, renderVirtualServices } from './virtual-service';

/** Everything the Istio renderer made of a release's routing model. */
export interface IstioRelease extends IstioVirtualServices, IstioDestinationRules {
  /** The created Gateway, if any. */
  readonly gateway?: ApiObject;
  /** The gateway references the routes are bound to: the gateway and `mesh` (empty: mesh only). */
  readonly gateways: string[];
}

/**
 * The Istio renderer: the release's DestinationRule(s), its Gateway when it creates one, and the
 * VirtualService(s) of the rendered stage, created under `scope` in that order.
 */
export function renderIstioRelease(scope: Construct, model: ReleaseRouting): IstioRelease {
  const destinationRules = renderDestinationRules(scope, model);
  const { gateway, gateways } = renderGateway(scope, model);
  return { ...destinationRules, gateway, gateways, ...renderVirtualServices(scope, model, gateways) };
}
