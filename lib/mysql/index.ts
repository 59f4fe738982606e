// The MySqlBinding family: exactly the names lib/mysql-binding.ts exported before the split; the helpers
// shared inside lib/mysql stay internal.

export { ALLOW_AZURE_SERVICES_RULE, AsoMySqlApiVersion, type AzureServiceOperatorMySqlOptions, FlexibleServerTier, FlexibleServerVersion } from './aso-options';
export { type FirewallRule } from './azure';
export {
  DEFAULT_MYSQL_ENV, type ExternalMySqlOptions, type IOsbaMySqlServer, type MySqlBindOptions, MySqlBinding, type MySqlBindingProps, type MySqlConnection,
  type MySqlEnvNames, MySqlProvider, MySqlSetting, type MySqlValueSource, type OsbaMySqlDatabaseOptions, type OsbaMySqlOptions, OsbaMySqlServer,
  type OsbaMySqlServerProps, type OsbaObjectNames,
} from './binding';
export { type CredentialKeys } from './credentials';
export {
  DEFAULT_MYSQL_RESOURCES, type InClusterCredentialKeys, type InClusterMySqlOptions, MIN_MYSQL_MEMORY_LIMIT, MYSQL_IMAGE, MYSQL_UID,
} from './in-cluster-options';
export { OSBA_MYSQL_SECRET_KEYS } from './osba-catalog';
export { BackupRedundancy, type OsbaMySqlServerOptions, SslEnforcement } from './osba-parameters';
export {
  type ParametersFromSource, SERVICE_CATALOG_API_VERSION, type SecretKeyReference, type SecretTransform, type ServiceBindingSpec, type ServiceInstanceSpec,
} from './service-catalog';
