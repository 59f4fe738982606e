// `cdk8s-noops check` warns about a Service port that differs from the container port it targets by name,
// unless the manifests say it is meant (the intended-service-ports annotation, or 80/443 for an HTTP port).
import { Testing } from 'cdk8s';
import { MYVERSION_PLAN } from '../apps/myversion';
import { CanaryMode, CanaryRelease, WebApp, WebAppProps } from '../lib';
import { audit, Level, PolicyMode } from '../lib/audit';
import { INTENDED_SERVICE_PORTS_ANNOTATION } from '../lib/core';
import { chart } from './support/synth';

/** A Deployment whose container declares `ports`, and a Service in front of it with `servicePorts` and `annotations`. */
function manifests(ports: object[], servicePorts: object[], annotations?: Record<string, string>): any[] {
  const labels = { app: 'redis' };
  return [
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'redis', namespace: 'shop' },
      spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'redis', image: 'redis:7.4.1', ports }] } } },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'redis', namespace: 'shop', annotations }, spec: { selector: labels, ports: servicePorts } },
  ];
}

const intent = (docs: any[]) => audit(docs, { policy: PolicyMode.OFF }).findings.filter((f) => f.rule === 'service-port-intent');

describe('audit(): service-port-intent', () => {
  const redis = [{ name: 'tcp-redis', containerPort: 6379 }];

  test('warns when a named port is served on another number, saying how to fix it and how to silence it', () => {
    const found = intent(manifests(redis, [{ name: 'tcp-redis', port: 80, targetPort: 'tcp-redis' }]));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ level: Level.WARNING, kind: 'Service', name: 'redis', path: '/spec/ports/0/port' });
    expect(found[0].message).toBe('port "tcp-redis" is served on 80, but its container port "tcp-redis" is 6379: clients calling redis:6379 are refused; '
      + 'serve it on 6379 (WebApp: leave servicePort out, the default is the container port), or, if 80 is meant, say so: '
      + 'set servicePort: 80 on the WebApp port, or annotate the Service cdk8s-noops.io/intended-service-ports: tcp-redis');
  });

  test('silent when the port is listed in the annotation', () => {
    expect(intent(manifests(redis, [{ name: 'tcp-redis', port: 80, targetPort: 'tcp-redis' }], { [INTENDED_SERVICE_PORTS_ANNOTATION]: 'metrics, tcp-redis' }))).toEqual([]);
  });

  test('silent when the ports match, for 80 or 443 in front of an HTTP port, and for numeric targets', () => {
    expect(intent(manifests(redis, [{ name: 'tcp-redis', port: 6379, targetPort: 'tcp-redis' }]))).toEqual([]);
    expect(intent(manifests([{ name: 'http', containerPort: 8080 }], [{ name: 'http', port: 80, targetPort: 'http' }]))).toEqual([]);
    expect(intent(manifests([{ name: 'https', containerPort: 8443 }], [{ name: 'https', port: 443, targetPort: 'https' }]))).toEqual([]);
    expect(intent(manifests(redis, [{ name: 'tcp-redis', port: 80, targetPort: 6379 }]))).toEqual([]);
  });

  test('an unknown target name is left to service-port (an error), not warned twice', () => {
    const findings = audit(manifests(redis, [{ name: 'x', port: 80, targetPort: 'nope' }]), { policy: PolicyMode.OFF }).findings.map((f) => f.rule);
    expect(findings).toContain('service-port');
    expect(findings).not.toContain('service-port-intent');
  });

  test('WebApp output: silent for the defaults and for a servicePort set on purpose', () => {
    const docsOf = (props: Omit<WebAppProps, 'image'>) => {
      const c = chart('shop');
      new WebApp(c, 'redis', { image: 'redis:7.4.1', readiness: undefined, ...props });
      return Testing.synth(c);
    };
    expect(intent(docsOf({ ports: redis }))).toEqual([]);
    expect(intent(docsOf({ ports: [{ ...redis[0], servicePort: 80 }] }))).toEqual([]);
    expect(intent(docsOf({ port: 8080 }))).toEqual([]);
  });
});

describe('CanaryRelease\'s Service marks its remapped ports too', () => {
  const versions = [{ name: 'v1', image: 'hashicorp/http-echo:1.0' }, { name: 'v2', image: 'hashicorp/http-echo:1.0' }];
  const docsOf = (mode: CanaryMode, ports: WebAppProps['ports']) => {
    const c = chart('shop');
    new CanaryRelease(c, 'shop', { versions, ports, mode, plan: MYVERSION_PLAN, stage: 'all-v1' });
    return Testing.synth(c);
  };

  test.each([CanaryMode.SUBSETS, CanaryMode.SERVICES])('%s: annotated, and the check is silent', (mode) => {
    const docs = docsOf(mode, [{ name: 'http', containerPort: 5678 }, { name: 'tcp-admin', containerPort: 9000, servicePort: 9001 }]);
    const svc = docs.find((d) => d.kind === 'Service' && d.metadata.name === 'shop');
    expect(svc.spec.ports.map((p: any) => p.port)).toEqual([5678, 9001]);
    expect(svc.metadata.annotations).toEqual({ [INTENDED_SERVICE_PORTS_ANNOTATION]: 'tcp-admin' });
    expect(intent(docs)).toEqual([]);
  });

  test('no annotation when every port is served on its container port', () => {
    const docs = docsOf(CanaryMode.SUBSETS, [{ name: 'http', containerPort: 5678 }]);
    expect(docs.find((d) => d.kind === 'Service' && d.metadata.name === 'shop').metadata.annotations).toBeUndefined();
  });
});
