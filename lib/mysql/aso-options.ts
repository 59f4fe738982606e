// Azure Service Operator v2 (dbformysql.azure.com) facts and the options of
// MySqlProvider.azureServiceOperator().

import type { FirewallRule } from './azure';
import type { SecretKeyReference } from './service-catalog';

/**
 * The ASO v2 API version of the dbformysql objects (Azure API 2023-12-30 in both cases).
 * @see https://azure.github.io/azure-service-operator/reference/dbformysql/
 */
export enum AsoMySqlApiVersion {
  /** The legacy name, served by every ASO v2 release with this Azure API version (and still by ASO 2.19+). */
  V1API20231230 = 'dbformysql.azure.com/v1api20231230',
  /** The simplified name ASO recommends from v2.19 on (not served by older releases). */
  V20231230 = 'dbformysql.azure.com/v20231230',
}

/** Compute tier of an Azure Database for MySQL flexible server. */
export enum FlexibleServerTier {
  /** Burstable (B-series), for development and light load. */
  BURSTABLE = 'Burstable',
  /** General purpose (D-series). */
  GENERAL_PURPOSE = 'GeneralPurpose',
  /** Memory optimized (E-series). */
  MEMORY_OPTIMIZED = 'MemoryOptimized',
}

/**
 * MySQL version of an Azure Database for MySQL flexible server: the values the Azure API 2023-12-30 (and
 * so ASO's `dbformysql` v1api20231230 `ServerVersion` enum) accepts. Azure applies minor releases itself.
 * @see https://github.com/Azure/azure-service-operator/blob/main/v2/api/dbformysql/v1api20231230/structure.txt
 */
export enum FlexibleServerVersion {
  /** MySQL 5.7 (databases default to collation `utf8mb4_general_ci`). */
  V5_7 = '5.7',
  /** MySQL 8.0 (databases default to collation `utf8mb4_0900_ai_ci`). */
  V8_0_21 = '8.0.21',
}

/** Name of the firewall rule that admits Azure services (Azure CLI's name for the 0.0.0.0 rule). */
export const ALLOW_AZURE_SERVICES_RULE = 'AllowAllAzureServicesAndResourcesWithinAzureIps';

/** Options of {@link MySqlProvider.azureServiceOperator}. */
export interface AzureServiceOperatorMySqlOptions {
  /** Azure region, programmatic name (e.g. `eastus`). */
  readonly location: string;
  /** Name of the ASO `resources.azure.com` ResourceGroup object (same namespace) that owns the server. */
  readonly resourceGroup: string;
  /** Name of the FlexibleServer object and of the server in Azure (globally unique). @default '<name>-mysql' */
  readonly serverName?: string;
  /** Administrator login; the app connects as this user. */
  readonly administratorLogin: string;
  /**
   * Existing Secret holding the administrator password (ASO does not generate passwords). The app
   * reads its password from the same key.
   */
  readonly administratorPasswordSecret: SecretKeyReference;
  /** The database to create and connect to. */
  readonly database: string;
  /** MySQL version (the database's collation follows it). @default FlexibleServerVersion.V8_0_21 */
  readonly version?: FlexibleServerVersion;
  /** @default FlexibleServerTier.BURSTABLE */
  readonly tier?: FlexibleServerTier;
  /**
   * Compute SKU, of the tier's series: Standard_B* for Burstable, Standard_D* for GeneralPurpose,
   * Standard_E* for MemoryOptimized (a mismatch is an error: Azure would reject the server).
   * @default - Standard_B1ms, Standard_D2ds_v4 or Standard_E2ds_v4 by tier
   */
  readonly skuName?: string;
  /** Storage in GiB (20-16384). @default 20 */
  readonly storageGb?: number;
  /** Days backups are kept (1-35). @default 7 */
  readonly backupRetentionDays?: number;
  /**
   * Server firewall rules (each a FlexibleServersFirewallRule). The server has public access and, unlike
   * OSBA's, no implicit rule: without a rule (or {@link allowAzureServices}) nothing can connect, so one
   * of the two is required.
   * @default - none
   */
  readonly firewallRules?: FirewallRule[];
  /**
   * Admit connections from Azure services (e.g. an AKS cluster's outbound IPs) with the rule
   * `AllowAllAzureServicesAndResourcesWithinAzureIps` (0.0.0.0-0.0.0.0). This admits every Azure
   * customer's IPs, not only yours: prefer firewallRules with your cluster's egress IPs.
   * @default false
   */
  readonly allowAzureServices?: boolean;
  /** Azure tags on the server. @default - none */
  readonly tags?: Record<string, string>;
  /** API version of the rendered ASO objects. @default AsoMySqlApiVersion.V1API20231230 (served by old and new ASO releases) */
  readonly apiVersion?: AsoMySqlApiVersion;
}
