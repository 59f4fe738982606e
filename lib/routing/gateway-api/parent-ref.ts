import { HttpRouteSpecParentRefs } from '../../../imports/gateway.networking.k8s.io';
import { fail, isDns1123Subdomain, show } from '../../core';
import { GATEWAY_API_GROUP, GatewayParent } from './api';

/**
 * The `parentRefs[]` entry of an HTTPRoute in `routeNamespace` attached to `parent`: the Gateway by
 * group, kind and name, its namespace only when it differs from the route's, and the listener
 * (`sectionName`) when one is named.
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#parentreference
 */
export function gatewayParentRef(parent: GatewayParent, routeNamespace: string | undefined): HttpRouteSpecParentRefs {
  return {
    group: GATEWAY_API_GROUP,
    kind: 'Gateway',
    name: parent.name,
    ...(parent.namespace !== undefined && parent.namespace !== routeNamespace ? { namespace: parent.namespace } : {}),
    ...(parent.sectionName !== undefined ? { sectionName: parent.sectionName } : {}),
  };
}

/** Checks a `sectionName` (a listener's name: a DNS-1123 subdomain, as the Gateway API's SectionName type); `undefined` passes. */
export function validateSectionName(owner: string, label: string, sectionName: unknown, prop?: string): string | undefined {
  if (sectionName === undefined) return undefined;
  if (typeof sectionName !== 'string' || !isDns1123Subdomain(sectionName)) {
    fail(owner, `${label} ${show(sectionName)} is not a listener name`, 'name a listener of the Gateway, e.g. \'https\'', prop);
  }
  return sectionName;
}
