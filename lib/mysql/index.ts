// The MySqlBinding family: one construct and one connection contract, with a provider per file
// (osba.ts, aso.ts, external.ts, in-cluster.ts) chosen by the MySqlProvider factories. Exactly the
// names the family has always exported (the root index picks the public ones); helpers shared inside lib/mysql stay internal.

export { ALLOW_AZURE_SERVICES_RULE, AsoMySqlApiVersion, type AzureServiceOperatorMySqlOptions, FlexibleServerTier, FlexibleServerVersion } from './aso-options';
export { type FirewallRule } from './azure';
export { MySqlBinding } from './binding';
export {
  DEFAULT_MYSQL_ENV, type MySqlBindOptions, type MySqlBindingProps, type MySqlConnection, type MySqlEnvNames, MySqlSetting, type MySqlValueSource,
} from './contract';
export { type CredentialKeys } from './credentials';
export { type ExternalMySqlOptions } from './external';
export {
  DEFAULT_MYSQL_RESOURCES, type InClusterCredentialKeys, type InClusterMySqlOptions, MIN_MYSQL_MEMORY_LIMIT, MYSQL_IMAGE, MYSQL_UID,
} from './in-cluster-options';
export { type OsbaMySqlDatabaseOptions, type OsbaMySqlOptions, type OsbaObjectNames } from './osba';
export { OSBA_MYSQL_SECRET_KEYS } from './osba-catalog';
export { BackupRedundancy, type OsbaMySqlServerOptions, SslEnforcement } from './osba-parameters';
export { type IOsbaMySqlServer, OsbaMySqlServer, type OsbaMySqlServerProps } from './osba-server';
export { MySqlProvider } from './provider';
export {
  type ParametersFromSource, SERVICE_CATALOG_API_VERSION, type SecretKeyReference, type SecretTransform, type ServiceBindingSpec, type ServiceInstanceSpec,
} from './service-catalog';
