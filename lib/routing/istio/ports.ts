import { fail, show } from '../../core';
import { RoutedPort } from '../model';
import { IstioProtocolClass, istioPortProtocol } from './port-protocol';

/** How Istio classifies one of the app's Service ports. */
function protocolOf(p: RoutedPort) {
  return istioPortProtocol({ port: p.port, name: p.name, protocol: p.protocol, appProtocol: p.appProtocol });
}

/**
 * Checks that Istio applies HTTP routing to the first port (the one every route sends to) and to no
 * other: the HTTP routes carry no port match, so HTTP to another port would land on the first.
 */
export function checkIstioHttpPorts(owner: string, ports: readonly RoutedPort[]): void {
  const port = ports[0];
  const portProtocol = protocolOf(port);
  if (portProtocol.class !== IstioProtocolClass.HTTP) {
    fail(owner, `port ${show(port.name)} is not recognisably HTTP to Istio: it is ${portProtocol.reason}, so ${portProtocol.class === IstioProtocolClass.OPAQUE ? 'Istio proxies it as opaque traffic and ignores every HTTP route' : 'Istio has to guess its protocol per connection (protocol sniffing) before any HTTP route applies'}`,
      portProtocol.protocol === 'udp' || portProtocol.protocol === 'sctp'
        ? 'serve HTTP over protocol TCP (the default)'
        : port.appProtocol !== undefined
          ? `set appProtocol to 'http' (or 'http2', 'grpc'), or remove it and name the port 'http' or 'http-<suffix>' (appProtocol ${show(port.appProtocol)} replaces the port name)`
          : 'name it \'http\' (or \'http-<suffix>\', \'http2\', \'grpc\') or set appProtocol: \'http\'');
  }
  // Every destination names the first port, so HTTP to any other port Istio treats as HTTP (by name,
  // appProtocol or protocol sniffing) would land on the first.
  const otherHttp = ports.slice(1).filter((p) => protocolOf(p).class !== IstioProtocolClass.OPAQUE);
  if (otherHttp.length) {
    const p = otherHttp[0];
    fail(owner, `ports has a second port Istio may route as HTTP: ${show(p.name)} (${p.port}${p.appProtocol ? `, appProtocol ${show(p.appProtocol)}` : ''}), but the VirtualService routes every HTTP request to the first port ${show(port.name)} (${port.port})`,
      'serve one HTTP port per CanaryRelease; name other ports for their real protocol (\'tcp-<suffix>\', \'tls-<suffix>\', \'https-<suffix>\') or set their appProtocol (e.g. \'tcp\')');
  }
}
