import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { App, YamlOutputType } from 'cdk8s';
import { EXAMPLE_APPS } from '../apps';
import { audit, Level, PolicyMode } from '../lib/audit';
import * as libSchema from '../lib/audit/schema';
import { FIXTURE_RULES } from './support/fixture-rules';
import * as testSchema from './support/schema';

const ROOT = path.resolve(__dirname, '..');
const FIXTURES = path.join(__dirname, 'fixtures/audit');

function runCheck(...args: string[]) {
  return spawnSync('node', ['bin/cdk8s-noops.js', 'check', ...args], { cwd: ROOT, encoding: 'utf8' });
}


describe('audit(): duplicate objects', () => {
  const rules = (docs: any[]) => audit(docs, { policy: PolicyMode.OFF }).findings.map((f) => `${f.rule} #${f.doc}`);

  test('a namespaced object without namespace is the one in \'default\'', () => {
    const cm = (ns?: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: ns }, data: { a: 'b' } });
    expect(rules([cm(), cm('default')])).toEqual(['duplicate #1']);
    expect(rules([cm('a'), cm('b')])).toEqual([]);
  });

  test('fails if a cluster-scoped object is rendered twice, whatever metadata.namespace says (the apiserver ignores it)', () => {
    const ns = (namespace?: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', namespace } });
    expect(rules([ns(), ns('other')])).toEqual(['duplicate #1']);
    const role = (namespace: string) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader', namespace }, rules: [] });
    expect(rules([role('a'), role('b')])).toEqual(['duplicate #1']);
  });
});

describe('audit(): locations', () => {
  const deployment = (): any => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27.3' }] } } },
  });

  test('reports file, document index and JSON path of each finding for documents in memory', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].imagePullPolcy = 'Always';
    const report = audit([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, d], { policy: PolicyMode.OFF });
    expect(report.findings).toEqual([expect.objectContaining({
      level: Level.ERROR, rule: 'unknown-field', file: '<memory>', doc: 1, kind: 'Deployment', name: 'web', namespace: 'shop',
      path: '/spec/template/spec/containers/0/imagePullPolcy',
    })]);
    expect(report.ok).toBe(false);
  });

  test('policy findings fail the audit only with PolicyMode.ERROR', () => {
    expect(audit([deployment()], { policy: PolicyMode.WARN }).ok).toBe(true);
    const strict = audit([deployment()], { policy: PolicyMode.ERROR });
    expect(strict.ok).toBe(false);
    expect(strict.findings.filter((f) => f.level === Level.POLICY).map((f) => f.path)).toContain('/spec/template/spec/containers/0/securityContext/readOnlyRootFilesystem');
  });

  test('reads a YAML file and locates findings by file and document', () => {
    const report = audit(path.join(FIXTURES, 'vs-weights.yaml'));
    expect(report.findings).toEqual([expect.objectContaining({
      rule: 'vs-weights', file: path.join(FIXTURES, 'vs-weights.yaml'), doc: 5, path: '/spec/http/0/route',
      message: expect.stringMatching(/weights sum to 95 \(v1=90, v2=5\); they must sum to 100/),
    })]);
  });

  test('the tests\' schema helper is the audit\'s schema validation (one implementation)', () => {
    expect(testSchema.schemaProblems).toBe(libSchema.schemaProblems);
    expect(testSchema.extraSchemas).toBe(libSchema.extraSchemas);
  });
});

describe('audit(): cross-reference rules', () => {
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } };
  const deployment = (): any => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27.3', ports: [{ name: 'http', containerPort: 8080 }] }] } },
    },
  });
  const service = (ports: any[]): any => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports } });
  const findings = (docs: unknown[], rule: string) => audit(docs, { policy: PolicyMode.OFF }).findings.filter((f) => f.rule === rule).map((f) => [f.level, f.path, f.message]);

  test('a numeric targetPort no container declares is a WARNING (Kubernetes routes it anyway); a named one is an ERROR', () => {
    expect(findings([ns, deployment(), service([{ name: 'a', port: 80, targetPort: 9090 }, { name: 'b', port: 81, targetPort: 'metrics' }, { name: 'c', port: 82, targetPort: 8080 }, { name: 'd', port: 83, targetPort: 'http' }])], 'service-port')).toEqual([
      [Level.WARNING, '/spec/ports/0/targetPort', expect.stringMatching(/port a: targetPort 9090 is not a declared containerPort .*routed anyway/)],
      [Level.ERROR, '/spec/ports/1/targetPort', expect.stringMatching(/port b: targetPort "metrics" is not a container port name/)],
    ]);
  });

  test('an Ingress backend without a port is an ERROR', () => {
    const ingress = (port: unknown) => ({
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'shop' },
      spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', ...(port === undefined ? {} : { port }) } } }] } }] },
    });
    const docs = (port: unknown) => [ns, deployment(), service([{ port: 80, targetPort: 'http' }]), ingress(port)];
    expect(findings(docs(undefined), 'ingress-backend')).toEqual([
      [Level.ERROR, '/spec/rules/0/http/paths/0/backend/service/port', "backend Service 'web' has no port; set service.port.number or service.port.name"],
    ]);
    expect(findings(docs({}), 'ingress-backend')).toHaveLength(1);
    expect(findings(docs({ number: 80 }), 'ingress-backend')).toEqual([]);
  });

  test('an HPA scaleTargetRef must name the target\'s API group', () => {
    const hpa = (apiVersion?: string) => ({
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'shop' },
      spec: { scaleTargetRef: { ...(apiVersion ? { apiVersion } : {}), kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 3 },
    });
    const docs = (apiVersion?: string) => [ns, deployment(), hpa(apiVersion)];
    expect(findings(docs('apps/v1'), 'hpa-target')).toEqual([]);
    for (const wrong of ['v1', 'extensions/v1beta1', undefined]) {
      expect(findings(docs(wrong), 'hpa-target')).toEqual([
        [Level.ERROR, '/spec/scaleTargetRef/apiVersion', expect.stringMatching(/^scaleTargetRef Deployment\/web has apiVersion ".*" \(group '.*'\), but the Deployment is apps\/v1; set apiVersion: apps\/v1$/)],
      ]);
    }
  });
});

describe('audit(): a gateway-bound VirtualService\'s hosts must be exposed by the Gateway', () => {
  const gateway = (ns: string, hosts: string[]) => ({
    apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'public', namespace: ns },
    spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts }] },
  });
  const vs = (hosts: string[], gw = 'public') => ({
    apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'shop', namespace: 'shop' },
    spec: { hosts, gateways: [gw], http: [{ route: [{ destination: { host: 'web' } }] }] },
  });
  const findings = (docs: unknown[]) => audit([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, ...docs], { policy: PolicyMode.OFF })
    .findings.filter((f) => f.rule === 'vs-gateway').map((f) => [f.level, f.path, f.message]);

  test.each([
    [['shop.example.com'], ['shop.example.com']],
    [['*.example.com'], ['shop.example.com']],
    [['*'], ['shop.example.com', 'x.test']],
    [['shop.example.com'], ['*.example.com']],
    [['shop/shop.example.com'], ['shop.example.com']],
    [['*/*.example.com'], ['shop.example.com']],
    [['./shop.example.com'], ['shop.example.com']],
  ])('gateway hosts %j expose %j', (gwHosts, vsHosts) => {
    expect(findings([gateway('shop', gwHosts), vs(vsHosts)])).toEqual([]);
  });

  test('no exposed host: ERROR on the gateway reference', () => {
    expect(findings([gateway('shop', ['*.example.com']), vs(['shop.example.org'])])).toEqual([[
      Level.ERROR, '/spec/gateways/0',
      "gateway 'public' exposes no host of this VirtualService (hosts shop.example.org; the gateway's servers expose *.example.com); add the hosts to the Gateway's servers[].hosts or fix spec.hosts",
    ]]);
  });

  test('a host of another namespace does not count ("blog/…", "./…" of a gateway elsewhere)', () => {
    expect(findings([gateway('shop', ['blog/shop.example.com']), vs(['shop.example.com'])])[0]).toEqual([Level.ERROR, '/spec/gateways/0', expect.stringMatching(/none for namespace 'shop'/)]);
    expect(findings([gateway('istio-system', ['./shop.example.com']), vs(['shop.example.com'], 'istio-system/public')])).toHaveLength(1);
  });

  test('one host exposed is enough (the others may be for mesh or another gateway, as in http-echo-canary)', () => {
    const both: any = vs(['web', 'shop.example.com']);
    both.spec.gateways.push('mesh');
    expect(findings([gateway('shop', ['shop.example.com']), both])).toEqual([]);
  });
});

describe('audit(): gateways named in route matches', () => {
  const gateway = (name: string) => ({
    apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name, namespace: 'shop' },
    spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com'] }] },
  });
  const vs = (gateways: string[] | undefined, matchGateways: unknown[], proto: 'http' | 'tcp' | 'tls' = 'http') => ({
    apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'shop', namespace: 'shop' },
    spec: {
      hosts: ['web', 'shop.example.com'], ...(gateways ? { gateways } : {}),
      [proto]: [
        { match: [{ ...(proto === 'tls' ? { sniHosts: ['shop.example.com'] } : {}), gateways: matchGateways }], route: [{ destination: { host: 'web' } }] },
      ],
    },
  });
  const findings = (docs: unknown[]) => audit([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, gateway('public'), gateway('internal'), ...docs], { policy: PolicyMode.OFF })
    .findings.filter((f) => f.rule === 'vs-gateway').map((f) => [f.level, f.path, f.message]);

  test.each([
    [['public', 'mesh'], ['public']],
    [['public', 'mesh'], ['shop/public', 'mesh']],
    [['shop/public'], ['public']],
    [undefined, ['mesh']],
  ])('spec.gateways %j: match gateways %j are bound, no finding', (gateways, matchGateways) => {
    expect(findings([vs(gateways, matchGateways)])).toEqual([]);
  });

  test('a match gateway that exists but is not in spec.gateways: ERROR (Istio never applies the match)', () => {
    expect(findings([vs(['public', 'mesh'], ['public', 'internal'])])).toEqual([[
      Level.ERROR, '/spec/http/0/match/0/gateways/1',
      "match gateway 'internal' is not in spec.gateways (public, mesh), so Istio never applies this match; add 'internal' to spec.gateways or remove it from the match",
    ]]);
  });

  test('without spec.gateways the VirtualService is bound to mesh only', () => {
    expect(findings([vs(undefined, ['public'])])).toEqual([[
      Level.ERROR, '/spec/http/0/match/0/gateways/0', expect.stringMatching(/^match gateway 'public' is not in the VirtualService's gateways \(spec\.gateways is unset, so only mesh\)/),
    ]]);
    expect(findings([vs(['public'], ['mesh'])])).toEqual([[Level.ERROR, '/spec/http/0/match/0/gateways/0', expect.stringMatching(/^match gateway 'mesh' is not in spec\.gateways \(public\)/)]]);
  });

  test('a match gateway missing from the bundle is reported like one in spec.gateways', () => {
    const gone = findings([vs(['public'], ['nope'])]);
    // One mistake, one finding: missing (and therefore not bound either) is reported as missing.
    expect(gone).toEqual([
      [Level.ERROR, '/spec/http/0/match/0/gateways/0', "gateway 'nope' not found (no Gateway shop/nope in the bundle); add the Gateway or fix the name"],
    ]);
    const inSpec = findings([vs(['nope'], ['nope'])]); // reported once, where spec.gateways names it
    expect(inSpec).toEqual([[Level.ERROR, '/spec/gateways/0', "gateway 'nope' not found (no Gateway shop/nope in the bundle); add the Gateway or fix the name"]]);
    expect(findings([vs(['public'], ['other-ns/public'])]).map(([, , m]) => m)).toEqual([
      "gateway 'other-ns/public' not found (no Gateway other-ns/public in the bundle); add the Gateway or fix the name",
    ]);
  });

  test('the legacy name.namespace[.svc.cluster.local] form names the same Gateway as namespace/name', () => {
    expect(findings([vs(['public.shop'], ['shop/public'])])).toEqual([]);
    expect(findings([vs(['shop/public'], ['public.shop.svc.cluster.local'])])).toEqual([]);
    expect(findings([vs(['public.other'], ['public.other'])]).map(([, , m]) => m)).toEqual([
      "gateway 'public.other' not found (no Gateway other/public in the bundle); add the Gateway or fix the name",
    ]);
  });

  test.each(['tcp', 'tls'] as const)('%s match gateways are checked too', (proto) => {
    expect(findings([vs(['public'], ['internal'], proto)])).toEqual([[Level.ERROR, `/spec/${proto}/0/match/0/gateways/0`, expect.stringMatching(/^match gateway 'internal' is not in spec\.gateways \(public\)/)]]);
  });

  test('a gateway that is not a string is left to the schema check (the audit does not throw)', () => {
    const report = audit([gateway('public'), vs([42 as any, 'public'], [7])], { policy: PolicyMode.OFF });
    expect(report.findings.filter((f) => f.rule === 'vs-gateway')).toEqual([]);
    expect(report.findings.filter((f) => f.rule === 'schema').map((f) => f.path)).toEqual(expect.arrayContaining(['/spec/gateways/0']));
  });
});

describe('audit(): Pod Security Standards (baseline and restricted) in every pod template', () => {
  /** A container that passes every hardening rule. */
  const container = (name = 'web'): any => ({
    name, image: 'nginx:1.27.3', ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { tcpSocket: { port: 8080 } },
    resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
  });
  const podSpec = (): any => ({ automountServiceAccountToken: false, containers: [container()] });
  const deployment = (spec = podSpec(), annotations?: Record<string, string>): any => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' }, ...(annotations ? { annotations } : {}) }, spec } },
  });
  const policy = (docs: unknown[]) => audit(docs, { policy: PolicyMode.ERROR }).findings.filter((f) => f.rule === 'hardening').map((f) => [f.level, f.path, f.message]);
  const T = '/spec/template/spec';
  const C = `${T}/containers/0`;

  test('the compliant pod has no hardening finding', () => {
    expect(policy([deployment()])).toEqual([]);
  });

  test.each<[string, (s: any) => void, string, RegExp]>([
    ['hostPort', (s) => { s.containers[0].ports[0].hostPort = 8080; }, `${C}/ports/0/hostPort`, /^container web: hostPort 8080 binds the node's port, which Pod Security "baseline" forbids; drop hostPort and reach the pod through a Service$/],
    ['procMount Unmasked', (s) => { s.containers[0].securityContext.procMount = 'Unmasked'; }, `${C}/securityContext/procMount`, /^container web: procMount "Unmasked" unmasks \/proc; Pod Security "baseline" allows only Default/],
    ['an nfs volume', (s) => { s.volumes = [{ name: 'data', nfs: { server: 'nfs.example.com', path: '/data' } }]; }, `${T}/volumes/0/nfs`, /^volume data: nfs volumes are not allowed by Pod Security "restricted"; use configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret/],
    ['a gitRepo volume', (s) => { s.volumes = [{ name: 'src', gitRepo: { repository: 'https://example.com/x.git' } }]; }, `${T}/volumes/0/gitRepo`, /^volume src: gitRepo volumes are not allowed/],
    ['hostPath (one finding, not two)', (s) => { s.volumes = [{ name: 'host', hostPath: { path: '/var/run' } }]; }, `${T}/volumes/0/hostPath`, /^volume host: hostPath volumes are not allowed$/],
    ['hostNetwork', (s) => { s.hostNetwork = true; }, `${T}/hostNetwork`, /^hostNetwork must not be true$/],
    ['hostPID', (s) => { s.hostPID = true; }, `${T}/hostPID`, /^hostPID must not be true$/],
    ['hostIPC', (s) => { s.hostIPC = true; }, `${T}/hostIPC`, /^hostIPC must not be true$/],
    ['an unsafe sysctl', (s) => { s.securityContext = { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }, { name: 'net.core.somaxconn', value: '1024' }] }; }, `${T}/securityContext/sysctls/1/name`, /^sysctl net\.core\.somaxconn is not in the safe set Pod Security "baseline" allows \(kernel\.shm_rmid_forced, .*\); drop it or set it on the nodes$/],
    ['seLinuxOptions.type spc_t (container)', (s) => { s.containers[0].securityContext.seLinuxOptions = { type: 'spc_t' }; }, `${C}/securityContext/seLinuxOptions/type`, /^container web: seLinuxOptions\.type "spc_t" is not allowed by Pod Security "baseline"; drop it or use one of container_t, container_init_t, container_kvm_t, container_engine_t$/],
    ['seLinuxOptions.type spc_t (pod)', (s) => { s.securityContext = { seLinuxOptions: { type: 'spc_t' } }; }, `${T}/securityContext/seLinuxOptions/type`, /^pod securityContext: seLinuxOptions\.type "spc_t"/],
    ['seLinuxOptions.user', (s) => { s.containers[0].securityContext.seLinuxOptions = { user: 'system_u' }; }, `${C}/securityContext/seLinuxOptions/user`, /^container web: seLinuxOptions\.user "system_u" must not be set/],
    ['seLinuxOptions.role', (s) => { s.securityContext = { seLinuxOptions: { role: 'sysadm_r' } }; }, `${T}/securityContext/seLinuxOptions/role`, /^pod securityContext: seLinuxOptions\.role "sysadm_r" must not be set/],
    ['windowsOptions.hostProcess (container)', (s) => { s.containers[0].securityContext.windowsOptions = { hostProcess: true }; }, `${C}/securityContext/windowsOptions/hostProcess`, /^container web: windowsOptions\.hostProcess is true .*Pod Security "baseline" forbids it/],
    ['windowsOptions.hostProcess (pod)', (s) => { s.securityContext = { windowsOptions: { hostProcess: true } }; }, `${T}/securityContext/windowsOptions/hostProcess`, /^pod securityContext: windowsOptions\.hostProcess is true/],
    ['appArmorProfile Unconfined (container)', (s) => { s.containers[0].securityContext.appArmorProfile = { type: 'Unconfined' }; }, `${C}/securityContext/appArmorProfile/type`, /^container web: appArmorProfile\.type "Unconfined" is not allowed by Pod Security "baseline" \(Unconfined runs without AppArmor\); use RuntimeDefault or Localhost$/],
    ['appArmorProfile Unconfined (pod)', (s) => { s.securityContext = { appArmorProfile: { type: 'Unconfined' } }; }, `${T}/securityContext/appArmorProfile/type`, /^pod securityContext: appArmorProfile\.type "Unconfined"/],
    ['a pod seccompProfile Unconfined that every container overrides', (s) => { s.securityContext = { seccompProfile: { type: 'Unconfined' } }; }, `${T}/securityContext/seccompProfile/type`, /^pod securityContext: seccompProfile\.type "Unconfined" is not allowed by Pod Security "baseline"; use RuntimeDefault or Localhost$/],
  ])('%s: one POLICY finding', (_, mutate, path, message) => {
    const spec = podSpec();
    mutate(spec);
    expect(policy([deployment(spec)])).toEqual([[Level.POLICY, path, expect.stringMatching(message)]]);
  });

  test.each<[string, (s: any) => void]>([
    ['hostPort 0', (s) => { s.containers[0].ports[0].hostPort = 0; }],
    ['procMount Default', (s) => { s.containers[0].securityContext.procMount = 'Default'; }],
    ['every volume type "restricted" allows, and a volume with no source', (s) => {
      s.volumes = [
        { name: 'a', configMap: { name: 'c' } }, { name: 'b', csi: { driver: 'd' } }, { name: 'c', downwardAPI: { items: [] } }, { name: 'd', emptyDir: {} },
        { name: 'e', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } } },
        { name: 'f', persistentVolumeClaim: { claimName: 'p' } }, { name: 'g', projected: { sources: [] } }, { name: 'h', secret: { secretName: 's' } }, { name: 'i' },
      ];
    }],
    ['the safe sysctls (net.ipv4.ip_unprivileged_port_start, as the example apps set it, and the 1.32 additions)', (s) => {
      s.securityContext = { sysctls: ['net.ipv4.ip_unprivileged_port_start', 'kernel.shm_rmid_forced', 'net.ipv4.ping_group_range', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'].map((name) => ({ name, value: '0' })) };
    }],
    ['the allowed SELinux types, empty user and role', (s) => {
      s.securityContext = { seLinuxOptions: { type: 'container_t', level: 's0:c123,c456' } };
      s.containers[0].securityContext.seLinuxOptions = { type: 'container_init_t', user: '', role: '' };
    }],
    ['windowsOptions.hostProcess false', (s) => { s.securityContext = { windowsOptions: { hostProcess: false } }; }],
    ['appArmorProfile RuntimeDefault and Localhost', (s) => {
      s.securityContext = { appArmorProfile: { type: 'RuntimeDefault' } };
      s.containers[0].securityContext.appArmorProfile = { type: 'Localhost', localhostProfile: 'k8s-web' };
    }],
  ])('allowed: %s', (_, mutate) => {
    const spec = podSpec();
    mutate(spec);
    expect(policy([deployment(spec)])).toEqual([]);
  });

  test('a Windows pod is exempt from the Linux-only rules (which the apiserver rejects there), not from runAsNonRoot or hostProcess', () => {
    // GIVEN a Windows pod as the apiserver accepts it: no Linux-only security fields
    const windows = (sc: any): any => {
      const spec = podSpec();
      spec.os = { name: 'windows' };
      spec.containers[0].securityContext = sc;
      return spec;
    };
    // THEN it passes with runAsNonRoot alone
    expect(policy([deployment(windows({ runAsNonRoot: true, windowsOptions: { runAsUserName: 'ContainerUser' } }))])).toEqual([]);
    // AND the rules that apply to every OS still do
    expect(policy([deployment(windows({}))])).toEqual([[Level.POLICY, `${C}/securityContext/runAsNonRoot`, 'container web: runAsNonRoot must be true (container or pod securityContext)']]);
    expect(policy([deployment(windows({ runAsNonRoot: true, windowsOptions: { hostProcess: true } }))])).toEqual([[Level.POLICY, `${C}/securityContext/windowsOptions/hostProcess`, expect.stringMatching(/hostProcess is true/)]]);
    // AND a pod that names Linux is checked as before
    const linux = podSpec();
    linux.os = { name: 'linux' };
    linux.containers[0].securityContext.allowPrivilegeEscalation = true;
    expect(policy([deployment(linux)])).toEqual([[Level.POLICY, `${C}/securityContext/allowPrivilegeEscalation`, 'container web: allowPrivilegeEscalation must be false']]);
  });

  test('AppArmor annotations on the pod template: only runtime/default and localhost/* are allowed', () => {
    const key = 'container.apparmor.security.beta.kubernetes.io/web';
    expect(policy([deployment(podSpec(), { [key]: 'runtime/default' })])).toEqual([]);
    expect(policy([deployment(podSpec(), { [key]: 'localhost/k8s-web' })])).toEqual([]);
    expect(policy([deployment(podSpec(), { [key]: '' })])).toEqual([]); // PSA allows an empty value
    expect(policy([deployment(podSpec(), { [key]: 'unconfined' })])).toEqual([[
      Level.POLICY, '/spec/template/metadata/annotations/container.apparmor.security.beta.kubernetes.io~1web',
      'container web: AppArmor profile "unconfined" is not allowed by Pod Security "baseline"; use runtime/default or localhost/<profile>',
    ]]);
  });

  test('init and ephemeral containers are checked too; an ephemeral container is not asked for resources or a probe', () => {
    const spec = podSpec();
    spec.initContainers = [{ ...container('setup'), ports: [{ containerPort: 9000, hostPort: 9000 }], readinessProbe: undefined }];
    spec.initContainers[0].securityContext.procMount = 'Unmasked';
    spec.ephemeralContainers = [{ name: 'debug', image: 'busybox:1.37', securityContext: { ...container().securityContext, privileged: true, seLinuxOptions: { type: 'spc_t' } } }];
    expect(policy([deployment(spec)])).toEqual([
      [Level.POLICY, `${T}/ephemeralContainers/0/securityContext/privileged`, 'ephemeral container debug: privileged must not be true'],
      [Level.POLICY, `${T}/ephemeralContainers/0/securityContext/seLinuxOptions/type`, expect.stringMatching(/^ephemeral container debug: seLinuxOptions\.type "spc_t"/)],
      [Level.POLICY, `${T}/initContainers/0/ports/0/hostPort`, expect.stringMatching(/^container setup: hostPort 9000/)],
      [Level.POLICY, `${T}/initContainers/0/securityContext/procMount`, expect.stringMatching(/^container setup: procMount "Unmasked"/)],
    ]);
  });

  test('an init container with ports needs no readinessProbe (the API rejects one), a sidecar (restartPolicy Always) does', () => {
    const spec = podSpec();
    spec.initContainers = [{ ...container('setup'), readinessProbe: undefined }, { ...container('proxy'), restartPolicy: 'Always', readinessProbe: undefined }];
    expect(policy([deployment(spec)])).toEqual([[Level.POLICY, `${T}/initContainers/1/readinessProbe`, 'container proxy: declares ports but has no readinessProbe']]);
  });

  test.each([
    ['Pod', (spec: any) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop', annotations: { 'container.apparmor.security.beta.kubernetes.io/web': 'unconfined' } }, spec }), '/spec', '/metadata'],
    ['CronJob', (spec: any) => ({
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'web', namespace: 'shop' },
      spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { metadata: { annotations: { 'container.apparmor.security.beta.kubernetes.io/web': 'unconfined' } }, spec: { ...spec, restartPolicy: 'Never' } } } } },
    }), '/spec/jobTemplate/spec/template/spec', '/spec/jobTemplate/spec/template/metadata'],
    ['StatefulSet', (spec: any) => ({
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'shop' },
      spec: { serviceName: 'web', selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' }, annotations: { 'container.apparmor.security.beta.kubernetes.io/web': 'unconfined' } }, spec } },
    }), '/spec/template/spec', '/spec/template/metadata'],
    ['DaemonSet', (spec: any) => ({
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'web', namespace: 'shop' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' }, annotations: { 'container.apparmor.security.beta.kubernetes.io/web': 'unconfined' } }, spec } },
    }), '/spec/template/spec', '/spec/template/metadata'],
  ])('%s: the same rules, located in its pod template', (_, make, specPath, metaPath) => {
    const spec = podSpec();
    spec.containers[0].ports[0].hostPort = 80;
    spec.volumes = [{ name: 'data', nfs: { server: 'nfs', path: '/' } }];
    spec.securityContext = { sysctls: [{ name: 'kernel.msgmax', value: '65536' }] };
    expect(policy([make(spec)]).map(([, p]) => p)).toEqual([
      `${metaPath}/annotations/container.apparmor.security.beta.kubernetes.io~1web`,
      `${specPath}/containers/0/ports/0/hostPort`,
      `${specPath}/securityContext/sysctls/0/name`,
      `${specPath}/volumes/0/nfs`,
    ]);
  });
});

// kcheck, the second opinion, checks the same fixtures and example apps in test/kcheck.test.ts.
describe('fixtures: npm run check flags each deliberately broken manifest', () => {
  test('every fixture has an expected rule', () => {
    const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));
    expect(files.filter((f) => f !== 'good').sort()).toEqual(Object.keys(FIXTURE_RULES).sort());
  });

  test.each(Object.entries(FIXTURE_RULES))('%s: flagged (%s)', (name, rule) => {
    const file = path.join(FIXTURES, `${name}.yaml`);
    const ours = audit(file, { policy: PolicyMode.ERROR });
    expect(ours.ok).toBe(false);
    const failing = ours.findings.filter((f) => f.level !== Level.WARNING);
    expect(failing.map((f) => f.rule)).toContain(rule);
    expect([...new Set(failing.map((f) => f.rule))]).toEqual([rule]);
  });

  test('the control fixture is clean', () => {
    const file = path.join(FIXTURES, 'good.yaml');
    expect(audit(file, { policy: PolicyMode.ERROR }).findings).toEqual([]);
  });
});

describe('example apps: the audit is clean', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'noops-audit-'));
    const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
    for (const e of EXAMPLE_APPS) e.build(app);
    app.synth();
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('audit(): 0 errors and 0 policy findings on every example app', () => {
    const report = audit(outdir, { policy: PolicyMode.ERROR });
    expect(report.findings.filter((f) => f.level !== Level.WARNING)).toEqual([]);
    expect(report.documents).toBeGreaterThan(EXAMPLE_APPS.length);
  });
});

describe('cdk8s-noops check (CLI)', () => {
  test('exits 1 and prints file#doc, object and path on errors', () => {
    const run = runCheck('test/fixtures/audit/service-port.yaml');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^ERROR test\/fixtures\/audit\/service-port\.yaml#2 Service\/web \/spec\/ports\/1\/targetPort: port metrics: targetPort "metrics"/m);
    expect(run.stdout).toMatch(/^WARNING test\/fixtures\/audit\/service-port\.yaml#2 Service\/web \/spec\/ports\/0\/targetPort: port http: targetPort 9090/m);
  });

  test('fails if the targets hold no manifest (an empty or mistyped folder): exit 2', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'noops-check-empty-'));
    try {
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'kind: Namespace\n');
      fs.writeFileSync(path.join(dir, 'empty.yaml'), '# nothing\n');
      const run = runCheck(dir);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/no manifests found in .*noops-check-empty-.*; check the path, or run cdk8s synth first/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('fails if the audit itself throws (an unreadable target): exit 2, not 1', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'noops-check-sock-'));
    const sock = path.join(dir, 'manifests.yaml');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(sock, resolve));
    try {
      const run = runCheck(sock); // a Unix socket: it exists, but reading it fails inside audit()
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/^check: could not audit .*manifests\.yaml: ENXIO/);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--json prints the report; exits 0 when clean', () => {
    const run = runCheck('test/fixtures/audit/good.yaml', '--json');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, errors: 0, policy: 0, documents: 6 });
  });

  test('--policy=error fails on hardening findings; --policy=warn does not', () => {
    expect(runCheck('test/fixtures/audit/hardening.yaml', '--policy=error').status).toBe(1);
    expect(runCheck('test/fixtures/audit/hardening.yaml', '--policy=warn').status).toBe(0);
  });

  test('fails if an option is unknown (exit 2)', () => {
    const run = runCheck('--policy=strict');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown policy mode 'strict'/);
  });
});
