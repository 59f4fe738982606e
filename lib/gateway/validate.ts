import {
  DNS1123_LABEL_FIX, OBJECT_NAME_FIX, fail, isDns1123Label, isDns1123Subdomain, isDnsName, isIpAddress, isLabelValue, show, validateInt,
} from '../core';
import { RenderedListener } from '../routing/gateway-api/gateway';
import { GatewayListener, ListenerProtocol, RouteNamespaces } from './props';

/** The Gateway's listeners, checked (for JavaScript callers too) and resolved into the renderer's model. */
export function validateListeners(owner: string, listeners: GatewayListener[], gatewayNamespace: string | undefined): RenderedListener[] {
  if (!Array.isArray(listeners) || listeners.length === 0) fail(owner, `listeners ${show(listeners)} is not a non-empty list`, 'give at least one listener, e.g. { name: \'http\', protocol: ListenerProtocol.HTTP }', 'listeners');
  if (listeners.length > 64) fail(owner, `has ${listeners.length} listeners`, 'use at most 64 listeners (the Gateway CRD\'s limit)', 'listeners');
  const seen = new Map<string, string>();
  return listeners.map((l, i) => {
    const at = `listeners[${i}]`;
    if (!isDns1123Label(l.name ?? '')) fail(owner, `${at} name ${show(l.name)} is not a DNS-1123 label`, DNS1123_LABEL_FIX, 'listeners');
    if (listeners.findIndex((o) => o.name === l.name) !== i) fail(owner, `${at} name ${show(l.name)} is used by another listener`, 'give every listener a unique name', 'listeners');
    if (!Object.values(ListenerProtocol).includes(l.protocol)) fail(owner, `${at} protocol ${show(l.protocol)} is not HTTP or HTTPS`, 'use ListenerProtocol.HTTP or ListenerProtocol.HTTPS', 'listeners');
    const port = l.port ?? (l.protocol === ListenerProtocol.HTTPS ? 443 : 80);
    validateInt(owner, `${at} port`, port, 1, 65535);
    if (l.hostname !== undefined && (!isDnsName(l.hostname) || isIpAddress(l.hostname) || l.hostname.split('.').length < 2)) {
      fail(owner, `${at} hostname ${show(l.hostname)} is not a DNS name or leading wildcard`, 'use e.g. \'shop.example.com\' or \'*.example.com\' (the Gateway API refuses IP addresses; leave hostname unset to serve every hostname)', 'listeners');
    }
    const certs = l.certificateRefs ?? [];
    if (l.protocol === ListenerProtocol.HTTPS && certs.length === 0) fail(owner, `${at} ${show(l.name)} is HTTPS without certificateRefs`, 'name the kubernetes.io/tls Secret(s) in certificateRefs', 'listeners');
    if (l.protocol === ListenerProtocol.HTTP && certs.length) fail(owner, `${at} ${show(l.name)} is HTTP but has certificateRefs`, 'use ListenerProtocol.HTTPS, or drop certificateRefs', 'listeners');
    certs.forEach((c, j) => {
      if (!isDns1123Subdomain(c?.name ?? '')) fail(owner, `${at} certificateRefs[${j}] name ${show(c?.name)} is not a Secret name`, OBJECT_NAME_FIX, 'listeners');
      if (c.namespace !== undefined && !isDns1123Label(c.namespace)) fail(owner, `${at} certificateRefs[${j}] namespace ${show(c.namespace)} is not a DNS-1123 label`, DNS1123_LABEL_FIX, 'listeners');
      if (c.namespace !== undefined && c.namespace !== gatewayNamespace && gatewayNamespace === undefined) {
        fail(owner, `${at} certificateRefs[${j}] is in namespace ${show(c.namespace)}, but the Gateway has no namespace, so its ReferenceGrant cannot name it`, 'give the chart a namespace, or keep the Secret in the Gateway\'s namespace', 'listeners');
      }
    });
    // Listeners are distinct by port, protocol and hostname; one port cannot serve both HTTP and HTTPS.
    const key = `${port} ${l.hostname ?? '*'}`;
    if (seen.has(key)) fail(owner, `${at} ${show(l.name)} serves port ${port} and hostname ${show(l.hostname ?? '(any)')} like listener ${show(seen.get(key))}`, 'give listeners on one port different hostnames', 'listeners');
    seen.set(key, l.name);
    const other = listeners.find((o, j) => j < i && (o.port ?? (o.protocol === ListenerProtocol.HTTPS ? 443 : 80)) === port && o.protocol !== l.protocol);
    if (other) fail(owner, `${at} ${show(l.name)} serves ${l.protocol} on port ${port}, where listener ${show(other.name)} serves ${other.protocol}`, 'use a different port per protocol (e.g. 80 for HTTP, 443 for HTTPS)', 'listeners');
    const routes = l.allowedRoutes ?? RouteNamespaces.same();
    if (!(routes instanceof RouteNamespaces)) fail(owner, `${at} allowedRoutes is not a RouteNamespaces`, 'use RouteNamespaces.same(), .all() or .selector({...})', 'listeners');
    for (const [k, v] of Object.entries(routes.matchLabels ?? {})) {
      if (!isLabelValue(v)) fail(owner, `${at} allowedRoutes selector ${k}=${show(v)} is not a label value`, 'use at most 63 letters, digits, \'-\', \'_\' or \'.\'', 'listeners');
    }
    if (l.redirectToHttps !== undefined && typeof l.redirectToHttps !== 'boolean') fail(owner, `${at} redirectToHttps ${show(l.redirectToHttps)} is not a boolean`, 'set redirectToHttps to true or false', 'listeners');
    if (l.redirectToHttps && l.protocol !== ListenerProtocol.HTTP) fail(owner, `${at} ${show(l.name)} is ${l.protocol} with redirectToHttps`, 'set redirectToHttps on an HTTP listener', 'listeners');
    if (l.redirectToHttps && !listeners.some((o) => o.protocol === ListenerProtocol.HTTPS)) {
      fail(owner, `${at} ${show(l.name)} redirects to HTTPS, but the Gateway has no HTTPS listener to serve the redirected requests`, 'add an HTTPS listener with certificateRefs, or drop redirectToHttps', 'listeners');
    }
    return {
      name: l.name,
      protocol: l.protocol,
      port,
      hostname: l.hostname,
      ...(l.redirectToHttps ? { redirectsToHttps: true } : {}),
      allowedRoutes: { from: routes.from, ...(routes.matchLabels ? { selector: { ...routes.matchLabels } } : {}) },
      certificateRefs: certs.map((c) => ({ name: c.name, ...(c.namespace !== undefined && c.namespace !== gatewayNamespace ? { namespace: c.namespace } : {}) })),
    };
  });
}
