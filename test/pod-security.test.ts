// A WebApp whose relaxations break the Pod Security level its Namespace enforces fails at synth: the
// apiserver would refuse its pods at run time (the ReplicaSet stays at 0), which nothing else reports.
import { Chart, Testing } from 'cdk8s';
import { Capability, MeshNamespace, Namespace, PodSecurityLevel, SeccompProfile, WebApp, WebAppProps } from '../lib';

const IMAGE = 'nginxinc/nginx-unprivileged:1.27';

function synthIn(level: PodSecurityLevel | undefined, props: Partial<WebAppProps>, mesh = false) {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  if (mesh) new MeshNamespace(chart, 'ns', { name: 'shop', podSecurity: level });
  else if (level !== undefined) new Namespace(chart, 'ns', { name: 'shop', podSecurity: level });
  new WebApp(chart, 'web', { image: IMAGE, port: 8080, ...props });
  return () => Testing.synth(chart);
}

describe('Pod Security of the namespace', () => {
  test('fails if a relaxation breaks "restricted", which the Namespace enforces, naming both ways out', () => {
    expect(synthIn(PodSecurityLevel.RESTRICTED, { allowRunAsRoot: true, readOnlyRootFilesystem: false })).toThrow(
      /WebApp 'web': allowRunAsRoot true breaks Pod Security "restricted", which Namespace 'shop' enforces \(pod-security.kubernetes.io\/enforce: restricted\), so the apiserver would refuse its pods; drop the relaxation, or give the Namespace a level that allows it \(podSecurity: PodSecurityLevel.BASELINE\)/);
    expect(synthIn(PodSecurityLevel.RESTRICTED, { allowPrivilegeEscalation: true })).toThrow(/allowPrivilegeEscalation true breaks Pod Security "restricted"/);
    expect(synthIn(PodSecurityLevel.RESTRICTED, { addCapabilities: ['NET_BIND_SERVICE', 'CHOWN'] as Capability[] })).toThrow(/addCapabilities \["CHOWN"\] breaks Pod Security "restricted"/);
    expect(synthIn(PodSecurityLevel.RESTRICTED, { seccompProfile: SeccompProfile.unconfined() })).toThrow(/seccompProfile Unconfined breaks Pod Security "restricted"/);
  });

  test('fails if a capability or an unconfined seccomp profile breaks "baseline"', () => {
    expect(synthIn(PodSecurityLevel.BASELINE, { addCapabilities: ['NET_ADMIN'] as Capability[] })).toThrow(
      /addCapabilities \["NET_ADMIN"\] breaks Pod Security "baseline", .*\(podSecurity: PodSecurityLevel.PRIVILEGED\)/);
    expect(synthIn(PodSecurityLevel.BASELINE, { seccompProfile: SeccompProfile.unconfined() })).toThrow(/seccompProfile Unconfined breaks Pod Security "baseline"/);
  });

  test('accepts what the level allows: the hardened default anywhere, root and NET_BIND_SERVICE/CHOWN under baseline, anything under privileged', () => {
    expect(synthIn(PodSecurityLevel.RESTRICTED, {})).not.toThrow();
    expect(synthIn(PodSecurityLevel.RESTRICTED, { addCapabilities: ['NET_BIND_SERVICE'] as Capability[] })).not.toThrow();
    expect(synthIn(PodSecurityLevel.BASELINE, { allowRunAsRoot: true, allowPrivilegeEscalation: true, addCapabilities: ['CHOWN'] as Capability[] })).not.toThrow();
    expect(synthIn(PodSecurityLevel.PRIVILEGED, { addCapabilities: ['NET_ADMIN'] as Capability[], seccompProfile: SeccompProfile.unconfined() })).not.toThrow();
    // a sidecar MeshNamespace enforces baseline by default (istio-init), so root is allowed there
    expect(synthIn(undefined, { allowRunAsRoot: true }, true)).not.toThrow();
  });

  test('a namespace this app does not create is not checked (its level is unknown here)', () => {
    expect(synthIn(undefined, { allowRunAsRoot: true, addCapabilities: ['NET_ADMIN'] as Capability[] })).not.toThrow();
  });
});
