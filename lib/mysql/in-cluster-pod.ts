// The pod of the in-cluster MySQL StatefulSet: the official image's entrypoint with credentials from an
// existing Secret, probes that work for MySQL and MariaDB images, and the pod hardening of Pod Security
// "restricted" (restrictedSecurityContext for the container, restrictedPodSecurity for the pod, as a
// WebApp's), rendered through lib/k8s.

import { Json, toDnsLabel } from '../core';
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
  /** The directories MySQL writes to besides its data volume (its image profile's), each an emptyDir. */
  readonly runtimeDirs: readonly string[];
}

/** Where the data volume is mounted (the official images' VOLUME). */
export const MYSQL_DATA_DIR = '/var/lib/mysql';

/** The directories an image the profiles do not know writes besides its data: the official MySQL image's. */
export const DEFAULT_RUNTIME_DIRS: readonly string[] = ['/var/run/mysqld', '/tmp'];

/** The volume name of a runtime directory: `run` for the socket directory (`.../mysqld`), `tmp`, else the path as a label. */
function volumeName(path: string): string {
  return /\/mysqld$/.test(path) ? 'run' : toDnsLabel(path);
}

/** The size limit of a runtime directory's emptyDir: small for the socket and pid directory, 1Gi for temporary tables and sorts. */
function sizeLimitOf(path: string): string {
  return /\/mysqld$/.test(path) ? '16Mi' : '1Gi';
}

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
    volumes: pod.runtimeDirs.map((path) => emptyDirVolume(volumeName(path), { sizeLimit: sizeLimitOf(path) })),
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
      volumeMount('data', { mountPath: MYSQL_DATA_DIR }),
      ...pod.runtimeDirs.map((mountPath) => volumeMount(volumeName(mountPath), { mountPath })),
    ],
  });
}
