// Service ports that match intent (#15): a port of `ports` is served on its container port unless
// servicePort says otherwise; the shorthand `port` of an HTTP app keeps Service port 80; a servicePort set
// to another number is marked as intended on the Service, for `cdk8s-noops check`.
import { WebApp, WebAppProps } from '../lib';
import { INTENDED_SERVICE_PORTS_ANNOTATION, intendedServicePorts, isConventionalHttpPort } from '../lib/core';
import { chart, find, synth } from './support/synth';

/** The rendered Service of a WebApp with `props`. */
function service(props: Omit<WebAppProps, 'image'>): any {
  const c = chart();
  new WebApp(c, 'app', { image: 'hashicorp/http-echo:1.0', ...props });
  return find(synth(c), 'Service');
}

describe('Service ports default to their container port', () => {
  test('a named port of ports: redis on 6379 is served on 6379 (it was 80)', () => {
    const svc = service({ ports: [{ name: 'tcp-redis', containerPort: 6379 }] });
    expect(svc.spec.ports).toEqual([{ name: 'tcp-redis', port: 6379, targetPort: 'tcp-redis', protocol: 'TCP' }]);
    expect(svc.metadata.annotations).toBeUndefined();
  });

  test('every port of ports, the first included, HTTP or not', () => {
    const svc = service({ ports: [{ containerPort: 8080 }, { containerPort: 9090, name: 'grpc' }] });
    expect(svc.spec.ports.map((p: any) => [p.name, p.port])).toEqual([['http', 8080], ['grpc', 9090]]);
  });

  test('the shorthand port of an HTTP app keeps Service port 80, unannotated', () => {
    const svc = service({ port: 5678 });
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
    expect(svc.metadata.annotations).toBeUndefined();
  });
});

describe('a servicePort set to another number is marked as intended', () => {
  test('the annotation names each remapped port', () => {
    const svc = service({ ports: [{ name: 'tcp-redis', containerPort: 6379, servicePort: 16379 }, { name: 'metrics', containerPort: 9121, servicePort: 9000 }] });
    expect(svc.spec.ports.map((p: any) => p.port)).toEqual([16379, 9000]);
    expect(svc.metadata.annotations).toEqual({ [INTENDED_SERVICE_PORTS_ANNOTATION]: 'tcp-redis,metrics' });
  });

  test('not for a servicePort equal to the container port, nor for 80 in front of an http port', () => {
    expect(service({ ports: [{ name: 'tcp-redis', containerPort: 6379, servicePort: 6379 }] }).metadata.annotations).toBeUndefined();
    expect(service({ ports: [{ name: 'http', containerPort: 3000, servicePort: 80 }] }).metadata.annotations).toBeUndefined();
  });

  test('kept beside the serviceAnnotations, which win on the same key', () => {
    const ports = [{ name: 'tcp-redis', containerPort: 6379, servicePort: 80 }];
    expect(service({ ports, serviceAnnotations: { 'example.com/team': 'shop' } }).metadata.annotations)
      .toEqual({ [INTENDED_SERVICE_PORTS_ANNOTATION]: 'tcp-redis', 'example.com/team': 'shop' });
    expect(service({ ports, serviceAnnotations: { [INTENDED_SERVICE_PORTS_ANNOTATION]: '' } }).metadata.annotations)
      .toEqual({ [INTENDED_SERVICE_PORTS_ANNOTATION]: '' });
  });
});

describe('the annotation and the HTTP convention, as the check reads them', () => {
  test('intendedServicePorts lists the names, ignoring blanks and other types', () => {
    expect(intendedServicePorts({ [INTENDED_SERVICE_PORTS_ANNOTATION]: 'tcp-redis, metrics,' })).toEqual(['tcp-redis', 'metrics']);
    expect(intendedServicePorts({ [INTENDED_SERVICE_PORTS_ANNOTATION]: 42 })).toEqual([]);
    expect(intendedServicePorts(undefined)).toEqual([]);
  });

  test.each([
    [80, 'http', true], [80, 'http-web', true], [80, 'http2', true], [443, 'https', true], [443, 'https-admin', true],
    [80, 'tcp-redis', false], [8080, 'http', false], [80, 'httpd', false], [443, 'http', false],
  ])('port %d for %s: %s', (port, name, conventional) => {
    expect(isConventionalHttpPort(port, name)).toBe(conventional);
  });
});
