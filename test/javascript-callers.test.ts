// What JavaScript callers (no type checker) get for props of the wrong shape: a message at
// construction naming the construct, the prop, the value and the fix — never a TypeError, a string
// spread into characters, or a manifest the apiserver refuses later.
import { Chart, Testing } from 'cdk8s';
import { MYVERSION_PLAN } from '../apps/myversion';
import {
  CanaryGateway, CanaryRelease, MySqlBinding, MySqlProvider, ServiceType, StickyIngress, StickyStrategy, ValidationError, WebApp, WebAppProps,
} from '../lib';
import { LINUX_CAPABILITIES, MAX_ID } from '../lib/core';
import { synth } from './support/synth';

const synthWebApp = (props: Partial<WebAppProps>) => {
  const chart = chartIn('shop');
  new WebApp(chart, 'web', { image: IMAGE, port: 8080, ...props });
  return synth(chart);
};

const IMAGE = 'nginxinc/nginx-unprivileged:1.27';
const chartIn = (namespace?: string) => new Chart(Testing.app(), 'test', { namespace });
const webApp = (props: Partial<WebAppProps>, namespace = 'shop') => () => new WebApp(chartIn(namespace), 'web', { image: IMAGE, port: 8080, ...props } as WebAppProps);
const propOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return e instanceof ValidationError ? e.prop : `not a ValidationError: ${String(e)}`;
  }
  return 'no error';
};

describe('WebApp: shapes JavaScript callers can get wrong', () => {
  test('fails if a list prop is given a string, saying the list it was probably meant as', () => {
    expect(webApp({ command: 'nginx -g daemon' as any })).toThrow(
      /WebApp 'web': command 'nginx -g daemon' is a string, not a list; pass a list, one entry per item, e.g. command: \['nginx', '-g', 'daemon'\]/);
    expect(webApp({ args: '--port 8080' as any })).toThrow(/WebApp 'web': args '--port 8080' is a string, not a list/);
    expect(webApp({ addCapabilities: 'NET_BIND_SERVICE' as any })).toThrow(/addCapabilities 'NET_BIND_SERVICE' is a string, not a list/);
    expect(webApp({ writablePaths: '/tmp' as any })).toThrow(/writablePaths '\/tmp' is a string, not a list/);
    expect(webApp({ serviceType: ServiceType.LOAD_BALANCER, loadBalancerSourceRanges: '10.0.0.0/8' as any }))
      .toThrow(/loadBalancerSourceRanges '10.0.0.0\/8' is a string, not a list/);
    expect(propOf(webApp({ command: 'nginx' as any }))).toBe('command');
    expect(propOf(webApp({ args: 'x' as any }))).toBe('args');
  });

  test('fails if args hold numbers (a container\'s args are strings), saying how to quote them', () => {
    expect(webApp({ args: ['--port', 8080 as any] })).toThrow(/WebApp 'web': args\[1\] 8080 is not a string; write it as '8080'/);
    expect(webApp({ command: [null as any] })).toThrow(/command\[0\] null is not a string/);
  });

  test('fails if ports is one object instead of a list (no TypeError)', () => {
    expect(webApp({ port: undefined, ports: { containerPort: 80 } as any })).toThrow(
      /WebApp 'web': ports \{"containerPort":80\} is not a list \(one object, not a list of them\); pass a list, e.g. ports: \[/);
    expect(webApp({ port: undefined, ports: [8080 as any] })).toThrow(/ports\[0\] 8080 is not an object/);
    expect(propOf(webApp({ port: undefined, ports: { containerPort: 80 } as any }))).toBe('ports');
  });

  test('fails if a port is a numeric string, saying to drop the quotes (not that it is out of range)', () => {
    expect(webApp({ port: '80' as any })).toThrow(/WebApp 'web': port '80' is a string, not a number; write it without quotes: port: 80/);
    expect(webApp({ port: undefined, ports: [{ containerPort: '6379' as any }] })).toThrow(/ports\[0\].containerPort '6379' is a string, not a number; write it without quotes: containerPort: 6379/);
    expect(webApp({ replicas: '3' as any })).toThrow(/replicas '3' is a string, not a number; write it without quotes: replicas: 3/);
  });

  test(`fails if a user or group id is beyond Kubernetes' limit of ${MAX_ID}`, () => {
    expect(webApp({ runAsUser: 2 ** 32 })).toThrow(/WebApp 'web': runAsUser 4294967296 is not an integer in 0-2147483647; use a numeric id in 0-2147483647/);
    expect(webApp({ runAsGroup: MAX_ID + 1 })).toThrow(/runAsGroup 2147483648 is not an integer in 0-2147483647/);
    expect(webApp({ fsGroup: '1000' as any })).toThrow(/fsGroup '1000' is not an integer/);
    expect(() => synthWebApp({ runAsUser: MAX_ID, fsGroup: MAX_ID })).not.toThrow();
  });

  test('fails if a capability is ALL, has the CAP_ prefix, or does not exist', () => {
    expect(webApp({ addCapabilities: ['ALL'] })).toThrow(/addCapabilities\[0\] 'ALL' adds every capability back; name the capabilities the process needs/);
    expect(webApp({ addCapabilities: ['CAP_NET_BIND_SERVICE'] })).toThrow(
      /addCapabilities\[0\] 'CAP_NET_BIND_SERVICE' is not a Linux capability; write it as 'NET_BIND_SERVICE' \(uppercase, without the CAP_ prefix\)/);
    expect(webApp({ addCapabilities: ['net_admin'] })).toThrow(/'net_admin' is not a Linux capability; write it as 'NET_ADMIN'/);
    expect(webApp({ addCapabilities: ['FLY'] })).toThrow(/'FLY' is not a Linux capability; use a Linux capability name from capabilities\(7\)/);
    for (const cap of LINUX_CAPABILITIES) expect(webApp({ addCapabilities: [cap] })).not.toThrow();
  });

  test('fails if the namespace (its own or its chart\'s) is not a DNS-1123 label', () => {
    expect(webApp({ namespace: 'Bad_NS' })).toThrow(/WebApp 'web': namespace 'Bad_NS' is not a DNS-1123 label; use at most 63 lowercase letters/);
    expect(propOf(webApp({ namespace: 'Bad_NS' }))).toBe('namespace');
    expect(webApp({}, 'Bad_NS')).toThrow(/WebApp 'web': namespace 'Bad_NS' \(from the chart\) is not a DNS-1123 label; .*change it on the chart/);
    expect(webApp({ namespace: 42 as any })).toThrow(/namespace 42 is not a DNS-1123 label/);
  });

  test('fails if a boolean relaxation is given as a string', () => {
    expect(webApp({ allowRunAsRoot: 'false' as any })).toThrow(/WebApp 'web': allowRunAsRoot 'false' is not a boolean; pass true or false/);
  });

  test('accepts a CPU target above 100% (a share of the request, which pods may exceed)', () => {
    const docs = synthWebApp({ autoscaling: { maxReplicas: 4, cpuUtilization: 150 } });
    const hpa = docs.find((d) => d.kind === 'HorizontalPodAutoscaler');
    expect(hpa.spec.metrics[0].resource.target).toEqual({ type: 'Utilization', averageUtilization: 150 });
    expect(webApp({ autoscaling: { maxReplicas: 4, cpuUtilization: 0 } })).toThrow(/autoscaling.cpuUtilization 0 is not an integer >= 1/);
  });
});

describe('other constructs', () => {
  const V1_V2 = [{ name: 'v1', image: 'hashicorp/http-echo:1.0' }, { name: 'v2', image: 'hashicorp/http-echo:1.0' }];

  test('CanaryRelease fails if its chart\'s namespace is not a DNS-1123 label', () => {
    expect(() => new CanaryRelease(chartIn('Bad_NS'), 'shop', { versions: V1_V2, port: 5678, plan: MYVERSION_PLAN, stage: 'all-v1' }))
      .toThrow(/namespace 'Bad_NS' \(from the chart\) is not a DNS-1123 label/);
  });

  test('CanaryRelease fails if a created gateway\'s selector has a key that is not a label key', () => {
    expect(() => new CanaryRelease(chartIn('shop'), 'shop', {
      versions: V1_V2, port: 5678, plan: MYVERSION_PLAN, stage: 'all-v1',
      gateway: CanaryGateway.create({ hosts: ['shop.example.com'], selector: { 'bad key!': 'x' } }),
    })).toThrow(/CanaryRelease 'shop': gateway selector key 'bad key!' is not a valid label key/);
  });

  test('MySqlBinding fails if its chart\'s namespace is not a DNS-1123 label', () => {
    expect(() => new MySqlBinding(chartIn('Bad_NS'), 'db', { provider: MySqlProvider.osba({ location: 'eastus', resourceGroup: 'demo' }) }))
      .toThrow(/MySqlBinding 'db': namespace 'Bad_NS' \(from the chart\) is not a DNS-1123 label/);
  });

  test('MySqlBinding (OSBA) fails if extraParameters hold a credential, pointing to parametersFrom', () => {
    const osba = (extraParameters: any) => () => new MySqlBinding(chartIn('shop'), 'db', {
      provider: MySqlProvider.osba({ location: 'eastus', resourceGroup: 'demo', extraParameters }),
    });
    expect(osba({ adminPassword: 'hunter2' })).toThrow(
      /MySqlBinding 'db': extraParameters.adminPassword looks like a credential: .*; put it in a Secret key holding a JSON object and reference it with parametersFrom/);
    expect(osba({ nested: [{ apiKey: 'x' }] })).toThrow(/extraParameters.nested\[0\].apiKey looks like a credential/);
    expect(osba('version=5.7')).toThrow(/extraParameters 'version=5.7' is not an object/);
    expect(osba({ version: '5.7' })).not.toThrow();
  });

  test('StickyIngress fails if host is not a string (no TypeError)', () => {
    const chart = chartIn('shop');
    const backend = new WebApp(chart, 'web', { image: IMAGE, port: 8080 });
    expect(() => new StickyIngress(chart, 'sticky', { backend, host: 42 as any, strategy: StickyStrategy.nginxCookie() }))
      .toThrow(/StickyIngress '.*': host 42 is not a DNS name/);
  });
});
