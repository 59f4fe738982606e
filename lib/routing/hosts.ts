import { fail, isDnsName, parseIpv4, show } from '../core';

/**
 * Checks a host served through the gateway. The routes are bound to the mesh too (Istio `mesh`), so a
 * host that names in-cluster traffic (a short name, anything at or under `cluster.local` or `.svc`, a
 * wildcard over a whole top-level domain) would take over in-mesh calls to other Services.
 */
export function checkGatewayHost(owner: string, prop: string, host: string, release?: { readonly name: string; readonly namespace?: string }): void {
  if (host === '*' || !isDnsName(host) || parseIpv4(host) !== undefined) {
    fail(owner, `${prop} ${show(host)} is not a DNS name or wildcard`,
      'use a lowercase DNS name such as \'shop.example.com\' or a leading wildcard \'*.example.com\' (a bare \'*\' cannot be bound to the mesh gateway; for an IP use a name such as \'127.0.0.1.nip.io\')');
  }
  const fix = 'use an external name such as \'shop.example.com\' (the VirtualService is bound to the mesh too, so this host would capture in-mesh calls)';
  if (release && host === release.name) fail(owner, `${prop} ${show(host)} is the release's own name, which the VirtualService already serves in-mesh`, fix);
  const labels = (host.startsWith('*.') ? host.slice(2) : host).split('.');
  if (labels.length < 2) {
    fail(owner, `${prop} ${show(host)} ${host.startsWith('*.') ? 'covers a whole top-level domain' : 'is a short name, which in-mesh callers resolve to a Service'}`,
      host.startsWith('*.') ? 'put at least two labels after \'*.\' (e.g. \'*.example.com\')' : fix);
  }
  const clusterSuffix = ['cluster.local', 'svc'].find((d) => host === d || host.endsWith(`.${d}`) || host === `*.${d}`);
  if (clusterSuffix) fail(owner, `${prop} ${show(host)} is at or under '${clusterSuffix}', which names in-cluster Services`, fix);
  if (release?.namespace !== undefined && host === `${release.name}.${release.namespace}`) {
    fail(owner, `${prop} ${show(host)} is the release's in-cluster name '<name>.<namespace>'`, fix);
  }
}
