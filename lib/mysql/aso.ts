// The Azure Service Operator v2 provider, MySqlProvider.azureServiceOperator(): a FlexibleServer with
// its admin password from an existing Secret, a FlexibleServersDatabase, FlexibleServersFirewallRules,
// and a ConfigMap with the settings ASO does not write.

import { compact } from '../k8s-object';
import { fail, show, toDnsLabel, validateInt } from '../core';
import {
  ALLOW_AZURE_SERVICES_RULE, AsoMySqlApiVersion, AzureServiceOperatorMySqlOptions, FlexibleServerTier, FlexibleServerVersion,
} from './aso-options';
import { FirewallRule, validateFirewallRules, validateLocation, validateResourceGroup, validateServerName, validateTags } from './azure';
import { BindingContext, MySqlProvisioner, Provisioned, bindingObject, connectionConfigMapName } from './provisioner';
import { SecretKeyReference } from './service-catalog';
import { validateDatabaseName, validateObjectName, validateSecretKeyRef } from './validation';

/** The utf8mb4 collation a new database gets, per version (`utf8mb4_0900_ai_ci` exists only in MySQL 8.0+). */
const DATABASE_COLLATION: Readonly<Record<FlexibleServerVersion, string>> = {
  [FlexibleServerVersion.V5_7]: 'utf8mb4_general_ci',
  [FlexibleServerVersion.V8_0_21]: 'utf8mb4_0900_ai_ci',
};

const DEFAULT_SKU: Readonly<Record<FlexibleServerTier, string>> = {
  [FlexibleServerTier.BURSTABLE]: 'Standard_B1ms',
  [FlexibleServerTier.GENERAL_PURPOSE]: 'Standard_D2ds_v4',
  [FlexibleServerTier.MEMORY_OPTIMIZED]: 'Standard_E2ds_v4',
};

/**
 * The VM series of each tier (Azure's capability list: Burstable B-series, GeneralPurpose D-series,
 * MemoryOptimized E-series). Only these three series are checked; a SKU of another series passes.
 */
const TIER_SERIES: Readonly<Record<FlexibleServerTier, string>> = {
  [FlexibleServerTier.BURSTABLE]: 'B',
  [FlexibleServerTier.GENERAL_PURPOSE]: 'D',
  [FlexibleServerTier.MEMORY_OPTIMIZED]: 'E',
};

/** Azure rejects a server whose SKU belongs to another tier: report it at synth. */
function checkSkuMatchesTier(owner: string, skuName: string, tier: FlexibleServerTier): void {
  const series = /^Standard_([A-Za-z])/.exec(skuName)?.[1].toUpperCase();
  const skuTier = (Object.keys(TIER_SERIES) as FlexibleServerTier[]).find((t) => TIER_SERIES[t] === series);
  if (skuTier === undefined || skuTier === tier) return;
  const tierName = (t: FlexibleServerTier) => Object.entries(FlexibleServerTier).find(([, v]) => v === t)![0];
  fail(owner, `skuName ${show(skuName)} is a ${skuTier} (${series}-series) SKU but tier is ${tier}, and Azure only accepts Standard_${TIER_SERIES[tier]}* SKUs in that tier`,
    `use a ${tier} SKU such as ${show(DEFAULT_SKU[tier])}, or tier: FlexibleServerTier.${tierName(skuTier)}`);
}


const RESERVED_LOGINS: readonly string[] = ['admin', 'administrator', 'root', 'guest', 'public', 'azure_superuser', 'azure_pg_admin', 'sa'];

/** The server's administrator login (the app connects as this user). */
function validateAdminLogin(owner: string, login: string): void {
  if (typeof login !== 'string' || !/^[A-Za-z][A-Za-z0-9_]{0,31}$/.test(login)) {
    fail(owner, `administratorLogin ${show(login)} is not a valid login`, 'use 1-32 letters, digits and \'_\', starting with a letter');
  }
  if (RESERVED_LOGINS.includes(login.toLowerCase())) fail(owner, `administratorLogin ${show(login)} is reserved by Azure`, 'use another name, e.g. \'mysqladmin\'');
}

/** A firewall rule with the name of the FlexibleServersFirewallRule object it renders. */
interface AsoFirewallRule {
  /** The rule. */
  readonly rule: FirewallRule;
  /** `metadata.name` of its object. */
  readonly objectName: string;
}

/** The validated ASO objects of a binding. */
interface AsoModel {
  readonly apiVersion: AsoMySqlApiVersion;
  readonly location: string;
  /** The ASO ResourceGroup object owning the server. */
  readonly resourceGroup: string;
  /** Name of the FlexibleServer object and of the server in Azure. */
  readonly serverName: string;
  readonly version: FlexibleServerVersion;
  readonly tier: FlexibleServerTier;
  readonly skuName: string;
  readonly administratorLogin: string;
  readonly administratorPassword: SecretKeyReference;
  readonly storageGb: number;
  readonly backupRetentionDays: number;
  /** As given (rendered only when it has a tag). */
  readonly tags?: Record<string, string>;
  /** The database's name in MySQL. */
  readonly database: string;
  /** Name of the FlexibleServersDatabase object. */
  readonly databaseObjectName: string;
  /** The rules, `allowAzureServices`'s last. */
  readonly firewallRules: readonly AsoFirewallRule[];
}

/** MySqlProvider.azureServiceOperator(). */
export const ASO: MySqlProvisioner<AzureServiceOperatorMySqlOptions, AsoModel> = {
  kind: 'aso',
  factory: 'azureServiceOperator',
  example: 'MySqlProvider.azureServiceOperator({ location: \'eastus\', resourceGroup: \'demo\', administratorLogin: \'mysqladmin\', administratorPasswordSecret: { name: \'mysql-admin\', key: \'password\' }, database: \'orders\', allowAzureServices: true })',
  model: (binding, o) => {
    const owner = binding.owner;
    validateLocation(owner, o.location);
    validateResourceGroup(owner, o.resourceGroup);
    validateObjectName(owner, 'resourceGroup', o.resourceGroup, { note: 'it names the ASO ResourceGroup object' });
    const serverName = o.serverName ?? `${binding.name}-mysql`;
    validateServerName(owner, 'serverName', serverName);
    validateAdminLogin(owner, o.administratorLogin);
    validateSecretKeyRef(owner, 'administratorPasswordSecret', o.administratorPasswordSecret);
    validateDatabaseName(owner, o.database);
    const version = o.version ?? FlexibleServerVersion.V8_0_21;
    if (!Object.values(FlexibleServerVersion).includes(version)) {
      fail(owner, `version ${show(version)} is not a MySQL version Azure flexible servers accept (${Object.values(FlexibleServerVersion).join(', ')})`,
        'use FlexibleServerVersion.V8_0_21 or FlexibleServerVersion.V5_7');
    }
    const tier = o.tier ?? FlexibleServerTier.BURSTABLE;
    if (!Object.values(FlexibleServerTier).includes(tier)) {
      fail(owner, `tier ${show(tier)} is not a flexible server tier (${Object.values(FlexibleServerTier).join(', ')})`, 'use FlexibleServerTier.BURSTABLE, GENERAL_PURPOSE or MEMORY_OPTIMIZED');
    }
    const skuName = o.skuName ?? DEFAULT_SKU[tier];
    if (typeof skuName !== 'string' || !/^Standard_[A-Za-z0-9_]+$/.test(skuName)) fail(owner, `skuName ${show(skuName)} is not an Azure compute SKU`, 'use e.g. \'Standard_B1ms\' or \'Standard_D2ds_v4\'');
    checkSkuMatchesTier(owner, skuName, tier);
    const storageGb = o.storageGb ?? 20;
    validateInt(owner, 'storageGb', storageGb, 20, 16384);
    const retention = o.backupRetentionDays ?? 7;
    validateInt(owner, 'backupRetentionDays', retention, 1, 35);
    validateTags(owner, o.tags);
    const rules = [...validateFirewallRules(owner, o.firewallRules)];
    if (rules.length === 0 && !o.allowAzureServices) {
      fail(owner, 'azureServiceOperator has no firewallRules and allowAzureServices is not set, so no client could reach the server (ASO adds no implicit rule)',
        'set firewallRules to your cluster\'s egress IPs, e.g. [{ name: \'aks-egress\', startIpAddress: \'203.0.113.10\', endIpAddress: \'203.0.113.10\' }], or allowAzureServices: true');
    }
    if (o.allowAzureServices) rules.push({ name: ALLOW_AZURE_SERVICES_RULE, startIpAddress: '0.0.0.0', endIpAddress: '0.0.0.0' });
    const apiVersion = o.apiVersion ?? AsoMySqlApiVersion.V1API20231230;
    if (!Object.values(AsoMySqlApiVersion).includes(apiVersion)) fail(owner, `apiVersion ${show(apiVersion)} is not supported`, `use one of ${Object.values(AsoMySqlApiVersion).join(', ')}`);
    const firewallRules = rules.map((rule) => ({ rule, objectName: `${serverName}-${toDnsLabel(rule.name)}` }));
    const fwNames = firewallRules.map((f) => f.objectName);
    const dupFw = fwNames.find((n, i) => fwNames.indexOf(n) !== i);
    if (dupFw) fail(owner, `two firewall rules render the object name ${show(dupFw)}`, 'give the rules names that differ in more than case and punctuation');
    return {
      apiVersion, location: o.location, resourceGroup: o.resourceGroup, serverName, version, tier, skuName,
      administratorLogin: o.administratorLogin,
      administratorPassword: { name: o.administratorPasswordSecret.name, key: o.administratorPasswordSecret.key },
      storageGb, backupRetentionDays: retention, tags: o.tags,
      database: o.database, databaseObjectName: `${serverName}-${toDnsLabel(o.database)}`.slice(0, 253),
      firewallRules,
    };
  },
  render: renderAso,
};

/** Renders the FlexibleServer, its database, its firewall rules and the connection ConfigMap, in that order. */
function renderAso(binding: BindingContext, m: AsoModel): Provisioned {
  const serverConfigMap = `${binding.name}-mysql-server`;
  const connectionConfigMap = connectionConfigMapName(binding);
  const flexibleServer = bindingObject(binding, m.apiVersion, 'FlexibleServer', m.serverName, {
    spec: compact({
      location: m.location,
      owner: { name: m.resourceGroup },
      version: m.version,
      sku: { name: m.skuName, tier: m.tier },
      administratorLogin: m.administratorLogin,
      administratorLoginPassword: { name: m.administratorPassword.name, key: m.administratorPassword.key },
      storage: { storageSizeGB: m.storageGb },
      backup: { backupRetentionDays: m.backupRetentionDays },
      tags: m.tags && Object.keys(m.tags).length ? { ...m.tags } : undefined,
      operatorSpec: { configMaps: { fullyQualifiedDomainName: { name: serverConfigMap, key: 'host' } } },
    }),
  });
  const flexibleServersDatabase = bindingObject(binding, m.apiVersion, 'FlexibleServersDatabase', m.databaseObjectName, {
    spec: { owner: { name: m.serverName }, azureName: m.database, charset: 'utf8mb4', collation: DATABASE_COLLATION[m.version] },
  });
  const flexibleServersFirewallRules = m.firewallRules.map(({ rule: r, objectName }) => bindingObject(binding, m.apiVersion, 'FlexibleServersFirewallRule', objectName, {
    spec: { owner: { name: m.serverName }, azureName: r.name, startIpAddress: r.startIpAddress, endIpAddress: r.endIpAddress },
  }, `FirewallRule-${r.name}`));
  const configMap = bindingObject(binding, 'v1', 'ConfigMap', connectionConfigMap, { data: { port: '3306', database: m.database, username: m.administratorLogin } });
  return {
    connection: {
      host: { kind: 'ConfigMap', name: serverConfigMap, key: 'host' },
      port: { kind: 'ConfigMap', name: connectionConfigMap, key: 'port' },
      database: { kind: 'ConfigMap', name: connectionConfigMap, key: 'database' },
      user: { kind: 'ConfigMap', name: connectionConfigMap, key: 'username' },
      password: { kind: 'Secret', name: m.administratorPassword.name, key: m.administratorPassword.key },
    },
    flexibleServer, flexibleServersDatabase, flexibleServersFirewallRules, configMap, externalPort: 3306,
  };
}
