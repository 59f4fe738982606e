import { fail, isDnsName, isIpAddress, show } from '../../core';

/**
 * Checks HTTPRoute `hostnames` (for JavaScript callers too): a list of DNS names or leading wildcards,
 * each once; the Gateway API refuses IP addresses and a bare `*`. `label` names them in messages (e.g.
 * `trafficApi hostnames`), `prop` is the construct prop they belong to.
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#hostname
 */
export function validateRouteHostnames(owner: string, label: string, hostnames: unknown, prop?: string): string[] {
  if (!Array.isArray(hostnames)) fail(owner, `${label} ${show(hostnames)} is not a list`, 'list DNS names, e.g. [\'shop.example.com\']', prop);
  hostnames.forEach((h, i) => {
    if (typeof h !== 'string' || h === '*' || !isDnsName(h) || isIpAddress(h) || h.split('.').length < 2) {
      fail(owner, `${label}[${i}] ${show(h)} is not a DNS name or leading wildcard`, 'use e.g. \'shop.example.com\' or \'*.example.com\' (HTTPRoute hostnames refuse IP addresses and a bare \'*\')', prop);
    }
    if (hostnames.indexOf(h) !== i) fail(owner, `${label}[${i}] ${show(h)} is listed twice`, 'list each hostname once', prop);
  });
  return [...hostnames];
}
