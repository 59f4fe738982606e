// The external provider, MySqlProvider.external(): a database outside the cluster (e.g. AWS RDS)
// behind an ExternalName Service, with credentials from an existing Secret.

import { Protocol, renderServiceSpec } from '../k8s';
import { fail, isDnsName, parseIpv4, show, validatePort } from '../core';
import { CredentialKeys, credentialKeys } from './credentials';
import { BindingContext, MySqlProvisioner, Provisioned, bindingObject, configMapAndSecretConnection, connectionConfigMapName } from './provisioner';
import { validateObjectName } from './validation';

/** Options of {@link MySqlProvider.external}. */
export interface ExternalMySqlOptions {
  /**
   * DNS name of the database endpoint (e.g. an AWS RDS endpoint); not an IP address. An absolute name
   * with a trailing dot (`db.example.com.`) is accepted and rendered without the dot: the apiserver
   * strips it before validating `externalName`, and cluster DNS answers with the same CNAME either way.
   */
  readonly host: string;
  /** @default 3306 */
  readonly port?: number;
  /**
   * Name of the existing database: any name MySQL accepts as a quoted identifier (e.g. `order-service`),
   * since the app only receives it as a string.
   */
  readonly database: string;
  /** Existing Secret with the credentials (created out of band: kubectl, external-secrets, sealed-secrets). */
  readonly credentialsSecret: string;
  /** Keys in credentialsSecret. @default { username: 'username', password: 'password' } */
  readonly credentialKeys?: CredentialKeys;
}

/**
 * A database that already exists (external): any name MySQL accepts as a quoted identifier, since the
 * app only receives it as a string (e.g. 'order-service'): 1-64 characters of the Basic Multilingual
 * Plane except NUL, not ending with a space.
 * @see https://dev.mysql.com/doc/refman/8.4/en/identifiers.html
 */
function validateExistingDatabaseName(owner: string, db: string): void {
  if (typeof db !== 'string' || db === '') fail(owner, `database ${show(db)} is missing`, 'set database to the name of the existing database');
  if (db.length > 64 || /[\u0000\uD800-\uDFFF]/.test(db) || db.endsWith(' ')) {
    fail(owner, `database ${show(db)} is not a MySQL database name`, 'use 1-64 characters without NUL or characters outside the Basic Multilingual Plane (e.g. emoji), not ending with a space');
  }
}

/** The validated endpoint and credentials of an external database. */
interface ExternalModel {
  /** The endpoint's DNS name, without a trailing dot. */
  readonly host: string;
  readonly port: number;
  readonly database: string;
  /** The existing credentials Secret. */
  readonly credentialsSecret: string;
  /** Its keys. */
  readonly keys: { readonly username: string; readonly password: string };
}

/** MySqlProvider.external(). */
export const EXTERNAL: MySqlProvisioner<ExternalMySqlOptions, ExternalModel> = {
  kind: 'external',
  factory: 'external',
  example: 'MySqlProvider.external({ host: \'orders.abc123.us-east-1.rds.amazonaws.com\', database: \'orders\', credentialsSecret: \'orders-db-credentials\' })',
  model: ({ owner }, o) => {
    if (typeof o.host !== 'string' || o.host === '') fail(owner, 'external host is missing', 'set host to the database\'s DNS name');
    // An absolute name ('db.example.com.') means the same to the apiserver, which strips one trailing dot
    // before its DNS-1123 check, and to cluster DNS, whose CNAME answer is absolute either way.
    const host = o.host.endsWith('.') && o.host.length > 1 ? o.host.slice(0, -1) : o.host;
    if (parseIpv4(host) !== undefined || (host.includes(':') && /^[0-9a-fA-F:]+$/.test(host))) {
      fail(owner, `external host ${show(o.host)} is an IP address`, 'an ExternalName Service needs a DNS name (e.g. the RDS endpoint \'orders.abc123.us-east-1.rds.amazonaws.com\')');
    }
    if (!isDnsName(host, false)) fail(owner, `external host ${show(o.host)} is not a DNS name`, 'use a lowercase DNS name such as \'orders.abc123.us-east-1.rds.amazonaws.com\'');
    const port = o.port ?? 3306;
    validatePort(owner, 'port', port);
    validateExistingDatabaseName(owner, o.database);
    validateObjectName(owner, 'credentialsSecret', o.credentialsSecret);
    const keys = credentialKeys(owner, o.credentialKeys);
    return { host, port, database: o.database, credentialsSecret: o.credentialsSecret, keys };
  },
  render: renderExternal,
};

/** Renders the ExternalName Service, then the connection ConfigMap. */
function renderExternal(binding: BindingContext, m: ExternalModel): Provisioned {
  const serviceName = `${binding.name}-mysql`;
  const connectionConfigMap = connectionConfigMapName(binding);
  const service = bindingObject(binding, 'v1', 'Service', serviceName, {
    spec: renderServiceSpec({ type: 'ExternalName', externalName: m.host, ports: [{ name: 'mysql', port: m.port, protocol: Protocol.TCP }] }),
  });
  const configMap = bindingObject(binding, 'v1', 'ConfigMap', connectionConfigMap, { data: { host: serviceName, port: String(m.port), database: m.database } });
  return {
    connection: configMapAndSecretConnection(connectionConfigMap, m.credentialsSecret, m.keys),
    service, configMap, externalPort: m.port,
  };
}
