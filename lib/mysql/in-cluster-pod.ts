// The pod of the in-cluster MySQL StatefulSet: the official image's entrypoint with credentials from an
// existing Secret, probes that work for MySQL and MariaDB images, and the pod hardening of Pod Security
// "restricted" (restrictedSecurityContext for the container, restrictedPodSecurity for the pod, as a
// WebApp's), rendered through lib/k8s.

import { Json } from '../core';
import {
  ImagePullPolicy, PodTemplateModel, Protocol, SecurityOptions, emptyDirVolume, renderContainer, renderPodSecurityContext,
  restrictedPodSecurity, restrictedSecurityContext, secretEnv, volumeMount,
} from '../k8s';

/** The validated settings the MySQL pod is rendered from. */
export interface MySqlPod {
  /** The image (official MySQL or MariaDB, or one with their entrypoint). */
  readonly image: string;
  /** Whether the image is a MariaDB one (its clients have other names). */
  readonly mariadb: boolean;
  /** The database created on first start. */
  readonly database: string;
  /** The existing credentials Secret. */
  readonly credentialsSecret: string;
  /** Its keys. */
  readonly keys: { readonly username: string; readonly password: string; readonly rootPassword: string };
  /** The rendered `resources` block. */
  readonly resources: Json;
  /** uid and gid MySQL runs as. */
  readonly uid: number;
}

/**
 * The directories MySQL writes to besides its data volume, each an emptyDir under the read-only root
 * filesystem: volume name → mount path, size limit (the socket and pid file; temporary tables and sorts).
 */
const WRITABLE_DIRS: ReadonlyArray<readonly [string, string, string]> = [['run', '/var/run/mysqld', '16Mi'], ['tmp', '/tmp', '1Gi']];

/** The StatefulSet's pod template: pod labels `labels`, the MySQL container, and volumes for the runtime and temp files. */
export function mysqlPodTemplate(pod: MySqlPod, labels: Record<string, string>): PodTemplateModel {
  const user: SecurityOptions = { runAsUser: pod.uid, runAsGroup: pod.uid };
  return {
    labels,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: renderPodSecurityContext(restrictedPodSecurity({ ...user, fsGroupChangePolicy: 'OnRootMismatch' })),
    terminationGracePeriodSeconds: 60,
    containers: [mysqlContainer(pod, user)],
    volumes: WRITABLE_DIRS.map(([name, , sizeLimit]) => emptyDirVolume(name, { sizeLimit })),
  };
}

/** The MySQL container; its data volume `data` is the StatefulSet's volumeClaimTemplate. */
function mysqlContainer(pod: MySqlPod, user: SecurityOptions): Json {
  // The official image's entrypoint initialises the data directory on first start, as whatever uid
  // runs it; `--datadir` below the mount point keeps it clear of the volume's lost+found.
  // MariaDB 11+ images ship only the mariadb-named clients (mariadb, mariadb-admin); MariaDB before
  // 10.4.6 only the mysql-named ones; MySQL images only the mysql-named ones.
  const client = pod.mariadb ? '"$(command -v mariadb || command -v mysql)"' : 'mysql';
  const readinessSql = `MYSQL_PWD="$MYSQL_PASSWORD" ${client} --protocol=TCP -h 127.0.0.1 -u"$MYSQL_USER" -e "SELECT 1"`;
  const ping = pod.mariadb
    ? ['sh', '-c', 'exec "$(command -v mariadb-admin || command -v mysqladmin)" ping --protocol=TCP -h 127.0.0.1']
    : ['mysqladmin', 'ping', '--protocol=TCP', '-h', '127.0.0.1'];
  return renderContainer({
    name: 'mysql',
    image: pod.image,
    imagePullPolicy: ImagePullPolicy.IF_NOT_PRESENT,
    args: ['--datadir=/var/lib/mysql/data'],
    ports: [{ containerPort: 3306, name: 'mysql', protocol: Protocol.TCP }],
    env: [
      secretEnv('MYSQL_ROOT_PASSWORD', pod.credentialsSecret, pod.keys.rootPassword),
      { name: 'MYSQL_DATABASE', value: pod.database },
      secretEnv('MYSQL_USER', pod.credentialsSecret, pod.keys.username),
      secretEnv('MYSQL_PASSWORD', pod.credentialsSecret, pod.keys.password),
    ],
    resources: pod.resources,
    startupProbe: { kind: 'tcpSocket', action: {}, port: 'mysql', periodSeconds: 10, failureThreshold: 30 },
    readinessProbe: { kind: 'exec', action: { command: ['sh', '-c', readinessSql] }, periodSeconds: 10, timeoutSeconds: 5 },
    livenessProbe: { kind: 'exec', action: { command: ping }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 },
    securityContext: restrictedSecurityContext(user),
    volumeMounts: [
      volumeMount('data', { mountPath: '/var/lib/mysql' }),
      ...WRITABLE_DIRS.map(([name, mountPath]) => volumeMount(name, { mountPath })),
    ],
  });
}
