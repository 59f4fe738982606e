import { fail, show } from '../../core';
import { GatewayParent, ListenerModel } from './api';

/**
 * Route attachment as the Gateway API defines it: a listener accepts an HTTPRoute when its protocol is
 * HTTP or HTTPS, it admits the route's namespace, and its hostname intersects the route's hostnames.
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httproutespec (hostnames)
 */

/** Whether listener hostname `listener` (`undefined`: any) and route hostname `route` intersect (exactly, or through a `*.` wildcard on either side). */
export function hostnamesIntersect(listener: string | undefined, route: string): boolean {
  if (listener === undefined || listener === route) return true;
  const under = (wildcard: string, host: string) => wildcard.startsWith('*.') && host.endsWith(wildcard.slice(1)) && host.length > wildcard.length - 1;
  return under(listener, route) || under(route, listener);
}

/** Whether `listener` admits routes from `routeNamespace`, given the Gateway's namespace (a selector cannot be checked here: admitted). */
export function admitsNamespace(listener: ListenerModel, gatewayNamespace: string | undefined, routeNamespace: string | undefined): boolean {
  if (listener.allowedRoutes.from === 'Same') return gatewayNamespace === routeNamespace;
  return true;
}

/** Whether `listener` serves HTTPRoutes at all (HTTP or HTTPS). */
export function servesHttpRoutes(listener: ListenerModel): boolean {
  return listener.protocol === 'HTTP' || listener.protocol === 'HTTPS';
}

const describeListener = (l: ListenerModel) => `${show(l.name)} (${l.protocol} ${l.port}${l.hostname ? ` ${l.hostname}` : ', any hostname'}${l.allowedRoutes.from !== 'Same' ? `, routes from ${l.allowedRoutes.from}` : ''})`;

/**
 * Fails unless a listener of `parent` accepts an HTTPRoute in `routeNamespace` for every one of
 * `hostnames` (`prop` names them in messages). A parent whose listeners are unknown is not checked.
 */
export function checkAttachment(owner: string, prop: string, parent: GatewayParent, routeNamespace: string | undefined, hostnames: readonly string[]): void {
  if (parent.listeners === undefined) return;
  const all = parent.listeners.map(describeListener).join(', ') || 'none';
  const section = parent.sectionName;
  const named = section === undefined ? parent.listeners : parent.listeners.filter((l) => l.name === section);
  if (section !== undefined && named.length === 0) {
    fail(owner, `sectionName ${show(section)} names no listener of ${parent.owner} (listeners: ${all})`, `name one of its listeners (${parent.listeners.map((l) => show(l.name)).join(', ')}), or leave sectionName unset to attach to every listener that accepts the route`);
  }
  const http = named.filter(servesHttpRoutes);
  if (http.length === 0) {
    if (section !== undefined) fail(owner, `listener ${show(section)} of ${parent.owner} is not HTTP or HTTPS (listeners: ${all}), so no HTTPRoute can attach to it`, 'name an HTTP or HTTPS listener in sectionName');
    fail(owner, `${parent.owner} has no HTTP or HTTPS listener (listeners: ${all}), so no HTTPRoute can attach to it`, 'add an HTTP or HTTPS listener to the Gateway');
  }
  const redirecting = http.find((l) => l.redirectsToHttps);
  if (redirecting) {
    const https = parent.listeners.filter((l) => l.protocol === 'HTTPS').map((l) => show(l.name));
    fail(owner, `${section !== undefined ? `sectionName ${show(section)}` : 'a route without sectionName'} attaches to listener ${show(redirecting.name)} of ${parent.owner}, which redirects HTTP to HTTPS, so this route would answer plain HTTP for its hostnames instead of the redirect`,
      `attach to an HTTPS listener with sectionName (${https.join(', ') || 'the Gateway has none'})`);
  }
  const admitting = http.filter((l) => admitsNamespace(l, parent.namespace, routeNamespace));
  if (admitting.length === 0) {
    fail(owner, `no listener of ${parent.owner}${section !== undefined ? ` named ${show(section)}` : ''} (namespace ${show(parent.namespace ?? '(context)')}) admits HTTPRoutes from namespace ${show(routeNamespace ?? '(context)')} (listeners: ${all})`,
      'set allowedRoutes on a listener to RouteNamespaces.all() or RouteNamespaces.selector({...}), or put the release in the Gateway\'s namespace');
  }
  hostnames.forEach((h, i) => {
    if (!admitting.some((l) => hostnamesIntersect(l.hostname, h))) {
      fail(owner, `${prop}[${i}] ${show(h)} is accepted by no listener of ${parent.owner} (listeners: ${admitting.map(describeListener).join(', ')})`,
        `add a listener whose hostname is ${show(h)} (or a wildcard over it), or serve one of the listeners' hostnames`);
    }
  });
}
