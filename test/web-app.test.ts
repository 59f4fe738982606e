import { ApiObject, App, Chart, Duration, JsonPatch, Testing } from 'cdk8s';
import {
  DisruptionBudget, EnvFrom, EnvValue, ExternalTrafficPolicy, MetricsExporter, NetworkPeer, PathType, Probe,
  Protocol, SeccompProfile, ServiceType, WebApp, WebAppDefaults, WebAppProps,
} from '../lib';
import { ValidationError, fail } from '../lib/core';
import { UpdateStrategy, VolumeAccessMode, WorkloadKind } from '../lib/web-app';
import { parseQuantity } from '../lib/core';
import { Construct } from 'constructs';
import { all, chart, find, synth } from './support/synth';

const IMAGE = 'hashicorp/http-echo:1.0';


function webApp(props: Partial<WebAppProps> = {}, id = 'web'): { c: Chart; app: WebApp } {
  const c = chart();
  const app = new WebApp(c, id, { image: IMAGE, port: 5678, ...props });
  return { c, app };
}

describe('WebApp defaults', () => {
  // GIVEN the smallest WebApp
  const { c, app } = webApp({ args: ['-text=hello'] }, 'echo');
  const docs = synth(c);
  const deployment = find(docs, 'Deployment');
  const service = find(docs, 'Service');
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];

  test('snapshot', () => {
    expect(docs).toMatchSnapshot();
  });

  test('Deployment, Service and container are named exactly like the app, without hash suffixes', () => {
    expect(app.name).toBe('echo');
    expect(deployment.metadata.name).toBe('echo');
    expect(service.metadata.name).toBe('echo');
    expect(container.name).toBe('echo');
    expect(JSON.stringify(docs)).not.toMatch(/cdk8s\.io\/metadata\.addr|c8[0-9a-f]{6}/);
  });

  test('pods carry app, version and app.kubernetes.io labels; the selector is stable across versions', () => {
    expect(deployment.spec.template.metadata.labels).toEqual({
      'app': 'echo',
      'version': '1.0',
      'app.kubernetes.io/name': 'echo',
      'app.kubernetes.io/instance': 'echo',
      'app.kubernetes.io/version': '1.0',
      'app.kubernetes.io/managed-by': 'cdk8s-noops',
    });
    expect(deployment.spec.selector).toEqual({ matchLabels: { app: 'echo' } });
    expect(service.spec.selector).toEqual({ app: 'echo' });
  });

  test('Service port 80 targets the container port by name', () => {
    expect(container.ports).toEqual([{ containerPort: 5678, name: 'http', protocol: 'TCP' }]);
    expect(service.spec).toMatchObject({ type: 'ClusterIP', ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] });
  });

  test('zero-downtime rollout: maxUnavailable 0, readiness on the main port, minReadySeconds, preStop sleep', () => {
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
    expect(deployment.spec.minReadySeconds).toBe(5);
    expect(deployment.spec.replicas).toBe(2);
    expect(container.readinessProbe).toEqual({ tcpSocket: { port: 'http' } });
    expect(container.lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
    expect(pod.terminationGracePeriodSeconds).toBe(30);
  });

  test('hardened: restricted security context, read-only root with /tmp writable, no token', () => {
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      runAsGroup: 10001,
      runAsNonRoot: true,
      runAsUser: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.securityContext).toEqual({
      fsGroup: 10001, runAsGroup: 10001, runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '1Gi' } }]);
  });

  test('default resources and a PodDisruptionBudget for two replicas', () => {
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '128Mi' }, limits: { cpu: '1', memory: '256Mi', 'ephemeral-storage': '1Gi' } });
    const pdb = find(docs, 'PodDisruptionBudget');
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { app: 'echo' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
  });

  test('pinned image is pulled IfNotPresent', () => {
    expect(container.image).toBe(IMAGE);
    expect(container.imagePullPolicy).toBe('IfNotPresent');
  });

  test('exposes every object it creates', () => {
    expect(app.deployment.kind).toBe('Deployment');
    expect(app.service?.kind).toBe('Service');
    expect(app.podDisruptionBudget?.kind).toBe('PodDisruptionBudget');
    expect(app.horizontalPodAutoscaler).toBeUndefined();
    expect(app.networkPolicy?.kind).toBe('NetworkPolicy'); // default-deny (networkIsolation)
  });
});

describe('WebApp options', () => {
  test('name is derived from the id when not given', () => {
    const { app } = webApp({}, 'MyShop_Front');
    expect(app.name).toBe('myshop-front');
  });

  test('escape hatch: addJsonPatch on the exposed Deployment survives rendering, even for fields the 1.27 types lack', () => {
    const { c, app } = webApp();
    ApiObject.of(app.deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'high'));
    const docs = synth(c);
    expect(find(docs, 'Deployment').spec.template.spec.priorityClassName).toBe('high');
  });

  test('preStopSleep is the container\'s lifecycle, rendered with its other keys (sorted, no patch); 0 renders none', () => {
    const { c } = webApp({ preStopSleep: Duration.seconds(10) });
    const container = find(synth(c), 'Deployment').spec.template.spec.containers[0];
    expect(container.lifecycle).toEqual({ preStop: { sleep: { seconds: 10 } } });
    expect(Object.keys(container)).toEqual(Object.keys(container).sort());
    const { c: none } = webApp({ preStopSleep: Duration.seconds(0) });
    expect(find(synth(none), 'Deployment').spec.template.spec.containers[0].lifecycle).toBeUndefined();
  });

  test('NodePort with a fixed node port', () => {
    const { c } = webApp({ serviceType: ServiceType.NODE_PORT, port: undefined, ports: [{ containerPort: 8080, nodePort: 30080 }] });
    const docs = synth(c);
    expect(find(docs, 'Service').spec).toMatchObject({ type: 'NodePort', ports: [{ port: 8080, nodePort: 30080, targetPort: 'http' }] });
  });

  test('LoadBalancer with source ranges and external traffic policy', () => {
    const { c } = webApp({
      serviceType: ServiceType.LOAD_BALANCER,
      loadBalancerSourceRanges: ['203.0.113.0/24'],
      externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
    });
    const docs = synth(c);
    expect(find(docs, 'Service').spec).toMatchObject({
      type: 'LoadBalancer', loadBalancerSourceRanges: ['203.0.113.0/24'], externalTrafficPolicy: 'Local',
    });
  });

  test('headless Service', () => {
    const { c } = webApp({ serviceType: ServiceType.HEADLESS });
    const docs = synth(c);
    expect(find(docs, 'Service').spec).toMatchObject({ type: 'ClusterIP', clusterIP: 'None' });
  });

  test('several ports: names, protocols, appProtocol, Service ports (each its container port)', () => {
    const { c } = webApp({
      port: undefined,
      ports: [
        { containerPort: 8080, name: 'http', appProtocol: 'http' },
        { containerPort: 9090, name: 'grpc' },
        { containerPort: 5353, protocol: Protocol.UDP },
      ],
    });
    const docs = synth(c);
    expect(find(docs, 'Service').spec.ports).toEqual([
      { name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' },
      { name: 'grpc', port: 9090, targetPort: 'grpc', protocol: 'TCP' },
      { name: 'udp-5353', port: 5353, targetPort: 'udp-5353', protocol: 'UDP' },
    ]);
  });

  test('a worker without ports gets no Service and no readiness probe only when asked', () => {
    const { c, app } = webApp({ port: undefined, createService: false, replicas: 1 });
    const docs = synth(c);
    expect(app.service).toBeUndefined();
    expect(all(docs, 'Service')).toHaveLength(0);
    expect(find(docs, 'Deployment').spec.template.spec.containers[0].readinessProbe).toBeUndefined();
    expect(all(docs, 'PodDisruptionBudget')).toHaveLength(0);
  });

  test('autoscaling on CPU and a custom Pods metric leaves replicas to the HPA', () => {
    const { c, app } = webApp({
      autoscaling: { minReplicas: 2, maxReplicas: 10, cpuUtilization: 60, podsMetric: { name: 'nginx_http_requests_per_second', averageValue: '100' } },
    });
    const docs = synth(c);
    expect(find(docs, 'Deployment').spec.replicas).toBeUndefined();
    const hpa = find(docs, 'HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
        { type: 'Pods', pods: { metric: { name: 'nginx_http_requests_per_second' }, target: { type: 'AverageValue', averageValue: '100' } } },
      ],
    });
    expect(app.horizontalPodAutoscaler).toBeDefined();
    expect(find(docs, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
  });

  test('metricsExporter nginx adds the exporter sidecar on 9113 and scrape annotations', () => {
    const { c } = webApp({ metricsExporter: MetricsExporter.NGINX, port: 8080 });
    const docs = synth(c);
    const template = find(docs, 'Deployment').spec.template;
    const exporter = template.spec.containers[1];
    expect(exporter.name).toBe('nginx-exporter');
    expect(exporter.image).toMatch(/^nginx\/nginx-prometheus-exporter:\d/);
    expect(exporter.args).toEqual(['--nginx.scrape-uri=http://localhost:8080/stub_status']);
    expect(exporter.ports).toEqual([{ containerPort: 9113, name: 'metrics', protocol: 'TCP' }]);
    expect(exporter.securityContext.runAsNonRoot).toBe(true);
    expect(template.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9113', 'prometheus.io/path': '/metrics' });
  });

  test('env from values, Secret keys, ConfigMap keys, the downward API and whole Secrets/ConfigMaps', () => {
    const { c, app } = webApp({
      env: {
        LOG_LEVEL: 'info',
        DB_PASSWORD: EnvValue.fromSecret('db', 'password'),
        FEATURE: EnvValue.fromConfigMap('features', 'flag', { optional: true }),
        POD_IP: EnvValue.fromFieldPath('status.podIP'),
      },
      envFrom: [EnvFrom.secret('api-keys'), EnvFrom.configMap('settings', 'CFG_')],
    });
    app.addEnv('LATE', EnvValue.fromValue('added later'));
    const container = find(synth(c), 'Deployment').spec.template.spec.containers[0];
    expect(container.env).toEqual([
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
      { name: 'FEATURE', valueFrom: { configMapKeyRef: { name: 'features', key: 'flag', optional: true } } },
      { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'LATE', value: 'added later' },
    ]);
    expect(container.envFrom).toEqual([{ secretRef: { name: 'api-keys' } }, { prefix: 'CFG_', configMapRef: { name: 'settings' } }]);
  });

  test('resources can be overridden per chart and per app, and the CPU limit dropped', () => {
    const c = chart();
    WebAppDefaults.set(c, { resources: { cpu: { request: '50m', limit: null }, memory: { request: '64Mi', limit: '128Mi' } } });
    new WebApp(c, 'a', { image: IMAGE, port: 5678 });
    new WebApp(c, 'b', { image: IMAGE, port: 5678, resources: { memory: { limit: '1Gi' }, cpu: { limit: '2' } } });
    const docs = synth(c);
    const res = (name: string) => find(docs, 'Deployment', name).spec.template.spec.containers[0].resources;
    expect(res('a')).toEqual({ requests: { cpu: '50m', memory: '64Mi', 'ephemeral-storage': '128Mi' }, limits: { memory: '128Mi', 'ephemeral-storage': '1Gi' } });
    expect(res('b')).toEqual({ requests: { cpu: '50m', memory: '64Mi', 'ephemeral-storage': '128Mi' }, limits: { cpu: '2', memory: '1Gi', 'ephemeral-storage': '1Gi' } });
  });

  test('probes: HTTP readiness, liveness and startup with timings', () => {
    const { c } = webApp({
      readiness: Probe.httpGet('/healthz', { period: Duration.seconds(5) }),
      liveness: Probe.httpGet('/livez', { failureThreshold: 5, timeout: Duration.seconds(2) }),
      startup: Probe.tcp({ failureThreshold: 30, period: Duration.seconds(2) }),
    });
    const container = find(synth(c), 'Deployment').spec.template.spec.containers[0];
    expect(container.readinessProbe).toEqual({ httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 });
    expect(container.livenessProbe).toEqual({ httpGet: { path: '/livez', port: 'http' }, timeoutSeconds: 2, failureThreshold: 5 });
    expect(container.startupProbe).toEqual({ tcpSocket: { port: 'http' }, periodSeconds: 2, failureThreshold: 30 });
  });

  test('a non-root app on a port below 1024 gets the unprivileged-port sysctl; others do not', () => {
    const low = find(synth(webApp({ port: 80 }).c), 'Deployment').spec.template.spec.securityContext;
    expect(low.sysctls).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }]);
    expect(low.runAsNonRoot).toBe(true);
    expect(find(synth(webApp({ port: 8080 }).c), 'Deployment').spec.template.spec.securityContext.sysctls).toBeUndefined();
    expect(find(synth(webApp({ port: 80, unprivilegedPortSysctl: false }).c), 'Deployment').spec.template.spec.securityContext.sysctls).toBeUndefined();
  });

  test('writable paths become emptyDir mounts', () => {
    const { c } = webApp({ writablePaths: ['/tmp', '/var/cache/nginx', '/var/run'] });
    const spec = find(synth(c), 'Deployment').spec.template.spec;
    expect(spec.containers[0].volumeMounts.map((m: any) => m.mountPath)).toEqual(['/tmp', '/var/cache/nginx', '/var/run']);
    expect(spec.volumes.map((v: any) => v.name)).toEqual(['tmp', 'var-cache-nginx', 'var-run']);
  });

  test('documented relaxations are explicit props', () => {
    const { c } = webApp({
      allowRunAsRoot: true,
      readOnlyRootFilesystem: false,
      allowPrivilegeEscalation: true,
      addCapabilities: ['NET_BIND_SERVICE'],
      seccompProfile: SeccompProfile.localhost('profiles/web.json'),
      automountServiceAccountToken: true,
    });
    const pod = find(synth(c), 'Deployment').spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: true,
      capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
      readOnlyRootFilesystem: false,
      runAsGroup: 10001,
      runAsUser: 10001,
      seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/web.json' },
    });
  });

  test('dedicated ServiceAccount without token', () => {
    const { c, app } = webApp({ createServiceAccount: true });
    const docs = synth(c);
    expect(find(docs, 'ServiceAccount')).toMatchObject({ metadata: { name: 'web' }, automountServiceAccountToken: false });
    expect(find(docs, 'Deployment').spec.template.spec.serviceAccountName).toBe('web');
    expect(app.serviceAccount).toBeDefined();
  });

  test('selectVersion puts the version in the selectors (side-by-side versions)', () => {
    const { c } = webApp({ name: 'shop-v2', appLabel: 'shop', version: 'v2', selectVersion: true });
    const docs = synth(c);
    expect(find(docs, 'Deployment').spec.selector.matchLabels).toEqual({ app: 'shop', version: 'v2' });
    expect(find(docs, 'Deployment').spec.template.metadata.labels).toMatchObject({ app: 'shop', version: 'v2' });
  });

  test('exposeViaIngress renders a networking.k8s.io/v1 Ingress to the main Service port, with TLS', () => {
    const { c, app } = webApp();
    app.exposeViaIngress({ host: 'shop.example.com', className: 'nginx', tlsSecretName: 'shop-tls' });
    app.exposeViaIngress({ host: 'shop.example.com', path: '/api', pathType: PathType.EXACT, annotations: { 'example.com/owner': 'shop' } });
    const ingress = find(synth(c), 'Ingress');
    expect(ingress.metadata.annotations).toEqual({ 'example.com/owner': 'shop' });
    expect(ingress.metadata.name).toBe('web');
    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      rules: [{
        host: 'shop.example.com',
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } },
            { path: '/api', pathType: 'Exact', backend: { service: { name: 'web', port: { name: 'http' } } } },
          ],
        },
      }],
      tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }],
    });
  });

  test('waitFor adds a hardened, pinned init container', () => {
    const { c, app } = webApp();
    app.waitFor('db', 3306);
    const init = find(synth(c), 'Deployment').spec.template.spec.initContainers[0];
    expect(init).toMatchObject({ name: 'wait-for-db', image: 'busybox:1.36.1' });
    expect(init.command.join(' ')).toMatch(/nc -z -w 2 db 3306/);
    expect(init.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
  });
});

describe('WebApp network isolation (networkIsolation: false: only what isolate, allowFrom and allowTo ask for)', () => {
  test('the seeds\' rule in three lines: web may reach ap, ap may reach redis, web may not reach redis', () => {
    // GIVEN
    const c = chart('shop');
    const web = new WebApp(c, 'web', { networkIsolation: false, image: IMAGE, port: 8080 });
    const ap = new WebApp(c, 'ap', { networkIsolation: false, image: IMAGE, port: 2000 });
    const redis = new WebApp(c, 'redis', { networkIsolation: false, image: 'redis:7.4.1', ports: [{ containerPort: 6379, name: 'tcp-redis' }] });
    // WHEN
    ap.allowFrom(web);
    redis.allowFrom(ap);
    // THEN
    const docs = synth(c);
    const policy = (name: string) => find(docs, 'NetworkPolicy', name);
    expect(policy('redis').spec).toEqual({
      podSelector: { matchLabels: { app: 'redis' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'ap' } } }], ports: [{ port: 6379, protocol: 'TCP' }] }],
    });
    expect(policy('ap').spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 2000, protocol: 'TCP' }] }]);
    expect(policy('web')).toBeUndefined();
    expect(JSON.stringify(policy('redis'))).not.toMatch(/"app":"web"/);
    expect(docs).toMatchSnapshot();
  });

  test('isolate() alone denies all ingress', () => {
    const { c, app } = webApp({ networkIsolation: false });
    app.isolate();
    expect(find(synth(c), 'NetworkPolicy').spec).toEqual({ podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] });
  });

  test('egress isolation keeps DNS and allows declared peers; the peer app allows the ingress', () => {
    const c = chart('shop');
    const web = new WebApp(c, 'web', { networkIsolation: false, image: IMAGE, port: 8080 });
    const ap = new WebApp(c, 'ap', { networkIsolation: false, image: IMAGE, port: 2000 });
    web.allowTo(ap);
    web.allowTo(NetworkPeer.ipBlock('10.0.0.0/8', ['10.1.0.0/16']), 443);
    ap.isolate();
    const docs = synth(c);
    expect(find(docs, 'NetworkPolicy', 'web').spec).toEqual({
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Egress'],
      egress: [
        { to: [{ podSelector: { matchLabels: { app: 'ap' } } }], ports: [{ port: 2000, protocol: 'TCP' }] },
        { to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 443, protocol: 'TCP' }] },
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
        },
      ],
    });
    expect(find(docs, 'NetworkPolicy', 'ap').spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 2000, protocol: 'TCP' }] }]);
  });

  test('allowToIfEgressIsolated renders its rule only once egress is isolated, whenever that happens', () => {
    const c = chart('shop');
    const open = new WebApp(c, 'open', { networkIsolation: false, image: IMAGE, port: 8080 });
    const closed = new WebApp(c, 'closed', { networkIsolation: false, image: IMAGE, port: 8080 });
    const db = NetworkPeer.pods({ app: 'db' });
    open.allowToIfEgressIsolated(db, 3306);
    closed.allowToIfEgressIsolated(db, 3306);
    closed.isolate({ egress: true });
    const docs = synth(c);
    expect(find(docs, 'NetworkPolicy', 'open')).toBeUndefined();
    expect(find(docs, 'NetworkPolicy', 'closed').spec.egress[0]).toEqual({ to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 3306, protocol: 'TCP' }] });
  });

  test('peers in another namespace are selected by namespace label', () => {
    const app = Testing.app();
    const a = new WebApp(new Chart(app, 'a', { namespace: 'front' }), 'web', { networkIsolation: false, image: IMAGE, port: 8080 });
    const bChart = new Chart(app, 'b', { namespace: 'back' });
    const b = new WebApp(bChart, 'api', { networkIsolation: false, image: IMAGE, port: 8080 });
    b.allowFrom(a);
    b.allowFrom(NetworkPeer.namespace('monitoring'), 8080);
    expect(find(synth(bChart), 'NetworkPolicy').spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'front' } }, podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080, protocol: 'TCP' }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
  });
});

describe('quantities follow the Kubernetes grammar', () => {
  test.each([
    ['100m', 0.1], ['1', 1], ['0.5', 0.5], ['.5', 0.5], ['512Mi', 512 * 2 ** 20], ['1Gi', 2 ** 30], ['1e3', 1000], ['2k', 2000], ['1.5Gi', 1.5 * 2 ** 30],
  ])('%s parses', (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value);
  });
  test.each(['512mb', '100h', '1 Gi', 'Mi', '1.2.3', '', '1KiB', '10%'])('%s is rejected', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });
});

describe('WebApp: workload kind, update strategy, hostname and workingDir', () => {
  const claim = { name: 'data', storage: '10Gi', storageClassName: 'fast-ssd', labels: { tier: 'db' } };

  test('workloadKind STATEFUL_SET renders a StatefulSet: RollingUpdate updateStrategy, the headless governing Service as serviceName, claim templates, the HPA pointed at it', () => {
    const { c, app } = webApp({ workloadKind: WorkloadKind.STATEFUL_SET, volumeClaimTemplates: [claim], autoscaling: { maxReplicas: 4 } });
    app.addVolumeMount('data', { mountPath: '/data' });
    const docs = synth(c);
    expect(find(docs, 'Deployment')).toBeUndefined();
    const sts = find(docs, 'StatefulSet', 'web');
    expect(sts.apiVersion).toBe('apps/v1');
    expect(sts.spec.strategy).toBeUndefined();
    expect(sts.spec.updateStrategy).toEqual({ type: 'RollingUpdate' });
    expect(sts.spec.serviceName).toBe('web-headless');
    expect(sts.spec.minReadySeconds).toBe(5);
    expect(sts.spec.revisionHistoryLimit).toBe(5);
    expect(sts.spec.volumeClaimTemplates).toEqual([{
      metadata: { name: 'data', labels: { tier: 'db' } },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast-ssd', resources: { requests: { storage: '10Gi' } } },
    }]);
    expect(sts.spec.template.spec.containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
    expect(find(docs, 'HorizontalPodAutoscaler').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web' });
    expect(app.workloadKind).toBe(WorkloadKind.STATEFUL_SET);
    expect(app.workload.kind).toBe('StatefulSet');
    expect(app.deployment).toBe(app.workload);
  });

  test('a StatefulSet without a Service has no serviceName, and without claim templates no volumeClaimTemplates', () => {
    const { c } = webApp({ workloadKind: WorkloadKind.STATEFUL_SET, port: undefined, createService: false });
    const sts = find(synth(c), 'StatefulSet');
    expect(sts.spec.serviceName).toBeUndefined();
    expect(sts.spec.volumeClaimTemplates).toBeUndefined();
  });

  test('the default is a Deployment with a RollingUpdate strategy', () => {
    const { c, app } = webApp();
    expect(app.workloadKind).toBe(WorkloadKind.DEPLOYMENT);
    expect(app.workload).toBe(app.deployment);
    expect(find(synth(c), 'Deployment').spec.strategy.type).toBe('RollingUpdate');
  });

  test('the duplicate-object rule keys on the real kind: a StatefulSet and a Deployment of one name are two objects', () => {
    const c = chart();
    const worker = (id: string, appLabel: string, workloadKind?: WorkloadKind) =>
      new WebApp(c, id, { name: 'db', networkIsolation: false, image: IMAGE, createService: false, replicas: 1, appLabel, workloadKind });
    worker('a', 'db-a', WorkloadKind.STATEFUL_SET);
    worker('b', 'db-b');
    expect(validate(c)).not.toThrow();
    worker('c', 'db-c', WorkloadKind.STATEFUL_SET);
    expect(validate(c)).toThrow(/duplicate object: StatefulSet 'db' \(no namespace\) is rendered by both 'test\/a\/[^']*' and 'test\/c\/[^']*'/);
  });

  test('updateStrategy RECREATE: strategy Recreate (old pods stop first)', () => {
    const { c } = webApp({ updateStrategy: UpdateStrategy.RECREATE });
    expect(find(synth(c), 'Deployment').spec.strategy).toEqual({ type: 'Recreate' });
  });

  test('hostname is the pod\'s spec.hostname; workingDir the app container\'s', () => {
    const { c } = webApp({ hostname: 'pg-main', workingDir: '/srv/app' });
    const pod = find(synth(c), 'Deployment').spec.template.spec;
    expect(pod.hostname).toBe('pg-main');
    expect(pod.containers[0].workingDir).toBe('/srv/app');
  });

  test('claim template names are taken: a writable path\'s emptyDir gets another name, addVolume refuses one', () => {
    const { c, app } = webApp({ workloadKind: WorkloadKind.STATEFUL_SET, volumeClaimTemplates: [{ name: 'tmp', storage: '1Gi' }] });
    expect(find(synth(c), 'StatefulSet').spec.template.spec.volumes).toEqual([{ name: 'tmp-2', emptyDir: { sizeLimit: '1Gi' } }]);
    expect(() => app.addVolume({ name: 'tmp', emptyDir: {} }, { mountPath: '/scratch' })).toThrow(/WebApp 'web': volume 'tmp' already exists/);
  });

  const make = (props: Partial<WebAppProps>) => () => webApp(props);

  test('fails if volumeClaimTemplates are given to a Deployment', () => {
    expect(make({ volumeClaimTemplates: [claim] })).toThrow(
      /WebApp 'web': volumeClaimTemplates is set but workloadKind is Deployment, whose pods would all share one claim; set workloadKind: WorkloadKind.STATEFUL_SET/);
  });

  test('fails if a claim template has a bad name, storage or access mode, or two share a name', () => {
    const sts = (t: object) => make({ workloadKind: WorkloadKind.STATEFUL_SET, volumeClaimTemplates: [{ ...claim, ...t }] });
    expect(sts({ name: 'Data' })).toThrow(/volumeClaimTemplates\[0\].name 'Data' is not a DNS-1123 label/);
    expect(sts({ storage: '10 GB' })).toThrow(/volumeClaimTemplates\[0\].storage '10 GB' is not a Kubernetes quantity/);
    expect(sts({ storage: '0' })).toThrow(/volumeClaimTemplates\[0\].storage '0' is not positive/);
    expect(sts({ accessModes: [] })).toThrow(/volumeClaimTemplates\[0\].accessModes \[\] is empty/);
    expect(sts({ accessModes: ['ReadWriteSome'] })).toThrow(/volumeClaimTemplates\[0\].accessModes\[0\] 'ReadWriteSome' is not an access mode/);
    expect(sts({ accessModes: [VolumeAccessMode.READ_WRITE_ONCE_POD, VolumeAccessMode.READ_ONLY_MANY] })).toThrow(/combines ReadWriteOncePod with other modes/);
    expect(sts({ storageClassName: 'Fast_SSD' })).toThrow(/volumeClaimTemplates\[0\].storageClassName 'Fast_SSD' is not a DNS-1123 subdomain/);
    expect(make({ workloadKind: WorkloadKind.STATEFUL_SET, volumeClaimTemplates: [claim, claim] }))
      .toThrow(/volumeClaimTemplates name 'data' is used twice; give every claim template a unique name/);
  });

  test('fails if hostname is not a DNS-1123 label, or is set on a StatefulSet', () => {
    expect(make({ hostname: 'pg.main' })).toThrow(/WebApp 'web': hostname 'pg.main' is not a DNS-1123 label; use at most 63 lowercase letters/);
    expect(make({ hostname: 'PG' })).toThrow(/hostname 'PG' is not a DNS-1123 label/);
    expect(make({ hostname: 'pg', workloadKind: WorkloadKind.STATEFUL_SET })).toThrow(/hostname 'pg' is set but workloadKind is StatefulSet, whose controller sets each pod's hostname/);
  });

  test('fails if workingDir is not an absolute path', () => {
    expect(make({ workingDir: 'srv' })).toThrow(/WebApp 'web': workingDir 'srv' is not an absolute path; use an absolute path such as '\/srv'/);
    expect(make({ workingDir: '' })).toThrow(/workingDir '' is not an absolute path/);
  });

  test('fails if Recreate is asked of a StatefulSet, or maxSurge of a workload that does not surge, or a kind or strategy is unknown', () => {
    expect(make({ updateStrategy: UpdateStrategy.RECREATE, workloadKind: WorkloadKind.STATEFUL_SET }))
      .toThrow(/updateStrategy Recreate is set but workloadKind is StatefulSet, which always replaces its pods one at a time/);
    expect(make({ updateStrategy: UpdateStrategy.RECREATE, maxSurge: 1 })).toThrow(/maxSurge 1 is set but updateStrategy is Recreate, which stops the old pods first; remove maxSurge/);
    expect(make({ workloadKind: WorkloadKind.STATEFUL_SET, maxSurge: '50%' })).toThrow(/maxSurge '50%' is set but workloadKind is StatefulSet/);
    expect(make({ workloadKind: 'DaemonSet' as WorkloadKind })).toThrow(/workloadKind 'DaemonSet' is not a workload kind/);
    expect(make({ updateStrategy: 'OnDelete' as UpdateStrategy })).toThrow(/updateStrategy 'OnDelete' is not an update strategy/);
  });

  test('the errors name the prop', () => {
    const propOf = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as ValidationError).prop;
      }
      return 'no error';
    };
    expect(propOf(make({ volumeClaimTemplates: [claim] }))).toBe('volumeClaimTemplates');
    expect(propOf(make({ workloadKind: WorkloadKind.STATEFUL_SET, volumeClaimTemplates: [{ ...claim, storage: 'x' }] }))).toBe('volumeClaimTemplates');
    expect(propOf(make({ hostname: 'a.b' }))).toBe('hostname');
    expect(propOf(make({ workingDir: 'srv' }))).toBe('workingDir');
    expect(propOf(make({ updateStrategy: UpdateStrategy.RECREATE, maxSurge: 1 }))).toBe('maxSurge');
  });
});

describe('WebApp errors are ValidationErrors', () => {
  const caught = (f: () => unknown): ValidationError => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      return e as ValidationError;
    }
    throw new Error('no error thrown');
  };

  test('fail() throws one carrying owner, problem, fix and prop, with the message <owner>: <problem>; <fix>', () => {
    const e = caught(() => fail('WebApp \'shop\'', 'port 70000 is outside 1-65535', 'use a port between 1 and 65535', 'ports'));
    expect(e).toBeInstanceOf(Error);
    expect(e.message).toBe('WebApp \'shop\': port 70000 is outside 1-65535; use a port between 1 and 65535');
    expect({ owner: e.owner, problem: e.problem, fix: e.fix, prop: e.prop }).toEqual({
      owner: 'WebApp \'shop\'', problem: 'port 70000 is outside 1-65535', fix: 'use a port between 1 and 65535', prop: 'ports',
    });
    expect(caught(() => fail('o', 'p', 'f')).prop).toBeUndefined();
  });

  test('WebApp names the top-level prop a check concerns, and none when a check concerns several', () => {
    const image = caught(() => webApp({ image: 'nginx' }));
    expect(image.prop).toBe('image');
    expect(image.owner).toBe('WebApp \'web\'');
    expect(image.message).toBe(`${image.owner}: ${image.problem}; ${image.fix}`);
    expect(caught(() => webApp({ port: 70000 })).prop).toBe('port');
    expect(caught(() => webApp({ port: undefined, ports: [{ containerPort: 70000 }] })).prop).toBe('ports');
    expect(caught(() => webApp({ runAsUser: 0 })).prop).toBe('runAsUser');
    expect(caught(() => webApp({ env: { '1BAD': 'x' } })).prop).toBe('env');
    expect(caught(() => webApp({ resources: { memory: { request: '1Gi', limit: '512Mi' } } })).prop).toBe('resources');
    expect(caught(() => webApp({ readiness: Probe.httpGet('healthz') })).prop).toBe('readiness');
    expect(caught(() => webApp({ podAnnotations: { '/x': 'y' } })).prop).toBe('podAnnotations');
    // Checks across props name none.
    expect(caught(() => webApp({ port: undefined })).prop).toBeUndefined();
    expect(caught(() => webApp({ port: undefined, ports: [{ containerPort: 8080 }, { containerPort: 8080, name: 'b' }] })).prop).toBeUndefined();
  });
});

describe('WebApp bad input', () => {
  const make = (props: Partial<WebAppProps>, id = 'web') => () => webApp(props, id);

  test('fails if the name is not a DNS-1035 label', () => {
    expect(make({ name: '1shop' })).toThrow(/WebApp '1shop': name '1shop' is not a DNS-1035 label; use at most 63/);
    expect(make({ name: 'Shop' })).toThrow(/name 'Shop' is not a DNS-1035 label/);
    expect(make({ name: 'a'.repeat(64) })).toThrow(/is not a DNS-1035 label/);
  });

  test('fails if a port is outside 1-65535', () => {
    expect(make({ port: 70000 })).toThrow(/WebApp 'web': port 70000 is outside 1-65535; use a port between 1 and 65535/);
    expect(make({ port: 0 })).toThrow(/outside 1-65535/);
    expect(make({ port: undefined, ports: [{ containerPort: 8080, servicePort: 65536 }] })).toThrow(/servicePort 65536 is outside 1-65535/);
  });

  test('fails if port names are duplicated', () => {
    expect(make({ port: undefined, ports: [{ containerPort: 8080, name: 'http' }, { containerPort: 8081, name: 'http' }] }))
      .toThrow(/port name 'http' is used twice; give every port a unique name/);
  });

  test('fails if port numbers are duplicated', () => {
    expect(make({ port: undefined, ports: [{ containerPort: 8080 }, { containerPort: 8080, name: 'admin' }] }))
      .toThrow(/container port 8080\/TCP is declared twice/);
  });

  test('fails if a port name is not an IANA service name', () => {
    expect(make({ port: undefined, ports: [{ containerPort: 8080, name: 'HTTP_main' }] })).toThrow(/ports\[0\].name 'HTTP_main' is not a valid port name/);
  });

  test('fails if nodePort is outside 30000-32767', () => {
    expect(make({ serviceType: ServiceType.NODE_PORT, port: undefined, ports: [{ containerPort: 8080, nodePort: 8080 }] }))
      .toThrow(/ports\[0\].nodePort 8080 is outside 30000-32767; use a node port between 30000 and 32767/);
  });

  test('fails if nodePort is set on a ClusterIP Service', () => {
    expect(make({ port: undefined, ports: [{ containerPort: 8080, nodePort: 30080 }] })).toThrow(/nodePort 30080 is set but serviceType is ClusterIP/);
  });

  test('fails if replicas is negative', () => {
    expect(make({ replicas: -1 })).toThrow(/WebApp 'web': replicas -1 is not an integer >= 0/);
  });

  test('fails if replicas and autoscaling are both set', () => {
    expect(make({ replicas: 3, autoscaling: { maxReplicas: 5 } })).toThrow(/replicas 3 and autoscaling are both set/);
  });

  test('fails if HPA min > max', () => {
    expect(make({ autoscaling: { minReplicas: 5, maxReplicas: 3 } }))
      .toThrow(/autoscaling.minReplicas 5 is greater than autoscaling.maxReplicas 3; raise maxReplicas or lower minReplicas/);
  });

  test('fails if HPA min < 1', () => {
    expect(make({ autoscaling: { minReplicas: 0, maxReplicas: 3 } })).toThrow(/autoscaling.minReplicas 0 is not an integer >= 1/);
  });

  test('fails if the PodDisruptionBudget can never be satisfied', () => {
    expect(make({ replicas: 2, disruptionBudget: DisruptionBudget.minAvailable(2) }))
      .toThrow(/disruptionBudget minAvailable 2 can never be satisfied with 2 replica\(s\).*use minAvailable\(1\)/);
    expect(make({ autoscaling: { minReplicas: 3, maxReplicas: 6 }, disruptionBudget: DisruptionBudget.minAvailable(3) }))
      .toThrow(/minAvailable 3 can never be satisfied with 3 replica/);
    expect(make({ disruptionBudget: DisruptionBudget.minAvailable('100%') })).toThrow(/minAvailable '100%' can never be satisfied/);
    expect(make({ disruptionBudget: DisruptionBudget.maxUnavailable(0) })).toThrow(/maxUnavailable 0 blocks every drain forever/);
  });

  test('fails if the image has no tag', () => {
    expect(make({ image: 'hashicorp/http-echo' }))
      .toThrow(/image 'hashicorp\/http-echo' has no tag; pin a version tag or digest .* or set allowMutableImageTag: true/);
  });

  test('fails if the image is not a valid reference (the kubelet would fail with InvalidImageName)', () => {
    expect(make({ image: 'sample-DB:1.0' })).toThrow(/WebApp 'web': image 'sample-DB:1.0' is not a valid image reference \(the kubelet would fail with InvalidImageName\); repository paths are lowercase: use 'sample-db:1.0'/);
    expect(make({ image: 'Registry.Example.com:5000/Team/App:1.0' })).toThrow(/repository paths are lowercase: use 'Registry.Example.com:5000\/team\/app:1.0'/);
    expect(make({ image: 'nginx@sha256:abc' })).toThrow(/image 'nginx@sha256:abc' is not a valid image reference.*use \[registry\[:port\]\/\]path\[:tag\]\[@sha256:<64 hex digits>\]/);
    expect(make({ image: 'nginx:1.27.3!' })).toThrow(/is not a valid image reference/);
    for (const ok of ['localhost:5000/team/app:1.0', 'registry.example.com/a/b/c:v1.2_3-x', 'nginx:1.27.3-alpine', 'a__b.c-d/e:1']) expect(make({ image: ok })).not.toThrow();
  });

  test('fails if the image uses latest, unless allowMutableImageTag', () => {
    expect(make({ image: 'nginx:latest' })).toThrow(/image 'nginx:latest' uses the mutable tag 'latest'/);
    expect(make({ image: 'nginx:latest', allowMutableImageTag: true })).not.toThrow();
    expect(make({ image: 'registry.example.com:5000/nginx' })).toThrow(/has no tag/);
    expect(make({ image: 'nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' })).not.toThrow();
  });

  test('fails if an env var name is invalid', () => {
    expect(make({ env: { '1BAD': 'x' } })).toThrow(/env var name '1BAD' is invalid/);
    expect(make({ env: { 'A=B': 'x' } })).toThrow(/env var name 'A=B' is invalid/);
  });

  test('fails if an env var is set twice', () => {
    const { app } = webApp({ env: { A: 'x' } });
    expect(() => app.addEnv('A', 'y')).toThrow(/env var 'A' is already set/);
  });

  test('fails if a writable path is relative', () => {
    expect(make({ writablePaths: ['tmp'] })).toThrow(/writablePaths entry 'tmp' is not an absolute path; use '\/tmp'/);
  });

  test('fails if a writable path is listed twice', () => {
    expect(make({ writablePaths: ['/tmp', '/tmp/'] })).toThrow(/writablePaths entry '\/tmp\/' is listed twice/);
  });

  test('fails if a probe path does not start with /', () => {
    expect(make({ readiness: Probe.httpGet('healthz') })).toThrow(/readiness path 'healthz' does not start with '\/'; use an absolute path such as '\/healthz'/);
    expect(make({ liveness: Probe.httpGet('livez') })).toThrow(/liveness path 'livez'/);
  });

  test('fails if a request is greater than its limit', () => {
    expect(make({ resources: { memory: { request: '1Gi', limit: '512Mi' } } }))
      .toThrow(/resources.memory.request '1Gi' is greater than its limit '512Mi'/);
    expect(make({ resources: { cpu: { request: '2' } } })).toThrow(/resources.cpu.request '2' is greater than its limit '1'/);
  });

  test('fails if a quantity is malformed', () => {
    expect(make({ resources: { memory: { request: '512mb' } } }))
      .toThrow(/resources.memory.request '512mb' is not a Kubernetes quantity; use a number with an optional suffix/);
    expect(make({ resources: { cpu: { limit: '100h' } } })).toThrow(/resources.cpu.limit '100h' is not a Kubernetes quantity/);
  });

  test('fails if an app without ports does not say it needs no Service', () => {
    expect(make({ port: undefined })).toThrow(/has no ports, so no Service can be rendered; set port .* or createService: false/);
  });

  test('fails if runAsUser is root without the relaxation', () => {
    expect(make({ runAsUser: 0 })).toThrow(/runAsUser 0 is root; use a numeric uid above 10000, or set allowRunAsRoot: true/);
  });

  test('fails if the ingress host is not a DNS name', () => {
    const { app } = webApp();
    expect(() => app.exposeViaIngress({ host: 'Shop.Example.com' })).toThrow(/ingress host 'Shop.Example.com' is not a DNS name/);
    expect(() => app.exposeViaIngress({ path: 'api' })).toThrow(/ingress path 'api' does not start with '\/'/);
  });

  test('fails if a load balancer source range is not a CIDR', () => {
    expect(make({ serviceType: ServiceType.LOAD_BALANCER, loadBalancerSourceRanges: ['10.0.0.300/8'] }))
      .toThrow(/loadBalancerSourceRanges\[0\] '10.0.0.300\/8' is not a CIDR/);
  });

  test('fails if a duration is not a whole number of seconds (named, not cdk8s\'s bare conversion error)', () => {
    expect(make({ readiness: Probe.httpGet('/healthz', { period: Duration.millis(1500) }) }))
      .toThrow(/WebApp 'web': readiness period 1 second 500 millis \(1.5s\) is not a whole number of seconds >= 1; use whole seconds, e.g. Duration.seconds\(2\)/);
    expect(make({ preStopSleep: Duration.millis(500) })).toThrow(/WebApp 'web': preStopSleep .* \(0.5s\) is not a whole number of seconds >= 0/);
    expect(make({ minReady: Duration.millis(2500) })).toThrow(/WebApp 'web': minReady .* \(2.5s\) is not a whole number of seconds/);
    expect(make({ terminationGracePeriod: Duration.millis(30500) })).toThrow(/WebApp 'web': terminationGracePeriod .* \(30.5s\)/);
  });

  test('fails if preStopSleep is not shorter than the grace period', () => {
    expect(make({ preStopSleep: Duration.seconds(30) })).toThrow(/preStopSleep 30s is not shorter than terminationGracePeriod 30s/);
  });
});

/** Runs every construct's synth-time validation (what `npm run synth` does). */
const validate = (c: Chart) => () => (c.node.root as App).synth();
const container = (c: Chart, name = 'web') => find(synth(c), 'Deployment', name).spec.template.spec.containers[0];

describe('WebApp: sidecar ports and isolation', () => {
  test('allowFrom opens the metrics exporter\'s port by number, and every pod port (sidecars included) by default', () => {
    // GIVEN an nginx app with the exporter sidecar on 9113
    const c = chart('shop');
    const w = new WebApp(c, 'w', { image: 'nginx:1.27.0', port: 8080, metricsExporter: MetricsExporter.NGINX });
    // WHEN Prometheus may scrape 9113 and the ingress controller may reach every port
    w.allowFrom(NetworkPeer.namespace('monitoring'), 9113);
    w.allowFrom(NetworkPeer.namespace('ingress-nginx'));
    // THEN the scrape port named by the annotations is open
    const docs = synth(c);
    const ns = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
    expect(find(docs, 'NetworkPolicy').spec.ingress).toEqual([
      { from: [ns('monitoring')], ports: [{ port: 9113, protocol: 'TCP' }] },
      { from: [ns('ingress-nginx')], ports: [{ port: 8080, protocol: 'TCP' }, { port: 9113, protocol: 'TCP' }] },
    ]);
    expect(find(docs, 'Deployment').spec.template.metadata.annotations['prometheus.io/port']).toBe('9113');
  });

  test('fails if allowFrom names a port no container of the pod declares', () => {
    const w = new WebApp(chart(), 'w', { image: 'nginx:1.27.0', port: 8080, metricsExporter: MetricsExporter.NGINX });
    expect(() => w.allowFrom(NetworkPeer.namespace('monitoring'), 9000))
      .toThrow(/WebApp 'w': network policy port 9000 is not a container port \(8080, 9113\); name one of the pod's container ports/);
  });

  test('fails at synth if isolate() denies all ingress to an app exposed through exposeViaIngress', () => {
    const { c, app } = webApp({ networkIsolation: false });
    app.isolate();
    app.exposeViaIngress({ host: 'a.example.com' });
    expect(validate(c)).toThrow(/WebApp 'web': isolate\(\) denies all ingress but the app is exposed through Ingress 'web' \(exposeViaIngress\), so the Ingress controller could never reach the pods \(502s or timeouts\); allow them with allowFrom\(NetworkPeer.namespace\('<your ingress controller namespace>'\)\)/);
  });

  test('fails at synth if isolate({ egress: true }) (which isolates ingress too) leaves a NodePort or LoadBalancer Service unreachable', () => {
    const nodePort = webApp({ networkIsolation: false, serviceType: ServiceType.NODE_PORT });
    nodePort.app.isolate({ egress: true });
    expect(validate(nodePort.c)).toThrow(/isolate\(\) denies all ingress but the app is exposed through a NodePort Service.*allowFrom\(NetworkPeer.ipBlock\('<client CIDR>'\)\)/);
    const lb = webApp({ networkIsolation: false, serviceType: ServiceType.LOAD_BALANCER });
    lb.app.isolate();
    expect(validate(lb.c)).toThrow(/exposed through a LoadBalancer Service/);
  });

  test('an isolated app may be exposed once some ingress peer is allowed, or when only egress is isolated', () => {
    const a = webApp({ networkIsolation: false });
    a.app.isolate();
    a.app.exposeViaIngress({ host: 'a.example.com' });
    a.app.allowFrom(NetworkPeer.namespace('ingress-nginx'));
    expect(validate(a.c)).not.toThrow();
    const b = webApp({ networkIsolation: false, serviceType: ServiceType.NODE_PORT });
    b.app.isolate({ ingress: false, egress: true });
    b.app.exposeViaIngress({ host: 'b.example.com' });
    expect(validate(b.c)).not.toThrow();
  });
});

describe('WebApp: rollout and disruption settings the cluster would refuse', () => {
  const make = (props: Partial<WebAppProps>) => () => webApp(props);

  test('fails if a percentage PodDisruptionBudget rounds up to every replica (Kubernetes rounds minAvailable up)', () => {
    expect(make({ replicas: 1, disruptionBudget: DisruptionBudget.minAvailable('50%') }))
      .toThrow(/WebApp 'web': disruptionBudget minAvailable '50%' can never be satisfied with 1 replica\(s\): Kubernetes rounds 50% of 1 up to 1, so no pod could ever be evicted; use maxUnavailable\(1\), or run more replicas/);
    expect(make({ replicas: 2, disruptionBudget: DisruptionBudget.minAvailable('60%') }))
      .toThrow(/minAvailable '60%' can never be satisfied with 2 replica\(s\).*use minAvailable\('50%'\) or less, use maxUnavailable\(1\)/);
    expect(make({ autoscaling: { minReplicas: 3, maxReplicas: 6 }, disruptionBudget: DisruptionBudget.minAvailable('67%') }))
      .toThrow(/rounds 67% of 3 up to 3/);
    expect(make({ disruptionBudget: DisruptionBudget.maxUnavailable('0%') })).toThrow(/maxUnavailable '0%' blocks every drain forever/);
    expect(make({ replicas: 2, disruptionBudget: DisruptionBudget.minAvailable('50%') })).not.toThrow();
    expect(make({ autoscaling: { minReplicas: 3, maxReplicas: 6 }, disruptionBudget: DisruptionBudget.minAvailable('66%') })).not.toThrow();
  });

  test('fails if maxSurge is 0 (maxUnavailable is always 0) or not a non-negative integer or percentage', () => {
    expect(make({ maxSurge: 0 })).toThrow(/WebApp 'web': maxSurge 0 leaves no room for a new pod: maxUnavailable is always 0, and the apiserver rejects a Deployment with both 0; use maxSurge 1 or a percentage such as '25%'/);
    expect(make({ maxSurge: '0%' })).toThrow(/maxSurge '0%' leaves no room for a new pod/);
    for (const bad of [-1, 1.5, 'abc', '25', '-5%']) {
      expect(make({ maxSurge: bad })).toThrow(/maxSurge .* is not a non-negative integer or a percentage; use e.g. 1 or '25%'/);
    }
  });

  test('maxSurge accepts integers and percentages, rendered as given', () => {
    for (const ok of [1, 3, '25%', '100%', '150%']) {
      const { c } = webApp({ maxSurge: ok });
      expect(find(synth(c), 'Deployment').spec.strategy.rollingUpdate).toEqual({ maxSurge: ok, maxUnavailable: 0 });
    }
  });

  test('fails if minReady is not shorter than the default progressDeadlineSeconds (600)', () => {
    expect(make({ minReady: Duration.minutes(15) }))
      .toThrow(/WebApp 'web': minReady 900s is not shorter than the Deployment's progressDeadlineSeconds \(600s\), which the apiserver requires; use a minReady below Duration.minutes\(10\)/);
    expect(make({ minReady: Duration.minutes(10) })).toThrow(/minReady 600s/);
    expect(make({ minReady: Duration.seconds(599) })).not.toThrow();
  });

  test('fails if the HPA\'s Pods metric has no name or a non-positive target, or scale-down waits more than an hour', () => {
    const metric = (name: string, averageValue: string) => make({ autoscaling: { maxReplicas: 4, podsMetric: { name, averageValue } } });
    expect(metric('', '100')).toThrow(/WebApp 'web': autoscaling.podsMetric.name '' is not a metric name; give the name the custom metrics API serves/);
    expect(metric('requests/s', '100')).toThrow(/podsMetric.name 'requests\/s' is not a metric name/);
    expect(metric('rps', '0')).toThrow(/autoscaling.podsMetric.averageValue '0' is not positive/);
    expect(metric('rps', '-1')).toThrow(/averageValue '-1' is negative/);
    expect(make({ autoscaling: { maxReplicas: 4, scaleDownStabilization: Duration.hours(2) } }))
      .toThrow(/autoscaling.scaleDownStabilization 7200s is longer than one hour, Kubernetes' limit; use at most Duration.hours\(1\)/);
    const { c } = webApp({ autoscaling: { maxReplicas: 4, scaleDownStabilization: Duration.hours(1) } });
    expect(find(synth(c), 'HorizontalPodAutoscaler').spec.behavior).toEqual({ scaleDown: { stabilizationWindowSeconds: 3600 } });
  });
});

describe('WebApp: probes check their ports', () => {
  const make = (props: Partial<WebAppProps>) => () => webApp(props);

  test('fails if a probe names a port the container does not declare', () => {
    expect(make({ liveness: Probe.httpGet('/l', { port: 'admin' }) }))
      .toThrow(/WebApp 'web': liveness port 'admin' is not a port of the container \(http\); name one of the container's ports, or give a port number/);
    expect(make({ readiness: Probe.tcp({ port: 'HTTP' }) })).toThrow(/readiness port 'HTTP' is not a port of the container/);
    expect(make({ port: undefined, createService: false, readiness: Probe.tcp({ port: 'http' }) })).toThrow(/readiness port 'http' is not a port of the container \(it declares none\)/);
    // a port number the container does not list is legal (e.g. an undeclared admin port)
    expect(make({ liveness: Probe.httpGet('/l', { port: 9901 }) })).not.toThrow();
  });

  test('gRPC probes render the port number (grpc.port is an int32), by default the main port', () => {
    const { c } = webApp({
      port: undefined,
      ports: [{ containerPort: 8080, name: 'grpc' }, { containerPort: 9090, name: 'grpc-admin' }],
      readiness: Probe.grpc(),
      liveness: Probe.grpc({ port: 'grpc-admin', service: 'health' }),
      startup: Probe.grpc({ port: 7000 }),
    });
    const probes = container(c);
    expect(probes.readinessProbe).toEqual({ grpc: { port: 8080 } });
    expect(probes.livenessProbe).toEqual({ grpc: { port: 9090, service: 'health' } });
    expect(probes.startupProbe).toEqual({ grpc: { port: 7000 } });
  });

  test('fails at synth if a UDP main port keeps the default TCP readiness probe', () => {
    const { c } = webApp({ port: undefined, ports: [{ containerPort: 5353, name: 'dns', protocol: Protocol.UDP }] });
    expect(validate(c)).toThrow(/WebApp 'web': readiness defaults to a TCP probe on the main port 'dns', which is 5353\/UDP: it could never pass, so no pod would become Ready; set readiness explicitly, e.g. Probe.exec/);
    const ok = webApp({ port: undefined, ports: [{ containerPort: 5353, name: 'dns', protocol: Protocol.UDP }], readiness: Probe.exec(['dig', '@127.0.0.1', 'health.local']) });
    expect(validate(ok.c)).not.toThrow();
  });

  test('fails if a probe names a UDP or SCTP port (probes connect over TCP)', () => {
    expect(make({ port: undefined, ports: [{ containerPort: 5353, name: 'dns', protocol: Protocol.UDP }], readiness: Probe.exec(['true']), liveness: Probe.tcp() }))
      .toThrow(/liveness port 'dns' is a UDP port, but tcpSocket probes connect over TCP; probe a TCP port, or use Probe.exec/);
    expect(make({ port: undefined, ports: [{ containerPort: 8080 }, { containerPort: 3868, name: 'diameter', protocol: Protocol.SCTP }], liveness: Probe.httpGet('/', { port: 'diameter' }) }))
      .toThrow(/liveness port 'diameter' is an SCTP port, but httpGet probes connect over TCP/);
  });
});

describe('WebApp: resources and defaults', () => {
  test('a resource field given as undefined keeps the default (an unset process.env value erases nothing)', () => {
    const { c } = webApp({ resources: { cpu: { request: undefined, limit: null } } });
    expect(container(c).resources).toEqual({ requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '128Mi' }, limits: { memory: '256Mi', 'ephemeral-storage': '1Gi' } });
  });

  test('per-chart and per-scope defaults still merge field by field, nearest scope winning, undefined ignored', () => {
    // GIVEN chart-wide CPU, a nested scope's memory and user, and an app override of one field
    const c = chart();
    WebAppDefaults.set(c, { resources: { cpu: { request: '50m', limit: null } }, runAsUser: 20000 });
    const team = new Construct(c, 'team');
    WebAppDefaults.set(team, { resources: { memory: { limit: '512Mi' }, cpu: { request: undefined } }, runAsUser: undefined });
    // WHEN
    new WebApp(team, 'a', { image: IMAGE, port: 5678, resources: { cpu: { request: '200m', limit: undefined } } });
    // THEN
    const a = container(c, 'a');
    expect(a.resources).toEqual({ requests: { cpu: '200m', memory: '128Mi', 'ephemeral-storage': '128Mi' }, limits: { memory: '512Mi', 'ephemeral-storage': '1Gi' } });
    expect(a.securityContext.runAsUser).toBe(20000);
  });

  test('WebAppDefaults.set twice on one scope merges into the first call (the later call wins per field)', () => {
    const c = chart();
    WebAppDefaults.set(c, { resources: { cpu: { limit: null } } });
    WebAppDefaults.set(c, { runAsUser: 20000 });
    WebAppDefaults.set(c, { resources: { memory: { request: '64Mi' } } });
    expect(WebAppDefaults.of(c)).toEqual({ resources: { cpu: { limit: null }, memory: { request: '64Mi' } }, runAsUser: 20000 });
    new WebApp(c, 'web', { image: IMAGE, port: 5678 });
    const web = container(c);
    expect(web.resources).toEqual({ requests: { cpu: '100m', memory: '64Mi', 'ephemeral-storage': '128Mi' }, limits: { memory: '256Mi', 'ephemeral-storage': '1Gi' } });
    expect(web.securityContext.runAsUser).toBe(20000);
  });

  test('numeric quantities from JavaScript callers are rendered as quantity strings', () => {
    const { c } = webApp({ resources: { cpu: { request: 0.5, limit: 2 }, memory: { request: 1e8 } } as any });
    expect(container(c).resources).toEqual({ requests: { cpu: '0.5', memory: '100000000', 'ephemeral-storage': '128Mi' }, limits: { cpu: '2', memory: '256Mi', 'ephemeral-storage': '1Gi' } });
  });

  test('fails if a quantity is neither a string nor a finite number (never a TypeError)', () => {
    expect(() => webApp({ resources: { cpu: { request: true } } as any })).toThrow(/WebApp 'web': resources.cpu.request true is not a Kubernetes quantity; use a string such as '250m' or '1'/);
    expect(() => webApp({ resources: { memory: { limit: NaN } } as any })).toThrow(/resources.memory.limit NaN is not a Kubernetes quantity; use a string such as '512Mi'/);
    expect(() => webApp({ resources: { cpu: { request: -1 } } as any })).toThrow(/resources.cpu.request '-1' is negative/);
  });
});

describe('WebApp: env from JavaScript callers', () => {
  test('numbers and booleans become strings', () => {
    const { c, app } = webApp({ env: { PORT: 8080, DEBUG: false } as any });
    app.addEnv('RATIO', 0.5 as any);
    expect(container(c).env).toEqual([{ name: 'PORT', value: '8080' }, { name: 'DEBUG', value: 'false' }, { name: 'RATIO', value: '0.5' }]);
  });

  test('fails if an env value is neither a string, a number, a boolean nor an EnvValue', () => {
    expect(() => webApp({ env: { API_URL: undefined } as any }))
      .toThrow(/WebApp 'web': env API_URL value undefined is not a string or an EnvValue; give a string \(e.g. '8080'\), or EnvValue.fromSecret\(...\), fromConfigMap\(...\) or fromFieldPath\(...\) \(is it read from an unset process.env variable\?\)/);
    expect(() => webApp({ env: { X: { value: 'a' } } as any })).toThrow(/env X value \{"value":"a"\} is not a string or an EnvValue/);
    expect(() => webApp({ env: { X: NaN } as any })).toThrow(/env X value NaN is not a string/);
    const { app } = webApp();
    expect(() => app.waitFor('db', 3306)).not.toThrow();
    expect(() => app.addInitContainer({ name: 'init', image: IMAGE, env: { N: null } as any })).toThrow(/env N value null is not a string or an EnvValue/);
  });
});

describe('WebApp: references the apiserver would reject', () => {
  const make = (props: Partial<WebAppProps>) => () => webApp(props);

  test('fails if an env Secret or ConfigMap name is not a DNS-1123 subdomain, or a key is invalid', () => {
    expect(make({ env: { DB_PASSWORD: EnvValue.fromSecret('DB_CREDENTIALS', 'password') } }))
      .toThrow(/WebApp 'web': env DB_PASSWORD Secret name 'DB_CREDENTIALS' is not a DNS-1123 subdomain \(the apiserver would reject it\); use at most 253 lowercase letters, digits, '-' and '.'/);
    expect(make({ env: { A: EnvValue.fromSecret('s', 'a/b') } })).toThrow(/env A Secret key 'a\/b' is not a valid Secret\/ConfigMap key/);
    expect(make({ env: { A: EnvValue.fromSecret('s', '') } })).toThrow(/env A Secret key '' is not a valid Secret\/ConfigMap key/);
    expect(make({ env: { A: EnvValue.fromConfigMap('Web_Env', 'k') } })).toThrow(/env A ConfigMap name 'Web_Env' is not a DNS-1123 subdomain/);
    expect(make({ env: { A: EnvValue.fromConfigMap('web-env', '..k') } })).toThrow(/env A ConfigMap key '..k' is not a valid/);
    const { app } = webApp();
    expect(() => app.addEnv('B', EnvValue.fromSecret('Bad Name', 'k'))).toThrow(/env B Secret name 'Bad Name'/);
    expect(make({ env: { A: EnvValue.fromSecret('db.credentials', 'tls.crt'), B: EnvValue.fromConfigMap('cfg', 'KEY_1-x') } })).not.toThrow();
  });

  test('fails if an env fieldPath is not one the downward API serves', () => {
    expect(make({ env: { X: EnvValue.fromFieldPath('status.bogus') } }))
      .toThrow(/WebApp 'web': env X fieldPath 'status.bogus' is not a pod field the downward API serves to env vars; use one of metadata.name/);
    expect(make({ env: { X: EnvValue.fromFieldPath('metadata.labels') } })).toThrow(/fieldPath 'metadata.labels' is not a pod field/);
    expect(make({ env: { X: EnvValue.fromFieldPath('metadata.labels[\'bad key\']') } })).toThrow(/is not a pod field/);
    expect(make({ env: { X: EnvValue.fromFieldPath('metadata.labels[\'app.kubernetes.io/name\']'), Y: EnvValue.fromFieldPath('spec.nodeName') } })).not.toThrow();
  });

  test('fails if an envFrom name is not a DNS-1123 subdomain or its prefix is not a valid env var name start', () => {
    expect(make({ envFrom: [EnvFrom.configMap('Web_Env')] }))
      .toThrow(/WebApp 'web': envFrom\[0\] ConfigMap name 'Web_Env' is not a DNS-1123 subdomain/);
    expect(make({ envFrom: [EnvFrom.configMap('web-env'), EnvFrom.secret('s', '1X=')] }))
      .toThrow(/envFrom\[1\] prefix '1X=' is not a valid env var name prefix; use letters, digits, '_', '-' and '.', not starting with a digit and without '='/);
    const { app } = webApp();
    expect(() => app.addEnvFrom(EnvFrom.secret('API_KEYS'))).toThrow(/envFrom\[0\] Secret name 'API_KEYS'/);
  });

  test('fails if serviceAccountName is not a DNS-1123 subdomain, or fsGroup is negative', () => {
    expect(make({ serviceAccountName: 'My SA' })).toThrow(/WebApp 'web': serviceAccountName 'My SA' is not a DNS-1123 subdomain/);
    expect(make({ fsGroup: -5 })).toThrow(/WebApp 'web': fsGroup -5 is not an integer in 0-2147483647/);
  });

  test('fails if the ingress host is an IP address, or the className or TLS Secret name is not a DNS-1123 subdomain', () => {
    const { app } = webApp();
    expect(() => app.exposeViaIngress({ host: '10.0.0.1' }))
      .toThrow(/WebApp 'web': ingress host '10.0.0.1' is an IP address, which the apiserver rejects in an Ingress rule \(it must be a DNS name\); leave host out/);
    expect(() => app.exposeViaIngress({ className: 'NGINX Public' })).toThrow(/ingress className 'NGINX Public' is not a DNS-1123 subdomain/);
    expect(() => app.exposeViaIngress({ host: 'shop.example.com', tlsSecretName: 'Shop_TLS' })).toThrow(/ingress tlsSecretName 'Shop_TLS' is not a DNS-1123 subdomain/);
    expect(() => app.exposeViaIngress({ annotations: { 'a/b/c': 'x' } })).toThrow(/ingress annotations key 'a\/b\/c' is not a valid annotation key/);
  });

  test('fails if an annotation key is not a qualified name', () => {
    expect(make({ podAnnotations: { 'bad key': 'x' } }))
      .toThrow(/WebApp 'web': podAnnotations key 'bad key' is not a valid annotation key; use \[prefix\/\]name/);
    expect(make({ serviceAnnotations: { '/x': 'y' } })).toThrow(/serviceAnnotations key '\/x' is not a valid annotation key/);
    expect(make({ podAnnotations: { 'x': 1 } as any })).toThrow(/podAnnotations x value 1 is not a string; quote it \(e.g. '1'\)/);
    const { app } = webApp({ podAnnotations: { 'Example.com/Team': 'shop' } });
    expect(() => app.addPodAnnotation('a'.repeat(64), 'x')).toThrow(/pod annotation key 'a{64}' is not a valid annotation key/);
  });

  test('fails if a network peer names an invalid namespace or labels, or an ipBlock except is outside its CIDR', () => {
    expect(() => NetworkPeer.namespace('Monitoring')).toThrow(/NetworkPeer: namespace 'Monitoring' is not a DNS-1123 label, so no namespace has that name/);
    expect(() => NetworkPeer.pods({ app: 'Prom etheus' })).toThrow(/NetworkPeer: pods label app value 'Prom etheus' is not a valid label value/);
    expect(() => NetworkPeer.pods({ 'bad key': 'x' })).toThrow(/pods label key 'bad key' is not a valid label key/);
    expect(() => NetworkPeer.pods({ app: 'prometheus' }, 'Monitoring')).toThrow(/pods namespace 'Monitoring'/);
    expect(() => NetworkPeer.ipBlock('10.0.0.0/8', ['192.168.0.0/16']))
      .toThrow(/NetworkPeer: ipBlock except '192.168.0.0\/16' is not a strict subset of cidr '10.0.0.0\/8' \(the apiserver would reject the NetworkPolicy\); list only ranges inside 10.0.0.0\/8 with a longer prefix, or widen cidr/);
    expect(() => NetworkPeer.ipBlock('10.0.0.0/8', ['10.0.0.0/8'])).toThrow(/is not a strict subset/);
    expect(() => NetworkPeer.ipBlock('2001:db8::/32', ['2001:db9::/48'])).toThrow(/is not a strict subset/);
    expect(() => NetworkPeer.ipBlock('10.0.0.0/8', ['fd00::/8'])).toThrow(/is not a strict subset/);
    expect(() => NetworkPeer.ipBlock('10.0.0.0/8', ['10.1.0.0/16', '10.2.3.0/24'])).not.toThrow();
    expect(() => NetworkPeer.ipBlock('2001:db8::/32', ['2001:db8:1::/48', '2001:db8:0:0:0:0:0:1/128'])).not.toThrow();
    expect(() => NetworkPeer.pods({ 'app.kubernetes.io/name': 'prometheus' }, 'monitoring')).not.toThrow();
  });
});

describe('WebApp: collisions between apps and init containers', () => {
  test('fails at synth if two Services ask for the same nodePort', () => {
    const c = chart();
    const ports = [{ containerPort: 8080, nodePort: 30080 }];
    new WebApp(c, 'a', { image: IMAGE, serviceType: ServiceType.NODE_PORT, ports });
    new WebApp(c, 'b', { image: IMAGE, serviceType: ServiceType.NODE_PORT, ports });
    expect(validate(c)).toThrow(/WebApp 'b': nodePort 30080 is also used by WebApp 'a', and node ports are allocated cluster-wide/);
  });

  test('fails at synth if two apps in one namespace select each other\'s pods', () => {
    const c = chart('shop');
    new WebApp(c, 'a', { image: IMAGE, port: 8080, appLabel: 'shop' });
    new WebApp(c, 'b', { image: IMAGE, port: 8080, appLabel: 'shop', version: 'v2', selectVersion: true });
    expect(validate(c)).toThrow(/WebApp 'b': selector \{"app":"shop","version":"v2"\} overlaps the selector \{"app":"shop"\} of WebApp 'a' in the same namespace.*give each app its own appLabel, or set selectVersion on both with different versions/);
  });

  test('an app added after a first synth is still checked against the earlier ones', () => {
    const c = chart();
    new WebApp(c, 'a', { image: IMAGE, serviceType: ServiceType.NODE_PORT, ports: [{ containerPort: 8080, nodePort: 30080 }] });
    expect(validate(c)).not.toThrow();
    new WebApp(c, 'b', { image: IMAGE, serviceType: ServiceType.LOAD_BALANCER, ports: [{ containerPort: 8080, nodePort: 30080 }] });
    expect(validate(c)).toThrow(/WebApp 'b': nodePort 30080 is also used by WebApp 'a'/);
  });

  test('side-by-side versions with selectVersion, and equal labels in other namespaces, do not collide', () => {
    const app = Testing.app();
    const c = new Chart(app, 'shop', { namespace: 'shop' });
    new WebApp(c, 'v1', { image: IMAGE, port: 8080, appLabel: 'shop', version: 'v1', selectVersion: true });
    new WebApp(c, 'v2', { image: IMAGE, port: 8080, appLabel: 'shop', version: 'v2', selectVersion: true });
    new WebApp(new Chart(app, 'other', { namespace: 'other' }), 'shop', { image: IMAGE, port: 8080 });
    expect(() => app.synth()).not.toThrow();
  });

  test('fails if an init container name is taken, saying how to avoid it', () => {
    const { app } = webApp();
    app.waitFor('db', 3306);
    expect(() => app.waitFor('db', 3306))
      .toThrow(/WebApp 'web': init container name 'wait-for-db' is already used by another init container; add the container once, or give it another name \(addInitContainer's name option, or waitFor's name argument\)/);
    expect(() => app.addInitContainer({ name: 'web', image: IMAGE })).toThrow(/init container name 'web' is already used by the app container/);
  });
});

describe('WebApp: nodeSelector', () => {
  test('renders spec.template.spec.nodeSelector; none by default', () => {
    const pinned = webApp({ nodeSelector: { 'kubernetes.io/arch': 'amd64', disktype: 'ssd' } });
    expect(find(synth(pinned.c), 'Deployment').spec.template.spec.nodeSelector).toEqual({ 'kubernetes.io/arch': 'amd64', disktype: 'ssd' });
    expect(find(synth(webApp().c), 'Deployment').spec.template.spec).not.toHaveProperty('nodeSelector');
  });

  test('fails on a key or value that is not a valid label key or value', () => {
    expect(() => webApp({ nodeSelector: { 'Bad Key': 'x' } })).toThrow(/WebApp 'web': nodeSelector key 'Bad Key' is not a valid label key/);
    expect(() => webApp({ nodeSelector: { arch: 'not valid!' } })).toThrow(/WebApp 'web': nodeSelector arch value 'not valid!' is not a valid label value/);
  });
});

describe('extraPodLabels', () => {
  test('labels the pods only (not the workload selector); fails if it would replace a label WebApp sets', () => {
    const { Chart: C, Testing: T } = require('cdk8s');
    const { WebApp: W } = require('../lib');
    const chart = new C(T.app(), 'x');
    new W(chart, 'a', { image: 'nginx:1.27.3', port: 8080, extraPodLabels: { 'network.example.com/front': 'shop' } });
    const d = T.synth(chart).find((o: any) => o.kind === 'Deployment');
    expect(d.spec.template.metadata.labels['network.example.com/front']).toBe('shop');
    expect(d.spec.selector.matchLabels['network.example.com/front']).toBeUndefined();
    expect(() => new W(chart, 'b', { image: 'nginx:1.27.3', port: 8080, extraPodLabels: { app: 'other' } })).toThrow(/WebApp 'b': extraPodLabels sets 'app', which WebApp sets itself; use other label keys/);
    expect(() => new W(chart, 'c', { image: 'nginx:1.27.3', port: 8080, extraPodLabels: { 'bad key!': 'x' } })).toThrow(/WebApp 'c': extraPodLabels/);
  });
});
