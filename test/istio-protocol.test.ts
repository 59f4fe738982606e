import { IstioProtocolClass, istioPortProtocol } from '../lib/routing/istio/port-protocol';

describe('istioPortProtocol: Istio protocol selection (ConvertProtocol + protocol.Parse)', () => {
  test.each([
    // [label, port, class, protocol]
    ['name http', { port: 80, name: 'http' }, IstioProtocolClass.HTTP, 'http'],
    ['name http-web', { port: 80, name: 'http-web' }, IstioProtocolClass.HTTP, 'http'],
    ['name HTTP2 (case-insensitive)', { port: 80, name: 'HTTP2' }, IstioProtocolClass.HTTP, 'http2'],
    ['name grpc-web (not grpc)', { port: 80, name: 'grpc-web' }, IstioProtocolClass.HTTP, 'grpc-web'],
    ['name grpc-web-x', { port: 80, name: 'grpc-web-x' }, IstioProtocolClass.HTTP, 'grpc-web'],
    ['appProtocol http over a tcp name', { port: 80, name: 'tcp-app', appProtocol: 'http' }, IstioProtocolClass.HTTP, 'http'],
    ['appProtocol kubernetes.io/h2c', { port: 80, appProtocol: 'kubernetes.io/h2c' }, IstioProtocolClass.HTTP, 'kubernetes.io/h2c'],
    ['appProtocol kubernetes.io/ws', { port: 80, appProtocol: 'kubernetes.io/ws' }, IstioProtocolClass.HTTP, 'kubernetes.io/ws'],
    ['appProtocol tcp over an http name (appProtocol wins)', { port: 80, name: 'http', appProtocol: 'tcp' }, IstioProtocolClass.OPAQUE, 'tcp'],
    ['appProtocol kubernetes.io/wss', { port: 443, appProtocol: 'kubernetes.io/wss' }, IstioProtocolClass.OPAQUE, 'kubernetes.io/wss'],
    ['name https-admin', { port: 443, name: 'https-admin' }, IstioProtocolClass.OPAQUE, 'https'],
    ['name mysql', { port: 3306, name: 'mysql' }, IstioProtocolClass.OPAQUE, 'mysql'],
    ['UDP whatever the name', { port: 80, name: 'http', protocol: 'UDP' }, IstioProtocolClass.OPAQUE, 'udp'],
    ['SCTP whatever the name (Istio does not proxy SCTP)', { port: 80, name: 'http', protocol: 'SCTP' }, IstioProtocolClass.OPAQUE, 'sctp'],
    ['unnamed well-known port 3306', { port: 3306 }, IstioProtocolClass.OPAQUE, 'tcp'],
    ['unknown name on well-known port 27017', { port: 27017, name: 'db' }, IstioProtocolClass.OPAQUE, 'tcp'],
    ['unknown appProtocol on well-known port 53', { port: 53, appProtocol: 'dns' }, IstioProtocolClass.OPAQUE, 'tcp'],
    ['http name on a well-known port (the declaration wins)', { port: 3306, name: 'http' }, IstioProtocolClass.HTTP, 'http'],
    ['unnamed', { port: 80 }, IstioProtocolClass.SNIFFED, undefined],
    ['unknown name', { port: 80, name: 'web' }, IstioProtocolClass.SNIFFED, undefined],
    ['unknown appProtocol (replaces the name, then sniffed)', { port: 80, name: 'tcp', appProtocol: 'foo' }, IstioProtocolClass.SNIFFED, undefined],
  ])('%s', (_label, port, cls, protocol) => {
    const got = istioPortProtocol(port);
    expect(got.class).toBe(cls);
    expect(got.protocol).toBe(protocol);
  });

  test('TLS protocols are flagged as passed through undecrypted', () => {
    expect(istioPortProtocol({ port: 443, name: 'https' }).tls).toBe(true);
    expect(istioPortProtocol({ port: 443, name: 'tls-x' }).tls).toBe(true);
    expect(istioPortProtocol({ port: 443, appProtocol: 'kubernetes.io/wss' }).tls).toBe(true);
    expect(istioPortProtocol({ port: 80, name: 'tcp' }).tls).toBe(false);
  });

  test('the reason names what decided', () => {
    expect(istioPortProtocol({ port: 80, name: 'web' }).reason).toBe("declared 'web', which Istio does not know");
    expect(istioPortProtocol({ port: 80 }).reason).toBe('not declared');
    expect(istioPortProtocol({ port: 3306 }).reason).toMatch(/treated as tcp \(Istio's default for well-known port 3306/);
  });
});
