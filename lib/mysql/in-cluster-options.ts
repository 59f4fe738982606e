// The options and defaults of MySqlProvider.inCluster(): MySQL (or MariaDB) as a StatefulSet in the
// cluster.

import type { Resources } from '../web-app';
import type { CredentialKeys } from './credentials';

/** Keys of the in-cluster credentials Secret. */
export interface InClusterCredentialKeys extends CredentialKeys {
  /** Key of the MySQL root password. @default 'root-password' */
  readonly rootPassword?: string;
}

/** The official MySQL image the in-cluster provider runs by default. */
export const MYSQL_IMAGE = 'mysql:8.4.3';
/** The uid/gid of the `mysql` user in the official image (and in the official `mariadb` images). */
export const MYSQL_UID = 999;

/** The in-cluster MySQL container's resources; `resources` is merged over them field by field. */
export const DEFAULT_MYSQL_RESOURCES: Resources = {
  cpu: { request: '250m', limit: '1' },
  memory: { request: '1Gi', limit: '1Gi' },
  // The writable layer, logs and the runtime/temp emptyDirs (the data lives on the claim).
  ephemeralStorage: { request: '256Mi', limit: '2Gi' },
};

/**
 * The smallest memory limit the in-cluster provider accepts: MySQL 8 with its default settings (128 MiB
 * InnoDB buffer pool, performance_schema on) takes about 400 MiB once started, so a lower limit gets it
 * OOM-killed; MariaDB (performance_schema off by default) fits in far less.
 */
export const MIN_MYSQL_MEMORY_LIMIT = { mysql: '512Mi', mariadb: '256Mi' } as const;

/** Options of {@link MySqlProvider.inCluster}. */
export interface InClusterMySqlOptions {
  /**
   * Existing Secret with the app user's name and password and the root password. Create it out of band
   * (`kubectl create secret generic ... --from-literal=password=$(openssl rand -base64 24)`): the
   * manifests never carry credentials.
   */
  readonly credentialsSecret: string;
  /** Keys in credentialsSecret. @default { username: 'username', password: 'password', rootPassword: 'root-password' } */
  readonly credentialKeys?: InClusterCredentialKeys;
  /** The database created on first start. */
  readonly database: string;
  /**
   * MySQL image; the official image (or one with its entrypoint) with a pinned tag. The official
   * `mariadb` images (repository named `mariadb...`) work too: they accept the same `MYSQL_*` variables,
   * and their probes call `mariadb` / `mariadb-admin`, since MariaDB 11 images no longer ship the
   * `mysql` / `mysqladmin` clients (falling back to those on releases older than 10.4.6).
   * @default MYSQL_IMAGE
   */
  readonly image?: string;
  /** Relaxation: accept an image without a tag or with `latest` (restarts may silently upgrade MySQL). @default false */
  readonly allowMutableImageTag?: boolean;
  /** Size of the data volume (a Kubernetes quantity). @default '10Gi' */
  readonly storage?: string;
  /** StorageClass of the data volume. @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /**
   * Container resources, merged field by field over the defaults below: `{ cpu: { request: '500m' } }`
   * keeps the CPU limit and the memory request and limit; `limit: null` removes a limit. A memory limit
   * below 512Mi for MySQL or 256Mi for MariaDB is an error.
   * @default { cpu: { request: '250m', limit: '1' }, memory: { request: '1Gi', limit: '1Gi' }, ephemeralStorage: { request: '256Mi', limit: '2Gi' } }
   */
  readonly resources?: Resources;
  /** uid and gid MySQL runs as (must own the image's files). @default MYSQL_UID */
  readonly runAsUser?: number;
  /**
   * Only pods of WebApps bound with {@link MySqlBinding.bindTo} may connect: a NetworkPolicy on the
   * MySQL pod.
   * @default true
   */
  readonly isolate?: boolean;
}
