// Issue #15 "Runs for real", part B: bounded ephemeral storage, HA scheduling defaults, and their props.
import { Chart } from 'cdk8s';
import {
  CanaryGateway, CanaryRelease, DisruptionBudget, MeshDataplane, MeshNamespace, MetricsExporter, MySqlBinding, MySqlProvider, Namespace,
  PodSecurityLevel, TopologySpread, WebApp, WebAppDefaults, WebAppProps,
} from '../lib';
import { ServiceType, WorkloadKind } from '../lib/web-app';
import { chart, find, synth } from './support/synth';

const IMAGE = 'hashicorp/http-echo:1.0';

function webApp(props: Partial<WebAppProps> = {}, c: Chart = chart()): { c: Chart; app: WebApp } {
  const app = new WebApp(c, 'web', { image: IMAGE, port: 5678, ...props });
  return { c, app };
}
const podOf = (c: Chart, kind = 'Deployment') => find(synth(c), kind).spec.template.spec;

describe('bounded ephemeral storage', () => {
  test('every container requests and limits ephemeral storage: app, init and sidecar', () => {
    // GIVEN an app with an init container and the metrics exporter sidecar
    const { c, app } = webApp({ port: 8080, metricsExporter: MetricsExporter.NGINX });
    app.waitFor('db', 5432);
    // THEN each container has an ephemeral-storage request and limit
    const pod = podOf(c);
    expect(pod.containers[0].resources.requests['ephemeral-storage']).toBe('128Mi');
    expect(pod.containers[0].resources.limits['ephemeral-storage']).toBe('1Gi');
    for (const helper of [pod.containers[1], pod.initContainers[0]]) {
      expect(helper.resources.requests['ephemeral-storage']).toBe('16Mi');
      expect(helper.resources.limits['ephemeral-storage']).toBe('128Mi');
    }
  });

  test('ephemeral storage is overridable per app and per chart, field by field', () => {
    const c = chart();
    WebAppDefaults.set(c, { resources: { ephemeralStorage: { limit: '4Gi' } } });
    const { app } = webApp({ resources: { ephemeralStorage: { request: '1Gi' } } }, c);
    expect(app.resources).toMatchObject({ requests: { 'ephemeral-storage': '1Gi' }, limits: { 'ephemeral-storage': '4Gi' } });
  });

  test('every emptyDir has a sizeLimit: writablePaths, addEmptyDir, and the one given wins', () => {
    const { c, app } = webApp({ writablePaths: ['/tmp', '/var/cache/nginx'] });
    app.addEmptyDir('scratch', '/scratch');
    app.addEmptyDir('shm', '/dev/shm', { medium: 'Memory', sizeLimit: '64Mi' });
    expect(podOf(c).volumes.map((v: any) => [v.name, v.emptyDir])).toEqual([
      ['tmp', { sizeLimit: '1Gi' }], ['var-cache-nginx', { sizeLimit: '1Gi' }], ['scratch', { sizeLimit: '1Gi' }], ['shm', { medium: 'Memory', sizeLimit: '64Mi' }],
    ]);
  });

  test('emptyDirSizeLimit sets the default, per app or per chart (the app winning)', () => {
    const c = chart();
    WebAppDefaults.set(c, { emptyDirSizeLimit: '2Gi' });
    webApp({}, c);
    expect(podOf(c).volumes[0].emptyDir).toEqual({ sizeLimit: '2Gi' });
    const d = chart();
    WebAppDefaults.set(d, { emptyDirSizeLimit: '2Gi' });
    webApp({ emptyDirSizeLimit: '500Mi' }, d);
    expect(podOf(d).volumes[0].emptyDir).toEqual({ sizeLimit: '500Mi' });
  });

  test('fails if emptyDirSizeLimit is not a positive quantity', () => {
    expect(() => webApp({ emptyDirSizeLimit: 'lots' })).toThrow(/WebApp 'web': emptyDirSizeLimit 'lots' is not a Kubernetes quantity; use/);
    expect(() => webApp({ emptyDirSizeLimit: '0' })).toThrow(/WebApp 'web': emptyDirSizeLimit '0' is not positive; give a size such as '1Gi'/);
  });
});

describe('HA scheduling defaults', () => {
  const spread = (app: string, key: string, hash = true) => ({
    maxSkew: 1, topologyKey: key, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app } },
    ...(hash ? { matchLabelKeys: ['pod-template-hash'] } : {}),
  });

  test('two replicas spread across nodes and zones, ScheduleAnyway, per Deployment revision, and prefer distinct nodes', () => {
    const { c } = webApp();
    expect(podOf(c).topologySpreadConstraints).toEqual([spread('web', 'kubernetes.io/hostname'), spread('web', 'topology.kubernetes.io/zone')]);
    expect(podOf(c).affinity).toEqual({
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } } }],
      },
    });
    expect(podOf(webApp({ replicas: 1 }).c).affinity).toBeUndefined();
    expect(podOf(webApp({ topologySpread: TopologySpread.none() }).c).affinity).toBeUndefined();
  });

  test('an autoscaled app spreads; a single replica does not', () => {
    const { c } = webApp({ autoscaling: { minReplicas: 2, maxReplicas: 5 } });
    expect(podOf(c).topologySpreadConstraints).toHaveLength(2);
    const { c: one } = webApp({ replicas: 1 });
    expect(podOf(one).topologySpreadConstraints).toBeUndefined();
  });

  test('a StatefulSet spreads without pod-template-hash (its pods have none)', () => {
    const { c } = webApp({ workloadKind: WorkloadKind.STATEFUL_SET });
    expect(podOf(c, 'StatefulSet').topologySpreadConstraints).toEqual([spread('web', 'kubernetes.io/hostname', false), spread('web', 'topology.kubernetes.io/zone', false)]);
  });

  test('TopologySpread.none() and custom() override the default', () => {
    const { c } = webApp({ topologySpread: TopologySpread.none() });
    expect(podOf(c).topologySpreadConstraints).toBeUndefined();
    const { c: custom } = webApp({ replicas: 1, topologySpread: TopologySpread.custom([{ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 2, whenUnsatisfiable: 'DoNotSchedule' }]) });
    expect(podOf(custom).topologySpreadConstraints).toEqual([{ ...spread('web', 'topology.kubernetes.io/zone'), maxSkew: 2, whenUnsatisfiable: 'DoNotSchedule' }]);
  });

  test('fails if a custom constraint is malformed', () => {
    expect(() => webApp({ topologySpread: TopologySpread.custom([{ topologyKey: 'bad key!' }]) }))
      .toThrow(/WebApp 'web': topologySpread\[0\]\.topologyKey 'bad key!' is not a node label key; use e\.g\. 'kubernetes\.io\/hostname'/);
    expect(() => webApp({ topologySpread: TopologySpread.custom([{ topologyKey: 'a' }, { topologyKey: 'a' }]) })).toThrow(/topologySpread\[1\]\.topologyKey 'a' is listed twice/);
    expect(() => webApp({ topologySpread: TopologySpread.custom([{ topologyKey: 'a', maxSkew: 0 }]) })).toThrow(/WebApp 'web': topologySpread\[0\]\.maxSkew/);
    expect(() => webApp({ topologySpread: TopologySpread.custom([{ topologyKey: 'a', whenUnsatisfiable: 'Never' as any }]) }))
      .toThrow(/topologySpread\[0\]\.whenUnsatisfiable 'Never' is not ScheduleAnyway or DoNotSchedule/);
    expect(() => webApp({ topologySpread: { constraints: [] } as any })).toThrow(/WebApp 'web': topologySpread .* is not a TopologySpread; use TopologySpread\.nodesAndZones\(\)/);
  });

  test('the PodDisruptionBudget lets drains evict unready pods; overridable', () => {
    const { c } = webApp();
    expect(find(synth(c), 'PodDisruptionBudget').spec.unhealthyPodEvictionPolicy).toBe('AlwaysAllow');
    const { c: kept } = webApp({ disruptionBudget: DisruptionBudget.minAvailable(1), unhealthyPodEvictionPolicy: 'IfHealthyBudget' });
    expect(find(synth(kept), 'PodDisruptionBudget').spec).toMatchObject({ minAvailable: 1, unhealthyPodEvictionPolicy: 'IfHealthyBudget' });
    expect(() => webApp({ unhealthyPodEvictionPolicy: 'Always' as any })).toThrow(/WebApp 'web': unhealthyPodEvictionPolicy 'Always' is not AlwaysAllow or IfHealthyBudget; use 'AlwaysAllow'/);
  });
});

describe('conventions: instance label, Pod Security on namespaces', () => {
  test('app.kubernetes.io/instance is the app name on every object and pod, never in a selector', () => {
    const { c } = webApp({ name: 'shop-v2', appLabel: 'shop' });
    const docs = synth(c);
    for (const d of docs) expect(d.metadata.labels['app.kubernetes.io/instance']).toBe('shop-v2');
    const deployment = find(docs, 'Deployment');
    expect(deployment.spec.template.metadata.labels['app.kubernetes.io/instance']).toBe('shop-v2');
    expect(deployment.spec.selector.matchLabels).toEqual({ app: 'shop' });
  });

  test('a Namespace enforces restricted; a sidecar MeshNamespace baseline unless the Istio CNI is installed; ambient restricted', () => {
    const enforce = (make: (c: Chart) => void) => {
      const c = chart();
      make(c);
      return find(synth(c), 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce'];
    };
    expect(enforce((c) => new Namespace(c, 'ns', { name: 'shop' }))).toBe('restricted');
    expect(enforce((c) => new Namespace(c, 'ns', { name: 'shop', podSecurity: PodSecurityLevel.BASELINE }))).toBe('baseline');
    expect(enforce((c) => new MeshNamespace(c, 'ns', { name: 'shop' }))).toBe('baseline');
    expect(enforce((c) => new MeshNamespace(c, 'ns', { name: 'shop', istioCni: true }))).toBe('restricted');
    expect(enforce((c) => new MeshNamespace(c, 'ns', { name: 'shop', dataplane: MeshDataplane.AMBIENT }))).toBe('restricted');
  });

  test('fails if the level is given as a label, is unknown, or istioCni is set in ambient mode', () => {
    expect(() => new Namespace(chart(), 'ns', { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } }))
      .toThrow(/Namespace 'shop': labels set pod-security.kubernetes.io\/enforce='baseline'; use podSecurity: PodSecurityLevel.BASELINE instead/);
    expect(() => new Namespace(chart(), 'ns', { name: 'shop', podSecurity: 'strict' as PodSecurityLevel }))
      .toThrow(/Namespace 'shop': podSecurity 'strict' is not a Pod Security level; use PodSecurityLevel.RESTRICTED, BASELINE or PRIVILEGED/);
    expect(() => new MeshNamespace(chart(), 'ns', { name: 'shop', dataplane: MeshDataplane.AMBIENT, istioCni: true }))
      .toThrow(/MeshNamespace 'shop': istioCni is set in ambient mode; drop istioCni/);
  });
});

describe('StatefulSet: a headless governing Service', () => {
  test('renders <name>-headless (clusterIP None, not-ready pods published) as serviceName, beside the ClusterIP Service', () => {
    // GIVEN a StatefulSet WebApp
    const { c, app } = webApp({ port: undefined, workloadKind: WorkloadKind.STATEFUL_SET, ports: [{ name: 'tcp-redis', containerPort: 6379, servicePort: 6379 }] });
    const docs = synth(c);
    // THEN the StatefulSet is governed by the headless Service, and clients keep the ClusterIP one
    expect(find(docs, 'StatefulSet').spec.serviceName).toBe('web-headless');
    const services = docs.filter((d) => d.kind === 'Service');
    expect(services.map((s) => s.metadata.name)).toEqual(['web', 'web-headless']);
    expect(services[0].spec.clusterIP).toBeUndefined();
    expect(services[1].spec).toEqual({
      type: 'ClusterIP', clusterIP: 'None', publishNotReadyAddresses: true, selector: { app: 'web' },
      ports: [{ name: 'tcp-redis', port: 6379, targetPort: 'tcp-redis', protocol: 'TCP' }],
    });
    expect(app.governingService).toBe(services.length && app.node.findChild('HeadlessService'));
  });

  test('a headless app Service governs itself; a Deployment has none', () => {
    const { c, app } = webApp({ workloadKind: WorkloadKind.STATEFUL_SET, serviceType: ServiceType.HEADLESS });
    expect(find(synth(c), 'StatefulSet').spec.serviceName).toBe('web');
    expect(app.governingService).toBeUndefined();
    expect(webApp().app.governingService).toBeUndefined();
  });

  test('fails if the name leaves no room for the -headless suffix', () => {
    expect(() => webApp({ name: 'a'.repeat(60), workloadKind: WorkloadKind.STATEFUL_SET }))
      .toThrow(/WebApp 'a{60}': name 'a{60}' is too long for the StatefulSet's governing Service 'a{60}-headless' \(at most 63 characters\); use a name of at most 54 characters, or serviceType: ServiceType.HEADLESS/);
  });
});

describe('default-deny networking (networkIsolation)', () => {
  const DNS = {
    to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
    ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
  };
  const policy = (c: Chart, name = 'web') => find(synth(c), 'NetworkPolicy', name)?.spec;

  test('an app alone: ingress and egress isolated, DNS only', () => {
    const { c, app } = webApp();
    expect(policy(c)).toEqual({ podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress', 'Egress'], egress: [DNS] });
    expect(app.networkPolicy).toBeDefined();
  });

  test('declared consumers: the guestbook frontend reaches redis, redis admits it, nothing else', () => {
    // GIVEN the guestbook's shape
    const c = chart('guestbook');
    const redis = new WebApp(c, 'redis', { image: 'redis:7.4.1', ports: [{ containerPort: 6379, name: 'tcp-redis', servicePort: 6379 }] });
    const frontend = new WebApp(c, 'frontend', { image: IMAGE, port: 8080, serviceType: ServiceType.NODE_PORT });
    // WHEN redis declares its consumer
    redis.allowFrom(frontend);
    // THEN the frontend may leave for redis:6379 and DNS, and anyone may reach its NodePort's pod port; redis admits the frontend only
    expect(policy(c, 'frontend')).toEqual({
      podSelector: { matchLabels: { app: 'frontend' } }, policyTypes: ['Ingress', 'Egress'],
      ingress: [{ ports: [{ port: 8080, protocol: 'TCP' }] }],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'redis' } } }], ports: [{ port: 6379, protocol: 'TCP' }] }, DNS],
    });
    expect(policy(c, 'redis')).toEqual({
      podSelector: { matchLabels: { app: 'redis' } }, policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }], ports: [{ port: 6379, protocol: 'TCP' }] }],
      egress: [DNS],
    });
  });

  test('exposeViaIngress admits the Ingress controller namespace (ingress-nginx by default, or the chart\'s or app\'s choice)', () => {
    const { c, app } = webApp();
    app.exposeViaIngress({ host: 'shop.example.com' });
    expect(policy(c).ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ port: 5678, protocol: 'TCP' }] }]);
    const d = chart();
    WebAppDefaults.set(d, { ingressControllerNamespace: 'traefik' });
    webApp({}, d).app.exposeViaIngress();
    expect(JSON.stringify(policy(d).ingress)).toContain('"kubernetes.io/metadata.name":"traefik"');
  });

  test('a sidecar namespace reaches istiod; an ambient one admits HBONE and the probe address', () => {
    const sidecar = chart('shop');
    new MeshNamespace(sidecar, 'ns', { name: 'shop' });
    webApp({}, sidecar);
    expect(policy(sidecar).egress).toContainEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } }, podSelector: { matchLabels: { app: 'istiod' } } }],
      ports: [{ port: 15012, protocol: 'TCP' }],
    });
    const ambient = chart('shop');
    new MeshNamespace(ambient, 'ns', { name: 'shop', dataplane: MeshDataplane.AMBIENT });
    webApp({}, ambient);
    expect(policy(ambient).ingress).toEqual([{ ports: [{ port: 15008, protocol: 'TCP' }] }, { from: [{ ipBlock: { cidr: '169.254.7.127/32' } }] }]);
    expect(policy(ambient).egress).toEqual([{ ports: [{ port: 15008, protocol: 'TCP' }] }, DNS]);
  });

  test('CanaryRelease versions admit the Istio ingress gateway and sidecar-injected callers', () => {
    const c = chart('shop');
    new CanaryRelease(c, 'shop', {
      versions: [{ name: 'v1', image: IMAGE }, { name: 'v2', image: 'hashicorp/http-echo:1.0.1' }], port: 5678,
      stages: [{ name: 'split', weights: { v1: 50, v2: 50 } }], stage: 'split',
      gateway: CanaryGateway.create({ hosts: ['shop.example.com'] }),
    });
    const ingress = find(synth(c), 'NetworkPolicy', 'shop-v1').spec.ingress;
    expect(ingress).toEqual([
      { from: [{ namespaceSelector: {}, podSelector: { matchLabels: { istio: 'ingressgateway' } } }], ports: [{ port: 5678, protocol: 'TCP' }] },
      { from: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'security.istio.io/tlsMode': 'istio' } } }], ports: [{ port: 5678, protocol: 'TCP' }] },
    ]);
  });

  test('a MySqlBinding lets the bound app reach its database: the in-cluster pods, or an external port anywhere', () => {
    const c = chart('shop');
    const app = new WebApp(c, 'api', { image: IMAGE, port: 8080 });
    new MySqlBinding(c, 'db', { provider: MySqlProvider.external({ host: 'db.example.com', database: 'orders', credentialsSecret: 'db', port: 3307 }) }).bindTo(app);
    expect(find(synth(c), 'NetworkPolicy', 'api').spec.egress[0]).toEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }], ports: [{ port: 3307, protocol: 'TCP' }] });
  });

  test('networkIsolation: false (per app or per chart) renders no policy', () => {
    expect(webApp({ networkIsolation: false }).app.networkPolicy).toBeUndefined();
    const c = chart();
    WebAppDefaults.set(c, { networkIsolation: false });
    expect(webApp({}, c).app.networkPolicy).toBeUndefined();
    const d = chart();
    WebAppDefaults.set(d, { networkIsolation: false });
    expect(webApp({ networkIsolation: true }, d).app.networkPolicy).toBeDefined();
  });

  test('fails if networkIsolation is not a boolean or the controller namespace is not a label', () => {
    expect(() => webApp({ networkIsolation: 'no' as any })).toThrow(/WebApp 'web': networkIsolation 'no' is not a boolean; pass true/);
    expect(() => webApp({ ingressControllerNamespace: 'Ingress_NGINX' }))
      .toThrow(/WebApp 'web': ingressControllerNamespace 'Ingress_NGINX' is not a namespace name; use the Ingress controller's namespace/);
  });
});
