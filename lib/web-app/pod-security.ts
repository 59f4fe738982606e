// Whether a WebApp's pods meet the Pod Security level its Namespace enforces. The apiserver refuses a
// pod that breaks the namespace's `pod-security.kubernetes.io/enforce` level, and it does so at run time
// (the ReplicaSet stays at 0 pods); a relaxation prop that breaks it is reported at synth instead.
import { IConstruct } from 'constructs';
import { show } from '../core';
import { SecurityOptions } from '../k8s';
import { AppRegistry } from '../registry';
import { NAMESPACES } from '../routing/traffic-facts';

/** The capabilities Pod Security "baseline" lets a container add (restricted: NET_BIND_SERVICE only). */
const BASELINE_CAPABILITIES: readonly string[] = [
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
];

/** The relaxations of `security` that Pod Security `level` ('restricted' or 'baseline') refuses, each as `prop value`. */
export function podSecurityViolations(security: SecurityOptions, level: string): string[] {
  const out: string[] = [];
  const caps = security.addCapabilities ?? [];
  const seccomp = security.seccompProfile?.spec.type;
  if (level === 'restricted') {
    if (security.allowRunAsRoot) out.push('allowRunAsRoot true');
    if (security.allowPrivilegeEscalation) out.push('allowPrivilegeEscalation true');
    const extra = caps.filter((c) => c !== 'NET_BIND_SERVICE');
    if (extra.length) out.push(`addCapabilities ${show(extra)}`);
  } else if (level === 'baseline') {
    const extra = caps.filter((c) => !BASELINE_CAPABILITIES.includes(c));
    if (extra.length) out.push(`addCapabilities ${show(extra)}`);
  }
  if ((level === 'restricted' || level === 'baseline') && seccomp === 'Unconfined') out.push('seccompProfile Unconfined');
  return out;
}

/** The synth error of the WebApp `owner` whose relaxations break the level Namespace `namespace` enforces, or none. */
export function podSecurityErrors(owner: string, security: SecurityOptions, namespace: string, level: string | undefined): string[] {
  if (level === undefined) return [];
  const violations = podSecurityViolations(security, level);
  if (!violations.length) return [];
  return [`${owner}: ${violations.join(', ')} ${violations.length === 1 ? 'breaks' : 'break'} Pod Security "${level}", which Namespace '${namespace}' enforces `
    + `(pod-security.kubernetes.io/enforce: ${level}), so the apiserver would refuse its pods; `
    + `drop the relaxation, or give the Namespace a level that allows it (podSecurity: PodSecurityLevel.${level === 'restricted' ? 'BASELINE' : 'PRIVILEGED'})`];
}

/** {@link podSecurityErrors} for the level of the Namespace `namespace` of this cdk8s app (none when the app does not create it). */
export function namespacePodSecurityErrors(scope: IConstruct, owner: string, security: SecurityOptions, namespace: string | undefined): string[] {
  if (namespace === undefined) return [];
  const level = AppRegistry.of(scope).facts(NAMESPACES).find((f) => f.fact.name === namespace)?.fact.podSecurity;
  return podSecurityErrors(owner, security, namespace, level);
}
