import { HttpRouteSpec, HttpRouteSpecRulesMatchesPathType } from '../../../imports/gateway.networking.k8s.io';
import { fail, show } from '../../core';
import { GatewayParent } from './api';
import { checkAttachment } from './listeners';
import { gatewayParentRef } from './parent-ref';

/**
 * One Service exposed through a Gateway (WebApp.exposeViaGateway): an HTTPRoute with the hostnames,
 * one rule whose path matches all lead to the Service's port. The route lives in the Service's
 * namespace, or in the Gateway's (then the Service needs a ReferenceGrant, see backend-grant.ts).
 * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
 */

/** A path match of an exposure (`PathPrefix` is segment-wise, like an Ingress `Prefix`). */
export interface ExposurePath {
  /** `PathPrefix` or `Exact`. */
  readonly type: 'PathPrefix' | 'Exact';
  /** The path. */
  readonly value: string;
}

/** HTTPRoute `spec.rules[].matches` holds at most 64 matches (CRD `maxItems`). */
export const MAX_RULE_MATCHES = 64;

/** A Service exposed through a Gateway. */
export interface ServiceExposure {
  /** Where the route attaches. */
  readonly parent: GatewayParent;
  /** The namespace of the HTTPRoute (`undefined`: the kubectl context's). */
  readonly routeNamespace: string | undefined;
  /** The route's hostnames (none: every hostname the listeners accept). */
  readonly hostnames: readonly string[];
  /** The path matches, in order. */
  readonly paths: readonly ExposurePath[];
  /** The Service: its name, namespace (`undefined`: the context's) and port. */
  readonly backend: { readonly service: string; readonly namespace: string | undefined; readonly port: number };
}

/**
 * Fails unless a listener of the exposure's Gateway (the one named by `sectionName`, if any) accepts an
 * HTTPRoute in its namespace for each of its hostnames (a Gateway referenced by name is not checked).
 */
export function checkServiceExposure(owner: string, exposure: ServiceExposure): void {
  checkAttachment(owner, 'exposeViaGateway hostnames', exposure.parent, exposure.routeNamespace, exposure.hostnames);
  if (exposure.paths.length > MAX_RULE_MATCHES) {
    fail(owner, `exposeViaGateway has ${exposure.paths.length} paths, but an HTTPRoute rule holds at most ${MAX_RULE_MATCHES} matches`, `expose at most ${MAX_RULE_MATCHES} paths (a prefix covers every path under it)`);
  }
  const dup = exposure.paths.find((p, i) => exposure.paths.findIndex((o) => o.type === p.type && o.value === p.value) !== i);
  if (dup) fail(owner, `exposeViaGateway path ${show(dup.value)} (${dup.type}) is exposed twice`, 'expose each path once');
}

/** The HTTPRoute spec of `exposure`. */
export function exposureRouteSpec(exposure: ServiceExposure): HttpRouteSpec {
  const b = exposure.backend;
  return {
    parentRefs: [gatewayParentRef(exposure.parent, exposure.routeNamespace)],
    ...(exposure.hostnames.length ? { hostnames: [...exposure.hostnames] } : {}),
    rules: [{
      matches: exposure.paths.map((p) => ({ path: { type: p.type === 'Exact' ? HttpRouteSpecRulesMatchesPathType.EXACT : HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: p.value } })),
      backendRefs: [{ name: b.service, ...(b.namespace !== exposure.routeNamespace && b.namespace !== undefined ? { namespace: b.namespace } : {}), port: b.port }],
    }],
  };
}

/** Path characters the Gateway API accepts (HTTPPathMatch `value`). */
const GATEWAY_PATH = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$/;

/**
 * Checks a `PathPrefix` / `Exact` path value as the HTTPRoute CRD's pattern and CEL rules do (absolute,
 * normalized, no `%2f` or `#`); `label` names it in messages.
 */
export function validateGatewayPath(owner: string, label: string, value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/')) fail(owner, `${label} ${show(value)} does not start with '/'`, `use '/${value}'`);
  if (!GATEWAY_PATH.test(value) || /\/\/|\/\.\/|\/\.\.\/|%2f|#/i.test(value) || /\/\.\.?$/.test(value)) {
    fail(owner, `${label} ${show(value)} is not a path the Gateway API accepts (no '//', '/./', '/../', '%2f', '#', or trailing '/.' or '/..'; letters, digits and -._~!$&'()*+,;=:@ or %XX)`,
      'use a normalized absolute path, e.g. \'/api\'');
  }
  return value;
}
