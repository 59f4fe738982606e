/** The hardening policy: Pod Security Standards (baseline and restricted) in every pod template. */
import { parseImage } from '../../core';
import { Bundle, containersOf, isObj, Obj, podTemplateOf, SourceDoc } from '../bundle';
import { Level } from '../findings';
import { esc, Report } from './report';

// ---------------------------------------------------------------- hardening policy

/**
 * Volume types Pod Security "restricted" allows (`hostPath` has its own finding).
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
export const RESTRICTED_VOLUME_TYPES: readonly string[] = Object.freeze(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

/**
 * Sysctls Pod Security "baseline" allows (Kubernetes 1.33: the kubelet's safe set).
 * @see https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/#safe-and-unsafe-sysctls
 */
export const SAFE_SYSCTLS: readonly string[] = Object.freeze([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem',
]);

/** SELinux types Pod Security "baseline" allows in `seLinuxOptions.type`. */
export const BASELINE_SELINUX_TYPES: readonly string[] = Object.freeze(['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

/**
 * The Pod Security "baseline" fields a pod and a container securityContext share: SELinux options,
 * Windows HostProcess and the AppArmor profile. (Seccomp is checked per container, for its effective value.)
 */
function checkSecurityContextOptions(sc: Obj, at: string, who: string, policy: (at: string, message: string) => void): void {
  const se = isObj(sc.seLinuxOptions) ? sc.seLinuxOptions : {};
  if (se.type !== undefined && se.type !== '' && !BASELINE_SELINUX_TYPES.includes(se.type)) {
    policy(`${at}/seLinuxOptions/type`, `${who}: seLinuxOptions.type ${JSON.stringify(se.type)} is not allowed by Pod Security "baseline"; drop it or use one of ${BASELINE_SELINUX_TYPES.join(', ')}`);
  }
  for (const f of ['user', 'role']) {
    if (se[f] !== undefined && se[f] !== '') policy(`${at}/seLinuxOptions/${f}`, `${who}: seLinuxOptions.${f} ${JSON.stringify(se[f])} must not be set (Pod Security "baseline" allows no custom SELinux user or role); drop it`);
  }
  if (sc.windowsOptions?.hostProcess === true) {
    policy(`${at}/windowsOptions/hostProcess`, `${who}: windowsOptions.hostProcess is true (a HostProcess container runs with the Windows node's privileges); Pod Security "baseline" forbids it: drop it`);
  }
  const apparmor = sc.appArmorProfile?.type;
  if (apparmor !== undefined && apparmor !== 'RuntimeDefault' && apparmor !== 'Localhost') {
    policy(`${at}/appArmorProfile/type`, `${who}: appArmorProfile.type ${JSON.stringify(apparmor)} is not allowed by Pod Security "baseline" (Unconfined runs without AppArmor); use RuntimeDefault or Localhost`);
  }
}

/**
 * Pod Security Standards "restricted" (which includes "baseline") plus resources, readiness probes and
 * pinned images, for the pod template of every kind that has one (Pod, workloads, CronJob) and each of
 * its init, regular and ephemeral containers.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export function checkHardening(bundle: Bundle, d: SourceDoc, report: Report): void {
  const t = podTemplateOf(d);
  if (!t) return;
  const pod = t.spec;
  const psc = isObj(pod.securityContext) ? pod.securityContext : {};
  const policy = (at: string, message: string) => report(d, Level.POLICY, 'hardening', at, message);
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) if (pod[field] === true) policy(`${t.specPath}/${field}`, `${field} must not be true`);
  (Array.isArray(pod.volumes) ? pod.volumes : []).forEach((v: Obj, i: number) => {
    if (!isObj(v)) return;
    if (v.hostPath) policy(`${t.specPath}/volumes/${i}/hostPath`, `volume ${v.name}: hostPath volumes are not allowed`);
    for (const type of Object.keys(v)) {
      if (type === 'name' || type === 'hostPath' || RESTRICTED_VOLUME_TYPES.includes(type)) continue;
      policy(`${t.specPath}/volumes/${i}/${esc(type)}`, `volume ${v.name}: ${type} volumes are not allowed by Pod Security "restricted"; use ${RESTRICTED_VOLUME_TYPES.join(', ')} (a persistentVolumeClaim for other storage)`);
    }
  });
  // Pod Security exempts Windows pods from its Linux-only rules (privilege escalation, capabilities,
  // seccomp; since Kubernetes 1.25), and the apiserver rejects those fields, readOnlyRootFilesystem
  // included, in a pod with spec.os.name: windows. runAsNonRoot and hostProcess still apply.
  const linux = !(isObj(pod.os) && pod.os.name === 'windows');
  const sca = `${t.specPath}/securityContext`;
  if (psc.runAsUser === 0) policy(`${sca}/runAsUser`, 'runAsUser must not be 0 (root)');
  if (psc.seccompProfile?.type === 'Unconfined') policy(`${sca}/seccompProfile/type`, 'pod securityContext: seccompProfile.type "Unconfined" is not allowed by Pod Security "baseline"; use RuntimeDefault or Localhost');
  (Array.isArray(psc.sysctls) ? psc.sysctls : []).forEach((s: Obj, i: number) => {
    if (typeof s?.name === 'string' && !SAFE_SYSCTLS.includes(s.name)) {
      policy(`${sca}/sysctls/${i}/name`, `sysctl ${s.name} is not in the safe set Pod Security "baseline" allows (${SAFE_SYSCTLS.join(', ')}); drop it or set it on the nodes`);
    }
  });
  checkSecurityContextOptions(psc, sca, 'pod securityContext', policy);
  const metaPath = t.specPath.replace(/\/spec$/, '/metadata');
  for (const [key, value] of Object.entries(t.annotations)) {
    // Pod Security Admission allows an empty value (no profile set) as well as the two safe forms.
    if (!key.startsWith(APPARMOR_ANNOTATION) || value === '' || value === 'runtime/default' || (typeof value === 'string' && value.startsWith('localhost/'))) continue;
    policy(`${metaPath}/annotations/${esc(key)}`, `container ${key.slice(APPARMOR_ANNOTATION.length)}: AppArmor profile ${JSON.stringify(value)} is not allowed by Pod Security "baseline"; use runtime/default or localhost/<profile>`);
  }
  for (const { c, path, init, ephemeral } of containersOf(t, { ephemeral: true })) {
    const sc = isObj(c.securityContext) ? c.securityContext : {};
    const who = `${ephemeral ? 'ephemeral ' : ''}container ${c.name}`;
    const at = (f: string) => `${path}/${f}`;
    if (sc.privileged === true) policy(at('securityContext/privileged'), `${who}: privileged must not be true`);
    if ((sc.runAsNonRoot ?? psc.runAsNonRoot) !== true) policy(at('securityContext/runAsNonRoot'), `${who}: runAsNonRoot must be true (container or pod securityContext)`);
    if (sc.runAsUser === 0) policy(at('securityContext/runAsUser'), `${who}: runAsUser must not be 0 (root)`);
    if (linux) {
      if (sc.allowPrivilegeEscalation !== false) policy(at('securityContext/allowPrivilegeEscalation'), `${who}: allowPrivilegeEscalation must be false`);
      if (sc.readOnlyRootFilesystem !== true) policy(at('securityContext/readOnlyRootFilesystem'), `${who}: readOnlyRootFilesystem must be true`);
      const drop: unknown[] = Array.isArray(sc.capabilities?.drop) ? sc.capabilities.drop : [];
      if (!drop.includes('ALL')) policy(at('securityContext/capabilities/drop'), `${who}: capabilities.drop must include ALL`);
      const add: unknown[] = Array.isArray(sc.capabilities?.add) ? sc.capabilities.add : [];
      for (const cap of add) if (cap !== 'NET_BIND_SERVICE') policy(at('securityContext/capabilities/add'), `${who}: capability ${cap} may not be added (only NET_BIND_SERVICE)`);
      const seccomp = sc.seccompProfile?.type ?? psc.seccompProfile?.type;
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') policy(at('securityContext/seccompProfile'), `${who}: seccompProfile.type must be RuntimeDefault or Localhost (container or pod securityContext)`);
    }
    if (sc.procMount !== undefined && sc.procMount !== 'Default') {
      policy(at('securityContext/procMount'), `${who}: procMount ${JSON.stringify(sc.procMount)} unmasks /proc; Pod Security "baseline" allows only Default: drop it`);
    }
    checkSecurityContextOptions(sc, at('securityContext'), who, policy);
    (Array.isArray(c.ports) ? c.ports : []).forEach((p: Obj, i: number) => {
      if (p?.hostPort !== undefined && p.hostPort !== 0) {
        policy(at(`ports/${i}/hostPort`), `${who}: hostPort ${p.hostPort} binds the node's port, which Pod Security "baseline" forbids; drop hostPort and reach the pod through a Service`);
      }
    });
    if (!ephemeral) { // an ephemeral (debug) container may not set resources or probes
      const res = isObj(c.resources) ? c.resources : {};
      if (res.requests?.cpu === undefined) policy(at('resources/requests/cpu'), `${who}: resources.requests.cpu must be set`);
      if (res.requests?.memory === undefined) policy(at('resources/requests/memory'), `${who}: resources.requests.memory must be set`);
      if (res.limits?.memory === undefined) policy(at('resources/limits/memory'), `${who}: resources.limits.memory must be set`);
    }
    // Only containers that run alongside the app take a readinessProbe: regular ones and sidecars
    // (init containers with restartPolicy Always); the API server rejects it on other init containers.
    const probed = !ephemeral && (!init || c.restartPolicy === 'Always');
    if (probed && Array.isArray(c.ports) && c.ports.length > 0 && !c.readinessProbe) policy(at('readinessProbe'), `${who}: declares ports but has no readinessProbe`);
    if (typeof c.image === 'string') {
      const img = parseImage(c.image);
      if (!img.digest && (!img.tag || img.tag === 'latest')) policy(at('image'), `${who}: image '${c.image}' ${img.tag ? 'uses the mutable tag latest' : 'has no tag (implies latest)'}; pin a version or digest`);
    }
  }
  if (pod.automountServiceAccountToken !== false) {
    const saName = pod.serviceAccountName ?? 'default';
    const ns = Bundle.namespaceOf(d.doc);
    const sa = bundle.find('ServiceAccount', ns, saName);
    const bound = bundle.ofKind(['RoleBinding', 'ClusterRoleBinding']).some((b) => (Array.isArray(b.doc.subjects) ? b.doc.subjects : []).some((s: Obj) =>
      s?.kind === 'ServiceAccount' && s.name === saName && (s.namespace ?? Bundle.namespaceOf(b.doc)) === ns));
    if (sa?.doc.automountServiceAccountToken !== false && !bound) {
      report(d, Level.WARNING, 'sa-token', `${t.specPath}/automountServiceAccountToken`, 'automountServiceAccountToken should be false: no RoleBinding in the bundle grants the service account anything');
    }
  }
}
