// The connection contract every provider fulfils: the settings, where each lives in the cluster, the
// env vars a bound app gets, and the binding's props.

import type { MySqlProvider } from './provider';

/** One setting of the connection contract. */
export enum MySqlSetting {
  /** Host name. */
  HOST = 'host',
  /** TCP port. */
  PORT = 'port',
  /** Database name. */
  DATABASE = 'database',
  /** User name. */
  USER = 'user',
  /** Password. */
  PASSWORD = 'password',
}

/** Where the value of one setting lives in the cluster. */
export interface MySqlValueSource {
  /** A Secret or a ConfigMap. */
  readonly kind: 'Secret' | 'ConfigMap';
  /** Its name (same namespace as the binding). */
  readonly name: string;
  /** The key. */
  readonly key: string;
}

/** Where each setting lives: the contract every provider fulfils. */
export type MySqlConnection = { readonly [S in MySqlSetting]: MySqlValueSource };

/** The default env var name of each setting. */
export const DEFAULT_MYSQL_ENV: { readonly [S in MySqlSetting]: string } = {
  host: 'MYSQL_HOST', port: 'MYSQL_PORT', database: 'MYSQL_DATABASE', user: 'MYSQL_USER', password: 'MYSQL_PASSWORD',
};

/** Env var names, per setting. */
export interface MySqlEnvNames {
  /** @default 'MYSQL_HOST' (after prefix) */
  readonly host?: string;
  /** @default 'MYSQL_PORT' (after prefix) */
  readonly port?: string;
  /** @default 'MYSQL_DATABASE' (after prefix) */
  readonly database?: string;
  /** @default 'MYSQL_USER' (after prefix) */
  readonly user?: string;
  /** @default 'MYSQL_PASSWORD' (after prefix) */
  readonly password?: string;
}

/** Options of {@link MySqlBinding.bindTo}. */
export interface MySqlBindOptions {
  /** Prepended to the default names (`ORDERS_` gives `ORDERS_MYSQL_HOST`, ...); not to names given in envNames. @default '' */
  readonly prefix?: string;
  /** Env var names, used as given. @default - DEFAULT_MYSQL_ENV with the prefix */
  readonly envNames?: MySqlEnvNames;
  /**
   * Add an init container that waits until the database accepts TCP connections (busybox `nc`, reading
   * host and port from the same Secret/ConfigMap keys as the app).
   * @default false
   */
  readonly waitForDatabase?: boolean;
  /**
   * Name of the wait-for init container (only with waitForDatabase), for when the default collides with
   * an init container the app already has. Binding one database to one app twice (under two prefixes)
   * adds a single wait-for container.
   * @default 'wait-for-<name>-mysql'
   */
  readonly waitContainerName?: string;
}

/** Properties of a {@link MySqlBinding}. */
export interface MySqlBindingProps {
  /** Which provider makes the database. */
  readonly provider: MySqlProvider;
  /**
   * Base of every object name (`<name>-mysql-secret`, `<name>-mysql`, ...): a DNS-1035 label of at most
   * 46 characters.
   * @default - derived from the construct id
   */
  readonly name?: string;
  /** Namespace of every object; bound WebApps must live in it. @default - the chart's namespace */
  readonly namespace?: string;
}
