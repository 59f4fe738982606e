import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { Json, MANAGED_BY, checkUniqueObjects, compact, firstWithKey, manifest, namespaceOf, withChildSlots } from '../k8s-object';
import {
  ENV_VAR_NAME, fail, isDns1035Label, isDns1123Label, isDns1123Subdomain, isDnsName, parseIpv4, parseQuantity, show, toDnsLabel,
  validateDns1035, validateImage, validateInt, validatePort, validateQuantity,
} from '../validation';
import {
  BUSYBOX_IMAGE, EnvValue, NetworkPeer, ResourceRange, Resources, SeccompProfile, WebApp, renderResources, restrictedSecurityContext,
} from '../web-app';

// =====================================================================================================
// Service Catalog (servicecatalog.k8s.io/v1beta1) specs. The CRDs ship no schema, so the generated
// classes in imports/ have no `spec`: these interfaces follow kubernetes-sigs/service-catalog
// pkg/apis/servicecatalog/v1beta1/types.go, and the objects are rendered with `manifest()`.
// =====================================================================================================

/** The Service Catalog API version of ServiceInstance and ServiceBinding. */
export const SERVICE_CATALOG_API_VERSION = 'servicecatalog.k8s.io/v1beta1';

/** A key of a Secret in the object's namespace (`SecretKeyReference` in types.go). */
export interface SecretKeyReference {
  /** The Secret's name. */
  readonly name: string;
  /** The key whose value is used. */
  readonly key: string;
}

/**
 * Parameters read from a Secret key holding a JSON object (`ParametersFromSource`); the broker receives
 * them merged into `parameters`. The way to pass secrets (e.g. an admin password) to a broker without
 * writing them into the ServiceInstance.
 */
export interface ParametersFromSource {
  /** The Secret key holding a JSON object of parameters. */
  readonly secretKeyRef: SecretKeyReference;
}

/** `spec` of a Service Catalog ServiceInstance (the fields this library renders). @see https://github.com/kubernetes-sigs/service-catalog/blob/master/pkg/apis/servicecatalog/v1beta1/types.go */
export interface ServiceInstanceSpec {
  /** The broker's external name of the ClusterServiceClass (e.g. `azure-mysql-5-7`). */
  readonly clusterServiceClassExternalName: string;
  /** The broker's external name of the ClusterServicePlan (e.g. `basic`). */
  readonly clusterServicePlanExternalName: string;
  /** Provisioning parameters sent to the broker. @default - none */
  readonly parameters?: Json;
  /** Provisioning parameters read from Secrets. @default - none */
  readonly parametersFrom?: ParametersFromSource[];
}

/** One transformation of the binding Secret's keys (`SecretTransform`); exactly one field is set. */
export interface SecretTransform {
  /** Renames a key. */
  readonly renameKey?: { readonly from: string; readonly to: string };
  /** Adds a key with a literal value or a JSONPath into the credentials. */
  readonly addKey?: { readonly key: string; readonly stringValue?: string; readonly jsonPathExpression?: string };
  /** Copies every key of another Secret. */
  readonly addKeysFrom?: { readonly secretRef: { readonly name: string; readonly namespace?: string } };
  /** Removes a key. */
  readonly removeKey?: { readonly key: string };
}

/** `spec` of a Service Catalog ServiceBinding (the fields this library renders). @see https://github.com/kubernetes-sigs/service-catalog/blob/master/pkg/apis/servicecatalog/v1beta1/types.go */
export interface ServiceBindingSpec {
  /** The ServiceInstance (same namespace) to bind to. */
  readonly instanceRef: { readonly name: string };
  /** The Secret the credentials are written to. @default - the binding's name */
  readonly secretName?: string;
  /** Binding parameters sent to the broker. @default - none */
  readonly parameters?: Json;
  /** Binding parameters read from Secrets. @default - none */
  readonly parametersFrom?: ParametersFromSource[];
  /** Transformations of the credentials before they are written. @default - none */
  readonly secretTransforms?: SecretTransform[];
}

// =====================================================================================================
// Open Service Broker for Azure (OSBA) facts
// =====================================================================================================

/** The keys of the Secret an OSBA `azure-mysql*` ServiceBinding writes. */
export const OSBA_MYSQL_SECRET_KEYS: readonly string[] = ['host', 'port', 'database', 'username', 'password', 'sslRequired', 'uri', 'tags'];

/** What an OSBA MySQL service class provisions. */
enum OsbaClassKind { ALL_IN_ONE = 'DBMS and database', DBMS = 'DBMS only', DATABASE = 'database only' }

interface OsbaClass { readonly kind: OsbaClassKind; readonly plans: readonly string[] }

const SERVER_PLANS = ['basic', 'general-purpose', 'memory-optimized'];
/** The MySQL service classes of current OSBA releases (docs/modules/mysql.md). */
const OSBA_CLASSES: Record<string, OsbaClass> = {
  'azure-mysql-5-7': { kind: OsbaClassKind.ALL_IN_ONE, plans: SERVER_PLANS },
  'azure-mysql-5-7-dbms': { kind: OsbaClassKind.DBMS, plans: SERVER_PLANS },
  'azure-mysql-5-7-database': { kind: OsbaClassKind.DATABASE, plans: ['database'] },
};

/** Per-plan limits of the OSBA MySQL server plans. */
const PLAN_LIMITS: Record<string, { cores: number[]; maxStorageGb: number; backupRedundancy: boolean }> = {
  'basic': { cores: [1, 2], maxStorageGb: 1048, backupRedundancy: false },
  'general-purpose': { cores: [2, 4, 8, 16, 32], maxStorageGb: 2048, backupRedundancy: true },
  'memory-optimized': { cores: [2, 4, 8, 16], maxStorageGb: 2048, backupRedundancy: true },
};

/** Whether an OSBA MySQL server enforces TLS (`sslEnforcement`). */
export enum SslEnforcement {
  /** Leave it to the broker (`""`): TLS is enforced. */
  UNSPECIFIED = '',
  /** TLS required. */
  ENABLED = 'enabled',
  /** TLS not required (a relaxation). */
  DISABLED = 'disabled',
}

/** Where backups of an OSBA general-purpose or memory-optimized server are kept. */
export enum BackupRedundancy {
  /** Locally redundant. */
  LOCAL = 'local',
  /** Geo-redundant. */
  GEO = 'geo',
}

/** A server firewall rule: clients from `startIpAddress` to `endIpAddress` (inclusive, IPv4) may connect. */
export interface FirewallRule {
  /** Rule name (letters, digits, '-', '_' and '.', at most 128 characters). */
  readonly name: string;
  /** First allowed IPv4 address. */
  readonly startIpAddress: string;
  /** Last allowed IPv4 address (not lower than startIpAddress). */
  readonly endIpAddress: string;
}

/** Server settings shared by the OSBA all-in-one class and the DBMS-only class. */
export interface OsbaMySqlServerOptions {
  /** Azure region, programmatic name (e.g. `eastus`). */
  readonly location: string;
  /** The (new or existing) Azure resource group. */
  readonly resourceGroup: string;
  /** The broker's plan. @default 'basic' */
  readonly plan?: string;
  /**
   * Accept a service class or plan this library does not know (custom brokers, or older OSBA names such
   * as the `azure-mysql` / `basic50` of early releases). Per-plan limits are then not checked.
   * @default false
   */
  readonly allowUnknownClassOrPlan?: boolean;
  /** Azure name of the server (3-63 lowercase letters, digits and '-'). @default - generated by the broker */
  readonly serverName?: string;
  /** Administrator login (`adminAccountSettings.adminUsername`). @default - the broker's ('azureuser') */
  readonly adminUsername?: string;
  /** TLS enforcement. @default SslEnforcement.UNSPECIFIED (the broker enforces TLS) */
  readonly sslEnforcement?: SslEnforcement;
  /** Server firewall rules. @default - none: only Azure IPs may connect */
  readonly firewallRules?: FirewallRule[];
  /** Azure tags on the new resources. @default - none (the broker adds `heritage: open-service-broker-azure`) */
  readonly tags?: Record<string, string>;
  /** vCores (basic: 1 or 2; general-purpose: 2-32; memory-optimized: 2-16, powers of two). @default - the plan's (1 or 2) */
  readonly cores?: number;
  /** Storage in GB (5-1048 for basic, 5-2048 otherwise). @default - the plan's (10) */
  readonly storageGb?: number;
  /** Days backups are kept (7-35). @default - the plan's (7) */
  readonly backupRetentionDays?: number;
  /** Backup redundancy (general-purpose and memory-optimized plans only). @default - the plan's (local) */
  readonly backupRedundancy?: BackupRedundancy;
  /**
   * Parameters read from Secret keys holding JSON objects, e.g. `{"adminAccountSettings":{"adminPassword":"..."}}`
   * (never put passwords into `parameters`: they would be readable in the ServiceInstance).
   * @default - none
   */
  readonly parametersFrom?: SecretKeyReference[];
  /** Further raw parameters for the broker (must not repeat a typed one). @default - none */
  readonly extraParameters?: Json;
}

/** Names of the Service Catalog objects a binding renders. */
export interface OsbaObjectNames {
  /** ServiceInstance name. @default '<name>-mysql-instance' */
  readonly instanceName?: string;
  /** ServiceBinding name. @default '<name>-mysql-binding' */
  readonly bindingName?: string;
  /** Secret the broker writes the credentials to. @default '<name>-mysql-secret' */
  readonly secretName?: string;
  /** User the broker creates (`username` binding parameter). @default - generated by the broker */
  readonly bindingUsername?: string;
  /** Transformations of the binding Secret's keys (the env keys follow `renameKey`). @default - none */
  readonly secretTransforms?: SecretTransform[];
}

/** Options of {@link MySqlProvider.osba}: an all-in-one DBMS and database. */
export interface OsbaMySqlOptions extends OsbaMySqlServerOptions, OsbaObjectNames {
  /** The broker's service class. @default 'azure-mysql-5-7' */
  readonly serviceClass?: string;
}

/** Options of {@link MySqlProvider.osbaDatabase}: a database on a shared OSBA DBMS. */
export interface OsbaMySqlDatabaseOptions extends OsbaObjectNames {
  /** The broker's service class. @default 'azure-mysql-5-7-database' */
  readonly serviceClass?: string;
  /** The broker's plan. @default 'database' */
  readonly plan?: string;
  /** Accept a class or plan this library does not know. @default false */
  readonly allowUnknownClassOrPlan?: boolean;
}

/** A DBMS provisioned through OSBA's DBMS-only class, identified by its alias. */
export interface IOsbaMySqlServer {
  /** The alias databases name as `parentAlias`. */
  readonly alias: string;
}

/** Properties of an {@link OsbaMySqlServer}. */
export interface OsbaMySqlServerProps extends OsbaMySqlServerOptions {
  /** Base of the ServiceInstance name. @default - derived from the construct id */
  readonly name?: string;
  /** Namespace. @default - the chart's namespace */
  readonly namespace?: string;
  /** ServiceInstance name. @default '<name>-mysql-dbms-instance' */
  readonly instanceName?: string;
  /**
   * The broker-wide alias databases refer to (`parentAlias`). It must be unique in the broker, which
   * may serve several clusters, so there is no default: a UUID is the usual choice.
   */
  readonly alias: string;
  /** The broker's service class. @default 'azure-mysql-5-7-dbms' */
  readonly serviceClass?: string;
}

/**
 * An Azure Database for MySQL DBMS without a database, provisioned through OSBA's DBMS-only class
 * (`azure-mysql-5-7-dbms`), so several apps can each get a database on one server with
 * {@link MySqlProvider.osbaDatabase}. The class is not bindable.
 *
 * @example
 * const server = new OsbaMySqlServer(chart, 'shared', { location: 'eastus', resourceGroup: 'demo', alias: '71b6b6c4-5271-47d3-8188-51e69fba914e' });
 * new MySqlBinding(chart, 'orders', { provider: MySqlProvider.osbaDatabase(server) }).bindTo(orders);
 */
export class OsbaMySqlServer extends Construct implements IOsbaMySqlServer {
  /** A DBMS provisioned elsewhere (another app or cluster), by its alias. */
  public static fromAlias(alias: string): IOsbaMySqlServer {
    validateAlias('OsbaMySqlServer', 'alias', alias);
    return { alias };
  }

  /** The alias. */
  public readonly alias: string;
  /** Base name. */
  public readonly name: string;
  /** Namespace (`undefined`: the kubectl context's). */
  public readonly namespace: string | undefined;
  /** The ServiceInstance. */
  public readonly serviceInstance: ApiObject;

  public constructor(scope: Construct, id: string, props: OsbaMySqlServerProps) {
    super(withChildSlots(scope), id);
    checkUniqueObjects(this);
    if (!isObject(props)) {
      fail(`OsbaMySqlServer '${toDnsLabel(id)}'`, `props ${show(props)} are not an options object`,
        'pass e.g. { location: \'eastus\', resourceGroup: \'demo\', alias: \'71b6b6c4-5271-47d3-8188-51e69fba914e\' }');
    }
    this.name = props.name ?? toDnsLabel(id);
    const owner = `OsbaMySqlServer '${this.name}'`;
    validateBaseName(owner, this.name);
    if (props.namespace !== undefined) validateNamespace(owner, props.namespace);
    this.namespace = props.namespace ?? namespaceOf(this);
    validateAlias(owner, 'alias', props.alias);
    this.alias = props.alias;
    const serviceClass = props.serviceClass ?? 'azure-mysql-5-7-dbms';
    const plan = props.plan ?? 'basic';
    const known = checkClassAndPlan(owner, serviceClass, plan, props.allowUnknownClassOrPlan ?? false);
    if (known && known.kind !== OsbaClassKind.DBMS) {
      fail(owner, `serviceClass ${show(serviceClass)} provisions ${known.kind}, not a DBMS only`, 'use \'azure-mysql-5-7-dbms\', or MySqlProvider.osba() for a DBMS with its database');
    }
    const instanceName = props.instanceName ?? `${this.name}-mysql-dbms-instance`;
    validateObjectName(owner, 'instanceName', instanceName);
    const spec: ServiceInstanceSpec = compact({
      clusterServiceClassExternalName: serviceClass,
      clusterServicePlanExternalName: plan,
      parameters: serverParameters(owner, props, plan, known !== undefined, { alias: props.alias }),
      parametersFrom: parametersFrom(owner, props.parametersFrom),
    });
    this.serviceInstance = manifest(this, 'ServiceInstance', SERVICE_CATALOG_API_VERSION, 'ServiceInstance', {
      name: instanceName,
      namespace: props.namespace,
      labels: objectLabels(this.name),
      body: { spec },
    });
    // The first server with this alias in the app, from an index shared by all of them (no tree walk).
    const first = firstWithKey(OsbaMySqlServer, this, (m) => m.alias);
    this.node.addValidation({ validate: () => this.validateUniqueAlias(first()) });
  }

  /**
   * The alias is broker-wide: a second DBMS with the same alias anywhere in the app (any chart or
   * namespace) is rejected by the broker. Reported on the later server, naming the earlier one.
   */
  private validateUniqueAlias(first: OsbaMySqlServer): string[] {
    if (first === this) return [];
    return [`OsbaMySqlServer '${this.name}': alias ${show(this.alias)} is also the alias of OsbaMySqlServer '${first.name}' (${first.node.path}), `
      + 'and the broker rejects a second DBMS with an alias it already knows; give each server its own alias (e.g. a UUID), '
      + 'or share one server: bind each app\'s database to it with MySqlProvider.osbaDatabase(server)'];
  }
}

// =====================================================================================================
// Azure Service Operator v2 (dbformysql.azure.com) facts
// =====================================================================================================

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

/** The utf8mb4 collation a new database gets, per version (`utf8mb4_0900_ai_ci` exists only in MySQL 8.0+). */
const DATABASE_COLLATION: Record<FlexibleServerVersion, string> = {
  [FlexibleServerVersion.V5_7]: 'utf8mb4_general_ci',
  [FlexibleServerVersion.V8_0_21]: 'utf8mb4_0900_ai_ci',
};

/** Name of the firewall rule that admits Azure services (Azure CLI's name for the 0.0.0.0 rule). */
export const ALLOW_AZURE_SERVICES_RULE = 'AllowAllAzureServicesAndResourcesWithinAzureIps';

const DEFAULT_SKU: Record<FlexibleServerTier, string> = {
  [FlexibleServerTier.BURSTABLE]: 'Standard_B1ms',
  [FlexibleServerTier.GENERAL_PURPOSE]: 'Standard_D2ds_v4',
  [FlexibleServerTier.MEMORY_OPTIMIZED]: 'Standard_E2ds_v4',
};

/**
 * The VM series of each tier (Azure's capability list: Burstable B-series, GeneralPurpose D-series,
 * MemoryOptimized E-series). Only these three series are checked; a SKU of another series passes.
 */
const TIER_SERIES: Record<FlexibleServerTier, string> = {
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

// =====================================================================================================
// external and in-cluster
// =====================================================================================================

/** Keys of an existing credentials Secret. */
export interface CredentialKeys {
  /** Key of the user name. @default 'username' */
  readonly username?: string;
  /** Key of the password. @default 'password' */
  readonly password?: string;
}

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
   * Container resources, merged field by field over {@link DEFAULT_MYSQL_RESOURCES}: `{ cpu: { request: '500m' } }`
   * keeps the CPU limit and the memory request and limit; `limit: null` removes a limit. A memory limit
   * below {@link MIN_MYSQL_MEMORY_LIMIT} (512Mi for MySQL, 256Mi for MariaDB) is an error.
   * @default DEFAULT_MYSQL_RESOURCES ({ cpu: { request: '250m', limit: '1' }, memory: { request: '1Gi', limit: '1Gi' } })
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

// =====================================================================================================
// The contract
// =====================================================================================================

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

/** Which provider makes the database, and how. Choose one with a static factory. */
export class MySqlProvider {
  /**
   * Open Service Broker for Azure: a ServiceInstance (class `azure-mysql-5-7`, plan `basic` by default)
   * and a ServiceBinding whose Secret (`<name>-mysql-secret`) holds host, port, database, username,
   * password, sslRequired, uri and tags.
   */
  public static osba(options: OsbaMySqlOptions): MySqlProvider {
    return new MySqlProvider('osba', options);
  }

  /** Open Service Broker for Azure: a database (class `azure-mysql-5-7-database`) on a shared DBMS, and a binding. */
  public static osbaDatabase(server: IOsbaMySqlServer, options: OsbaMySqlDatabaseOptions = {}): MySqlProvider {
    return new MySqlProvider('osbaDatabase', { ...options, server });
  }

  /**
   * Azure Service Operator v2: a FlexibleServer with its admin password from an existing Secret, a
   * FlexibleServersDatabase and FlexibleServersFirewallRules; ASO writes the server's FQDN into the
   * ConfigMap `<name>-mysql-server` (key `host`).
   */
  public static azureServiceOperator(options: AzureServiceOperatorMySqlOptions): MySqlProvider {
    return new MySqlProvider('aso', options);
  }

  /** A database outside the cluster (e.g. AWS RDS) behind an ExternalName Service, with credentials from an existing Secret. */
  public static external(options: ExternalMySqlOptions): MySqlProvider {
    return new MySqlProvider('external', options);
  }

  /** MySQL in the cluster: a one-replica StatefulSet with a headless Service and a data volume, credentials from an existing Secret. */
  public static inCluster(options: InClusterMySqlOptions): MySqlProvider {
    return new MySqlProvider('inCluster', options);
  }

  private constructor(
    /** Which provider. */
    public readonly kind: 'osba' | 'osbaDatabase' | 'aso' | 'external' | 'inCluster',
    /**
     * The factory's options, validated when the binding is created.
     * @internal
     */
    public readonly _options: any,
  ) {}
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

const MAX_BASE_NAME = 46;
const MYSQL_PORT = 3306;

/** The factory behind each provider kind (for messages). */
const FACTORY: Record<MySqlProvider['kind'], string> = {
  osba: 'osba', osbaDatabase: 'osbaDatabase', aso: 'azureServiceOperator', external: 'external', inCluster: 'inCluster',
};

/** A minimal call of each factory (for messages). */
const PROVIDER_EXAMPLE: Record<MySqlProvider['kind'], string> = {
  osba: 'MySqlProvider.osba({ location: \'eastus\', resourceGroup: \'demo\' })',
  osbaDatabase: 'MySqlProvider.osbaDatabase(server)',
  aso: 'MySqlProvider.azureServiceOperator({ location: \'eastus\', resourceGroup: \'demo\', administratorLogin: \'mysqladmin\', administratorPasswordSecret: { name: \'mysql-admin\', key: \'password\' }, database: \'orders\', allowAzureServices: true })',
  external: 'MySqlProvider.external({ host: \'orders.abc123.us-east-1.rds.amazonaws.com\', database: \'orders\', credentialsSecret: \'orders-db-credentials\' })',
  inCluster: 'MySqlProvider.inCluster({ credentialsSecret: \'orders-db-credentials\', database: \'orders\' })',
};

/**
 * A MySQL database for WebApps, with one contract across providers: whichever provider makes the
 * database (OSBA, Azure Service Operator, an external endpoint or a StatefulSet in the cluster),
 * {@link bindTo} gives the app `MYSQL_HOST`, `MYSQL_PORT`, `MYSQL_DATABASE`, `MYSQL_USER` and
 * `MYSQL_PASSWORD` from Secret and ConfigMap keys, never as literal values.
 *
 * @example
 * const db = new MySqlBinding(chart, 'example', {
 *   provider: MySqlProvider.osba({ location: 'eastus', resourceGroup: 'demo' }),
 * });
 * db.bindTo(webApp); // env from the Secret 'example-mysql-secret'
 */
export class MySqlBinding extends Construct {
  /** Base of the object names. */
  public readonly name: string;
  /** Namespace (`undefined`: the kubectl context's). */
  public readonly namespace: string | undefined;
  /** Which provider. */
  public readonly providerKind: MySqlProvider['kind'];
  /** Where each setting lives. */
  public readonly connection: MySqlConnection;
  /** The Secret the app reads (credentials; for OSBA every setting). */
  public readonly secretName: string;
  /** The ConfigMaps the app reads, if any (non-secret settings). */
  public readonly configMapNames: readonly string[];

  /** OSBA: the ServiceInstance. */
  public readonly serviceInstance?: ApiObject;
  /** OSBA: the ServiceBinding. */
  public readonly serviceBinding?: ApiObject;
  /** ASO: the FlexibleServer. */
  public readonly flexibleServer?: ApiObject;
  /** ASO: the FlexibleServersDatabase. */
  public readonly flexibleServersDatabase?: ApiObject;
  /** ASO: the FlexibleServersFirewallRules. */
  public readonly flexibleServersFirewallRules: readonly ApiObject[];
  /** ASO, external and in-cluster: the ConfigMap with the non-secret settings. */
  public readonly configMap?: ApiObject;
  /** external: the ExternalName Service; in-cluster: the headless Service. */
  public readonly service?: ApiObject;
  /** in-cluster: the StatefulSet. */
  public readonly statefulSet?: ApiObject;
  /** in-cluster with `isolate`: the NetworkPolicy that admits only bound apps. */
  public readonly networkPolicy?: ApiObject;

  private readonly owner: string;
  private readonly boundApps: WebApp[] = [];
  /** The apps that already wait for this database (one init container per app). */
  private readonly waitingApps = new Set<WebApp>();
  /** in-cluster: the labels of the MySQL pods (bound apps' egress peer). */
  private readonly databasePods?: Record<string, string>;

  public constructor(scope: Construct, id: string, props: MySqlBindingProps) {
    super(withChildSlots(scope), id);
    checkUniqueObjects(this);
    const p: Partial<MySqlBindingProps> = isObject(props) ? props : {};
    this.name = p.name ?? toDnsLabel(id);
    this.owner = `MySqlBinding '${this.name}'`;
    validateBaseName(this.owner, this.name);
    if (p.namespace !== undefined) validateNamespace(this.owner, p.namespace);
    this.namespace = p.namespace ?? namespaceOf(this);
    if (!(p.provider instanceof MySqlProvider)) fail(this.owner, 'provider is missing', 'choose one with MySqlProvider.osba(), .azureServiceOperator(), .external() or .inCluster()');
    this.providerKind = p.provider.kind;
    const o = p.provider._options;
    if (!isObject(o)) {
      fail(this.owner, `MySqlProvider.${FACTORY[p.provider.kind]}() was given ${show(o)} instead of an options object`, `pass the options, e.g. ${PROVIDER_EXAMPLE[p.provider.kind]}`);
    }
    const ns = p.namespace;
    let out: Provisioned;
    switch (p.provider.kind) {
      case 'osba': out = this.osba(o, ns); break;
      case 'osbaDatabase': out = this.osbaDatabase(o, ns); break;
      case 'aso': out = this.aso(o, ns); break;
      case 'external': out = this.external(o, ns); break;
      case 'inCluster': out = this.inCluster(o, ns); break;
    }
    this.connection = out.connection;
    this.secretName = out.connection.password.name;
    this.configMapNames = [...new Set(Object.values(out.connection).filter((s) => s.kind === 'ConfigMap').map((s) => s.name))].sort();
    this.serviceInstance = out.serviceInstance;
    this.serviceBinding = out.serviceBinding;
    this.flexibleServer = out.flexibleServer;
    this.flexibleServersDatabase = out.flexibleServersDatabase;
    this.flexibleServersFirewallRules = out.flexibleServersFirewallRules ?? [];
    this.configMap = out.configMap;
    this.service = out.service;
    this.statefulSet = out.statefulSet;
    this.networkPolicy = out.networkPolicy;
    this.databasePods = out.databasePods;
    if (this.serviceBinding) {
      // The first OSBA binding writing this Secret in the namespace, from an index shared by all of them.
      const first = firstWithKey(MySqlBinding, this, (m) => `${m.namespace ?? ''}/${m.secretName}`);
      this.node.addValidation({ validate: () => this.validateUniqueSecretName(first()) });
    }
  }

  /** Every object this binding renders. */
  public get objects(): ApiObject[] {
    return [this.serviceInstance, this.serviceBinding, this.flexibleServer, this.flexibleServersDatabase, ...this.flexibleServersFirewallRules,
      this.configMap, this.service, this.statefulSet, this.networkPolicy].filter((o): o is ApiObject => o !== undefined);
  }

  /** The env value of one setting (a secretKeyRef or configMapKeyRef). */
  public envValue(setting: MySqlSetting): EnvValue {
    const s = this.connection[setting];
    return s.kind === 'Secret' ? EnvValue.fromSecret(s.name, s.key) : EnvValue.fromConfigMap(s.name, s.key);
  }

  /**
   * Gives `webApp` the connection settings as env vars read from Secret/ConfigMap keys, and optionally an
   * init container that waits for the database. The WebApp must live in the binding's namespace.
   *
   * Network policy: for the in-cluster provider the app may reach the MySQL pods on 3306 even when its
   * egress is isolated ({@link WebApp.isolate} with `egress: true`, or {@link WebApp.allowTo}), before or
   * after this call; an app whose egress is not isolated stays unisolated. The other providers' databases
   * are outside the cluster, at addresses only known at run time: an egress-isolated app needs
   * `app.allowTo(NetworkPeer.ipBlock('<database IP>/32'), 3306)` (OSBA/ASO: the Azure server's IP;
   * external: the endpoint's IPs); DNS stays allowed.
   */
  public bindTo(webApp: WebApp, options: MySqlBindOptions = {}): void {
    if (!(webApp instanceof WebApp)) {
      fail(this.owner, `bindTo was given ${show(webApp)} instead of a WebApp`, 'pass the WebApp that reads the database, e.g. db.bindTo(web)');
    }
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      fail(this.owner, `bindTo options ${show(options)} are not an options object`, 'pass e.g. { prefix: \'ORDERS_\', waitForDatabase: true }, or nothing');
    }
    if ((webApp.namespace ?? '') !== (this.namespace ?? '')) {
      fail(this.owner, `WebApp '${webApp.name}' is in namespace ${show(webApp.namespace ?? '(kubectl context)')} but the binding's Secret is in ${show(this.namespace ?? '(kubectl context)')}`,
        'pods can only read Secrets and ConfigMaps of their own namespace: create the binding in the WebApp\'s namespace');
    }
    const prefix = options.prefix ?? '';
    if (typeof prefix !== 'string' || (prefix !== '' && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(prefix))) {
      fail(this.owner, `bindTo prefix ${show(prefix)} would give invalid env var names such as ${show(`${prefix}${DEFAULT_MYSQL_ENV.host}`)}`,
        'start the prefix with a letter or \'_\' and use letters, digits and \'_\', e.g. prefix: \'ORDERS_\'');
    }
    for (const [setting, name] of Object.entries(options.envNames ?? {})) {
      if (!Object.values(MySqlSetting).includes(setting as MySqlSetting)) {
        fail(this.owner, `bindTo envNames.${setting} is not a setting`, `name one of ${Object.values(MySqlSetting).join(', ')}`);
      }
      if (name !== undefined && (typeof name !== 'string' || !ENV_VAR_NAME.test(name))) {
        fail(this.owner, `bindTo envNames.${setting} ${show(name)} is not a valid env var name`,
          'use letters, digits, \'_\', \'-\' and \'.\', not starting with a digit (portable: [A-Za-z_][A-Za-z0-9_]*)');
      }
    }
    const names = Object.values(MySqlSetting).map((s) => [s, options.envNames?.[s] ?? `${prefix}${DEFAULT_MYSQL_ENV[s]}`] as const);
    const seen = new Map<string, string>();
    for (const [setting, name] of names) {
      if (seen.has(name)) fail(this.owner, `env var ${show(name)} is given to both ${seen.get(name)} and ${setting}`, 'give every setting its own env var name');
      seen.set(name, setting);
    }
    const taken = names.filter(([, name]) => webApp.envNames.includes(name)).map(([, name]) => name);
    if (taken.length) {
      fail(this.owner, `WebApp '${webApp.name}' already sets env ${taken.map(show).join(', ')}`,
        'pass bindTo(app, { prefix: \'ORDERS_\' }) or envNames to use other names, or remove the app\'s own definition');
    }
    const waitName = options.waitContainerName ?? `wait-for-${this.name}-mysql`.slice(0, 63).replace(/-+$/, '');
    if (options.waitContainerName !== undefined && (typeof waitName !== 'string' || !isDns1123Label(waitName))) {
      fail(this.owner, `bindTo waitContainerName ${show(waitName)} is not a container name`, 'use at most 63 lowercase letters, digits and \'-\', e.g. \'wait-for-orders-db\'');
    }
    // Binding one database to one app twice (under two prefixes) needs only one wait: the second is skipped.
    if (options.waitForDatabase && !this.waitingApps.has(webApp)) {
      try {
        webApp.addInitContainer({
          name: waitName,
          image: BUSYBOX_IMAGE,
          env: { DB_HOST: this.envValue(MySqlSetting.HOST), DB_PORT: this.envValue(MySqlSetting.PORT) },
          command: ['sh', '-c', 'until nc -z -w 2 "$DB_HOST" "$DB_PORT"; do echo "waiting for $DB_HOST:$DB_PORT"; sleep 2; done'],
        });
      } catch (e) {
        fail(this.owner, `waitForDatabase cannot add the init container ${show(waitName)} to WebApp '${webApp.name}' (${(e as Error).message})`,
          'name it with bindTo(app, { waitForDatabase: true, waitContainerName: \'wait-for-orders-db\' })');
      }
      this.waitingApps.add(webApp);
    }
    for (const [setting, name] of names) webApp.addEnv(name, this.envValue(setting));
    if (this.databasePods) webApp.allowToIfEgressIsolated(NetworkPeer.pods(this.databasePods), MYSQL_PORT);
    if (!this.boundApps.includes(webApp)) this.boundApps.push(webApp);
  }

  /**
   * OSBA: Service Catalog writes each ServiceBinding's credentials into a Secret the binding owns, so a
   * second OSBA binding with the same secretName in the same namespace (any chart of the app) fails.
   * Reported on the later binding, naming the earlier one.
   */
  private validateUniqueSecretName(first: MySqlBinding): string[] {
    if (first === this) return [];
    return [`${this.owner}: secretName ${show(this.secretName)} is also the secretName of MySqlBinding '${first.name}' (${first.node.path}) `
      + `in namespace ${show(this.namespace ?? '(kubectl context)')}, and Service Catalog fails the second ServiceBinding because the first one owns that Secret; `
      + 'give each binding its own secretName, or bind both apps to one MySqlBinding'];
  }

  // --------------------------------------------------------------------------------------------- OSBA

  private osba(o: OsbaMySqlOptions, ns: string | undefined): Provisioned {
    const serviceClass = o.serviceClass ?? 'azure-mysql-5-7';
    const plan = o.plan ?? 'basic';
    const known = checkClassAndPlan(this.owner, serviceClass, plan, o.allowUnknownClassOrPlan ?? false);
    checkBindable(this.owner, serviceClass, known);
    if (known?.kind === OsbaClassKind.DATABASE || DATABASE_ONLY_CLASS.test(serviceClass)) {
      fail(this.owner, `serviceClass ${show(serviceClass)} provisions a database only and needs a parentAlias`, 'use MySqlProvider.osbaDatabase(server) for a database on a shared DBMS');
    }
    const spec: ServiceInstanceSpec = compact({
      clusterServiceClassExternalName: serviceClass,
      clusterServicePlanExternalName: plan,
      parameters: serverParameters(this.owner, o, plan, known !== undefined, {}),
      parametersFrom: parametersFrom(this.owner, o.parametersFrom),
    });
    return this.osbaObjects(spec, o, ns);
  }

  private osbaDatabase(o: OsbaMySqlDatabaseOptions & { server: IOsbaMySqlServer }, ns: string | undefined): Provisioned {
    const serviceClass = o.serviceClass ?? 'azure-mysql-5-7-database';
    const plan = o.plan ?? 'database';
    const known = checkClassAndPlan(this.owner, serviceClass, plan, o.allowUnknownClassOrPlan ?? false);
    checkBindable(this.owner, serviceClass, known);
    if (known && known.kind !== OsbaClassKind.DATABASE) {
      fail(this.owner, `serviceClass ${show(serviceClass)} provisions ${known.kind}, not a database on a shared DBMS`, 'use \'azure-mysql-5-7-database\' (or MySqlProvider.osba() for a server of its own)');
    }
    if (!o.server || typeof o.server.alias !== 'string') fail(this.owner, 'osbaDatabase server is missing', 'pass an OsbaMySqlServer or OsbaMySqlServer.fromAlias(alias)');
    validateAlias(this.owner, 'server alias', o.server.alias);
    return this.osbaObjects({ clusterServiceClassExternalName: serviceClass, clusterServicePlanExternalName: plan, parameters: { parentAlias: o.server.alias } }, o, ns);
  }

  private osbaObjects(instanceSpec: ServiceInstanceSpec, o: OsbaObjectNames, ns: string | undefined): Provisioned {
    const instanceName = o.instanceName ?? `${this.name}-mysql-instance`;
    const bindingName = o.bindingName ?? `${this.name}-mysql-binding`;
    const secretName = o.secretName ?? `${this.name}-mysql-secret`;
    validateObjectName(this.owner, 'instanceName', instanceName);
    validateObjectName(this.owner, 'bindingName', bindingName);
    validateObjectName(this.owner, 'secretName', secretName);
    if (o.bindingUsername !== undefined) validateMySqlUser(this.owner, 'bindingUsername', o.bindingUsername);
    const keys = transformedKeys(this.owner, o.secretTransforms);
    const key = (k: keyof typeof keys) => ({ kind: 'Secret' as const, name: secretName, key: keys[k] });
    const bindingSpec: ServiceBindingSpec = compact({
      instanceRef: { name: instanceName },
      secretName,
      parameters: o.bindingUsername !== undefined ? { username: o.bindingUsername } : undefined,
      secretTransforms: o.secretTransforms?.map((t) => ({ ...t })),
    });
    const labels = objectLabels(this.name);
    return {
      connection: { host: key('host'), port: key('port'), database: key('database'), user: key('username'), password: key('password') },
      serviceInstance: manifest(this, 'ServiceInstance', SERVICE_CATALOG_API_VERSION, 'ServiceInstance', { name: instanceName, namespace: ns, labels, body: { spec: instanceSpec } }),
      serviceBinding: manifest(this, 'ServiceBinding', SERVICE_CATALOG_API_VERSION, 'ServiceBinding', { name: bindingName, namespace: ns, labels, body: { spec: bindingSpec } }),
    };
  }

  // ---------------------------------------------------------------------------------------------- ASO

  private aso(o: AzureServiceOperatorMySqlOptions, ns: string | undefined): Provisioned {
    const owner = this.owner;
    validateLocation(owner, o.location);
    validateResourceGroup(owner, o.resourceGroup);
    if (!isDns1123Subdomain(o.resourceGroup)) {
      fail(owner, `resourceGroup ${show(o.resourceGroup)} is not a Kubernetes object name (it names the ASO ResourceGroup object)`, 'use lowercase letters, digits, \'-\' and \'.\'');
    }
    const serverName = o.serverName ?? `${this.name}-mysql`;
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

    const labels = objectLabels(this.name);
    const serverConfigMap = `${this.name}-mysql-server`;
    const connectionConfigMap = `${this.name}-mysql-connection`;
    const flexibleServer = manifest(this, 'FlexibleServer', apiVersion, 'FlexibleServer', {
      name: serverName,
      namespace: ns,
      labels,
      body: {
        spec: compact({
          location: o.location,
          owner: { name: o.resourceGroup },
          version,
          sku: { name: skuName, tier },
          administratorLogin: o.administratorLogin,
          administratorLoginPassword: { name: o.administratorPasswordSecret.name, key: o.administratorPasswordSecret.key },
          storage: { storageSizeGB: storageGb },
          backup: { backupRetentionDays: retention },
          tags: o.tags && Object.keys(o.tags).length ? { ...o.tags } : undefined,
          operatorSpec: { configMaps: { fullyQualifiedDomainName: { name: serverConfigMap, key: 'host' } } },
        }),
      },
    });
    const flexibleServersDatabase = manifest(this, 'FlexibleServersDatabase', apiVersion, 'FlexibleServersDatabase', {
      name: `${serverName}-${toDnsLabel(o.database)}`.slice(0, 253),
      namespace: ns,
      labels,
      body: { spec: { owner: { name: serverName }, azureName: o.database, charset: 'utf8mb4', collation: DATABASE_COLLATION[version] } },
    });
    const flexibleServersFirewallRules = rules.map((r) => manifest(this, `FirewallRule-${r.name}`, apiVersion, 'FlexibleServersFirewallRule', {
      name: `${serverName}-${toDnsLabel(r.name)}`,
      namespace: ns,
      labels,
      body: { spec: { owner: { name: serverName }, azureName: r.name, startIpAddress: r.startIpAddress, endIpAddress: r.endIpAddress } },
    }));
    const fwNames = flexibleServersFirewallRules.map((f) => f.metadata.name);
    const dupFw = fwNames.find((n, i) => fwNames.indexOf(n) !== i);
    if (dupFw) fail(owner, `two firewall rules render the object name ${show(dupFw)}`, 'give the rules names that differ in more than case and punctuation');
    const configMap = manifest(this, 'ConfigMap', 'v1', 'ConfigMap', {
      name: connectionConfigMap,
      namespace: ns,
      labels,
      body: { data: { port: '3306', database: o.database, username: o.administratorLogin } },
    });
    return {
      connection: {
        host: { kind: 'ConfigMap', name: serverConfigMap, key: 'host' },
        port: { kind: 'ConfigMap', name: connectionConfigMap, key: 'port' },
        database: { kind: 'ConfigMap', name: connectionConfigMap, key: 'database' },
        user: { kind: 'ConfigMap', name: connectionConfigMap, key: 'username' },
        password: { kind: 'Secret', name: o.administratorPasswordSecret.name, key: o.administratorPasswordSecret.key },
      },
      flexibleServer, flexibleServersDatabase, flexibleServersFirewallRules, configMap,
    };
  }

  // ----------------------------------------------------------------------------------------- external

  private external(o: ExternalMySqlOptions, ns: string | undefined): Provisioned {
    const owner = this.owner;
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
    const serviceName = `${this.name}-mysql`;
    const connectionConfigMap = `${this.name}-mysql-connection`;
    const labels = objectLabels(this.name);
    const service = manifest(this, 'Service', 'v1', 'Service', {
      name: serviceName,
      namespace: ns,
      labels,
      body: { spec: { type: 'ExternalName', externalName: host, ports: [{ name: 'mysql', port, protocol: 'TCP' }] } },
    });
    const configMap = manifest(this, 'ConfigMap', 'v1', 'ConfigMap', {
      name: connectionConfigMap,
      namespace: ns,
      labels,
      body: { data: { host: serviceName, port: String(port), database: o.database } },
    });
    return {
      connection: {
        host: { kind: 'ConfigMap', name: connectionConfigMap, key: 'host' },
        port: { kind: 'ConfigMap', name: connectionConfigMap, key: 'port' },
        database: { kind: 'ConfigMap', name: connectionConfigMap, key: 'database' },
        user: { kind: 'Secret', name: o.credentialsSecret, key: keys.username },
        password: { kind: 'Secret', name: o.credentialsSecret, key: keys.password },
      },
      service, configMap,
    };
  }

  // ---------------------------------------------------------------------------------------- in-cluster

  private inCluster(o: InClusterMySqlOptions, ns: string | undefined): Provisioned {
    const owner = this.owner;
    validateObjectName(owner, 'credentialsSecret', o.credentialsSecret);
    const keys = credentialKeys(owner, o.credentialKeys);
    const rootKey = o.credentialKeys?.rootPassword ?? 'root-password';
    validateSecretKey(owner, 'credentialKeys.rootPassword', rootKey);
    if (new Set([keys.username, keys.password, rootKey]).size !== 3) {
      fail(owner, `credentialKeys name one key twice (${show([keys.username, keys.password, rootKey])})`, 'give the user name, password and root password their own keys');
    }
    validateDatabaseName(owner, o.database);
    const image = o.image ?? MYSQL_IMAGE;
    if (typeof image !== 'string') fail(owner, `image ${show(image)} is not an image reference`, `use a pinned tag such as ${show(MYSQL_IMAGE)}`);
    const imageRef = validateImage(owner, 'image', image, o.allowMutableImageTag ?? false);
    const mariadb = /^mariadb(-|$)/.test(imageRef.repository.split('/').pop() ?? '');
    const storage = o.storage ?? '10Gi';
    if (typeof storage !== 'string') fail(owner, `storage ${show(storage)} is not a quantity string`, 'write the size as a string, e.g. storage: \'10Gi\'');
    if (validateQuantity(owner, 'storage', storage, 'storage') <= 0) fail(owner, `storage ${show(storage)} is zero`, 'use a size such as \'10Gi\'');
    if (o.storageClassName !== undefined && (typeof o.storageClassName !== 'string' || !isDns1123Subdomain(o.storageClassName))) {
      fail(owner, `storageClassName ${show(o.storageClassName)} is not a Kubernetes object name`, 'use the name of a StorageClass (kubectl get storageclass)');
    }
    const uid = o.runAsUser ?? MYSQL_UID;
    validateInt(owner, 'runAsUser', uid, 1);
    const merged = mergeResourcesOver(owner, DEFAULT_MYSQL_RESOURCES, o.resources);
    // Checked before renderResources: a small limit under the default 1Gi request is first of all too small.
    const memoryLimit = merged.memory?.limit;
    const minimum = mariadb ? MIN_MYSQL_MEMORY_LIMIT.mariadb : MIN_MYSQL_MEMORY_LIMIT.mysql;
    const limitBytes = typeof memoryLimit === 'string' ? parseQuantity(memoryLimit) : undefined;
    if (limitBytes !== undefined && limitBytes >= 0 && limitBytes < parseQuantity(minimum)!) {
      fail(owner, `resources.memory.limit ${show(memoryLimit)} is below the ${minimum} ${mariadb ? 'MariaDB' : 'MySQL 8'} needs with its default settings, so the container would be OOM-killed`,
        `set at least '${minimum}' (the default is '1Gi'), or limit: null if your image is configured to use less memory`);
    }
    const resources = renderResources(owner, 'resources', merged);

    const name = `${this.name}-mysql`;
    validateDns1035(owner, 'service name', name);
    const connectionConfigMap = `${this.name}-mysql-connection`;
    const labels = objectLabels(this.name);
    const selector = { 'app': name, 'app.kubernetes.io/component': 'database' };
    const podLabels = { ...labels, ...selector };
    const secretEnv = (envName: string, key: string) => ({ name: envName, valueFrom: { secretKeyRef: { name: o.credentialsSecret, key } } });
    // The official image's entrypoint initialises the data directory on first start, as whatever uid
    // runs it; `--datadir` below the mount point keeps it clear of the volume's lost+found.
    // MariaDB 11+ images ship only the mariadb-named clients (mariadb, mariadb-admin); MariaDB before
    // 10.4.6 only the mysql-named ones; MySQL images only the mysql-named ones.
    const client = mariadb ? '"$(command -v mariadb || command -v mysql)"' : 'mysql';
    const readinessSql = `MYSQL_PWD="$MYSQL_PASSWORD" ${client} --protocol=TCP -h 127.0.0.1 -u"$MYSQL_USER" -e "SELECT 1"`;
    const ping = mariadb
      ? ['sh', '-c', 'exec "$(command -v mariadb-admin || command -v mysqladmin)" ping --protocol=TCP -h 127.0.0.1']
      : ['mysqladmin', 'ping', '--protocol=TCP', '-h', '127.0.0.1'];
    const container = {
      name: 'mysql',
      image,
      imagePullPolicy: 'IfNotPresent',
      args: ['--datadir=/var/lib/mysql/data'],
      ports: [{ containerPort: 3306, name: 'mysql', protocol: 'TCP' }],
      env: [
        secretEnv('MYSQL_ROOT_PASSWORD', rootKey),
        { name: 'MYSQL_DATABASE', value: o.database },
        secretEnv('MYSQL_USER', keys.username),
        secretEnv('MYSQL_PASSWORD', keys.password),
      ],
      resources,
      startupProbe: { tcpSocket: { port: 'mysql' }, periodSeconds: 10, failureThreshold: 30 },
      readinessProbe: { exec: { command: ['sh', '-c', readinessSql] }, periodSeconds: 10, timeoutSeconds: 5 },
      livenessProbe: { exec: { command: ping }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 },
      securityContext: restrictedSecurityContext({ runAsUser: uid, runAsGroup: uid }),
      volumeMounts: [
        { name: 'data', mountPath: '/var/lib/mysql' },
        { name: 'run', mountPath: '/var/run/mysqld' },
        { name: 'tmp', mountPath: '/tmp' },
      ],
    };
    const service = manifest(this, 'Service', 'v1', 'Service', {
      name,
      namespace: ns,
      labels,
      body: { spec: { clusterIP: 'None', selector: { ...selector }, ports: [{ name: 'mysql', port: 3306, targetPort: 'mysql', protocol: 'TCP' }] } },
    });
    const statefulSet = manifest(this, 'StatefulSet', 'apps/v1', 'StatefulSet', {
      name,
      namespace: ns,
      labels,
      body: {
        spec: {
          replicas: 1,
          serviceName: name,
          selector: { matchLabels: { ...selector } },
          updateStrategy: { type: 'RollingUpdate' },
          template: {
            metadata: { labels: podLabels },
            spec: {
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              securityContext: {
                fsGroup: uid,
                fsGroupChangePolicy: 'OnRootMismatch',
                runAsGroup: uid,
                runAsNonRoot: true,
                runAsUser: uid,
                seccompProfile: SeccompProfile.runtimeDefault().spec,
              },
              terminationGracePeriodSeconds: 60,
              containers: [container],
              volumes: [{ name: 'run', emptyDir: {} }, { name: 'tmp', emptyDir: {} }],
            },
          },
          volumeClaimTemplates: [{
            metadata: { name: 'data', labels: { ...labels } },
            spec: compact({ accessModes: ['ReadWriteOnce'], storageClassName: o.storageClassName, resources: { requests: { storage } } }),
          }],
        },
      },
    });
    const configMap = manifest(this, 'ConfigMap', 'v1', 'ConfigMap', {
      name: connectionConfigMap,
      namespace: ns,
      labels,
      body: { data: { host: name, port: '3306', database: o.database } },
    });
    let networkPolicy: ApiObject | undefined;
    if (o.isolate ?? true) {
      networkPolicy = manifest(this, 'NetworkPolicy', 'networking.k8s.io/v1', 'NetworkPolicy', {
        name,
        namespace: ns,
        labels,
        body: {
          spec: {
            podSelector: { matchLabels: { ...selector } },
            policyTypes: ['Ingress'],
            ingress: Lazy.any({
              produce: () => (this.boundApps.length
                ? [{ from: this.boundApps.map((a) => ({ podSelector: { matchLabels: { ...a.selectorLabels } } })), ports: [{ port: 3306, protocol: 'TCP' }] }]
                : undefined),
            }),
          },
        },
      });
    }
    return {
      connection: {
        host: { kind: 'ConfigMap', name: connectionConfigMap, key: 'host' },
        port: { kind: 'ConfigMap', name: connectionConfigMap, key: 'port' },
        database: { kind: 'ConfigMap', name: connectionConfigMap, key: 'database' },
        user: { kind: 'Secret', name: o.credentialsSecret, key: keys.username },
        password: { kind: 'Secret', name: o.credentialsSecret, key: keys.password },
      },
      service, statefulSet, configMap, networkPolicy, databasePods: { ...selector },
    };
  }
}

interface Provisioned {
  readonly connection: MySqlConnection;
  readonly serviceInstance?: ApiObject;
  readonly serviceBinding?: ApiObject;
  readonly flexibleServer?: ApiObject;
  readonly flexibleServersDatabase?: ApiObject;
  readonly flexibleServersFirewallRules?: ApiObject[];
  readonly configMap?: ApiObject;
  readonly service?: ApiObject;
  readonly statefulSet?: ApiObject;
  readonly networkPolicy?: ApiObject;
  readonly databasePods?: Record<string, string>;
}

// =====================================================================================================
// Validation and rendering helpers
// =====================================================================================================

/** True for a non-null, non-array object (what JavaScript callers must pass as options). */
function isObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Checks that an optional list prop is an array (JavaScript callers), returning it or `[]`. */
function arrayProp<T>(owner: string, prop: string, value: T[] | undefined, example: string): T[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(owner, `${prop} ${show(value)} is not a list`, `pass an array, e.g. ${prop}: [${example}]`);
  return value;
}

const RESOURCE_EXAMPLE: Record<keyof Resources, string> = { cpu: '500m', memory: '2Gi', ephemeralStorage: '1Gi' };

/**
 * `over` merged field by field over `base` (a request or limit left unset keeps the base's; `limit: null`
 * removes it), with the types JavaScript callers may get wrong reported, not rendered.
 */
function mergeResourcesOver(owner: string, base: Resources, over: Resources | undefined): Resources {
  if (over === undefined || over === null) return base;
  if (!isObject(over)) fail(owner, `resources ${show(over)} is not an object`, 'pass e.g. resources: { cpu: { request: \'500m\' }, memory: { limit: \'2Gi\' } }');
  const keys = Object.keys(RESOURCE_EXAMPLE) as Array<keyof Resources>;
  for (const k of Object.keys(over)) {
    if (!(keys as string[]).includes(k)) fail(owner, `resources.${k} is not a resource`, `set ${keys.join(', ')}`);
  }
  const out: { -readonly [K in keyof Resources]: ResourceRange } = {};
  for (const key of keys) {
    const o = over[key];
    const example = `resources: { ${key}: { request: '${RESOURCE_EXAMPLE[key]}' } }`;
    if (o !== undefined && o !== null && !isObject(o)) fail(owner, `resources.${key} ${show(o)} is not a { request, limit } object`, `use e.g. ${example}`);
    const request = o?.request !== undefined ? o.request : base[key]?.request;
    const limit = o?.limit !== undefined ? o.limit : base[key]?.limit;
    if (request !== undefined && typeof request !== 'string') fail(owner, `resources.${key}.request ${show(request)} is not a quantity string`, `write it as a string, e.g. ${example}`);
    if (limit !== undefined && limit !== null && typeof limit !== 'string') fail(owner, `resources.${key}.limit ${show(limit)} is not a quantity string`, 'write it as a string, or null for no limit');
    if (request !== undefined || limit !== undefined) out[key] = { ...(request !== undefined ? { request } : {}), ...(limit !== undefined ? { limit } : {}) };
  }
  return out;
}

function objectLabels(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': `${name}-mysql`, 'app.kubernetes.io/component': 'database', 'app.kubernetes.io/managed-by': MANAGED_BY };
}

function validateBaseName(owner: string, name: string): void {
  if (!isDns1035Label(name) || name.length > MAX_BASE_NAME) {
    fail(owner, `name ${show(name)} is not a DNS-1035 label of at most ${MAX_BASE_NAME} characters`,
      'use lowercase letters, digits and \'-\', starting with a letter (object names such as \'<name>-mysql-instance\' derive from it)');
  }
}

function validateNamespace(owner: string, ns: string): void {
  if (!isDns1123Label(ns)) fail(owner, `namespace ${show(ns)} is not a DNS-1123 label`, 'use at most 63 lowercase letters, digits and \'-\'');
}

function validateObjectName(owner: string, prop: string, name: string): void {
  if (typeof name !== 'string' || !isDns1123Subdomain(name)) fail(owner, `${prop} ${show(name)} is not a Kubernetes object name`, 'use lowercase letters, digits, \'-\' and \'.\'');
}

function validateSecretKey(owner: string, prop: string, key: string): void {
  if (typeof key !== 'string' || !/^[-._a-zA-Z0-9]{1,253}$/.test(key)) fail(owner, `${prop} ${show(key)} is not a Secret key`, 'use letters, digits, \'-\', \'_\' and \'.\'');
}

function validateSecretKeyRef(owner: string, prop: string, ref: SecretKeyReference | undefined): void {
  if (ref === undefined || ref === null) fail(owner, `${prop} is missing`, 'name an existing Secret and key, e.g. { name: \'mysql-admin\', key: \'password\' }');
  if (!isObject(ref)) fail(owner, `${prop} ${show(ref)} is not a Secret key reference`, 'name an existing Secret and key, e.g. { name: \'mysql-admin\', key: \'password\' }');
  validateObjectName(owner, `${prop}.name`, ref.name);
  validateSecretKey(owner, `${prop}.key`, ref.key);
}

function credentialKeys(owner: string, keys: CredentialKeys | undefined): { username: string; password: string } {
  const username = keys?.username ?? 'username';
  const password = keys?.password ?? 'password';
  validateSecretKey(owner, 'credentialKeys.username', username);
  validateSecretKey(owner, 'credentialKeys.password', password);
  return { username, password };
}

function validateAlias(owner: string, prop: string, alias: string): void {
  if (typeof alias !== 'string' || !/^[A-Za-z0-9][-A-Za-z0-9_.]{0,127}$/.test(alias)) {
    fail(owner, `${prop} ${show(alias)} is not a broker alias`, 'use letters, digits, \'-\', \'_\' and \'.\' (a UUID such as \'71b6b6c4-5271-47d3-8188-51e69fba914e\' is the usual choice)');
  }
}

function validateLocation(owner: string, location: string | undefined): void {
  if (location === undefined || location === null || location === '') fail(owner, 'location is missing', 'set the Azure region, e.g. location: \'eastus\'');
  if (typeof location !== 'string' || !/^[a-z][a-z0-9]*$/.test(location)) fail(owner, `location ${show(location)} is not an Azure region name`, 'use the programmatic name in lowercase without spaces, e.g. \'eastus\' or \'westeurope\'');
}

function validateResourceGroup(owner: string, rg: string | undefined): void {
  if (rg === undefined || rg === null || rg === '') fail(owner, 'resourceGroup is missing', 'set the Azure resource group, e.g. resourceGroup: \'demo\'');
  if (typeof rg !== 'string' || rg.length > 90 || !/^[-\p{L}\p{N}_.()]+$/u.test(rg) || rg.endsWith('.')) {
    fail(owner, `resourceGroup ${show(rg)} is not a valid Azure resource group name`, 'use 1-90 letters, digits, \'-\', \'_\', \'.\', \'(\' and \')\', not ending with \'.\'');
  }
}

function validateServerName(owner: string, prop: string, name: string): void {
  if (typeof name !== 'string' || name.length < 3 || !isDns1123Label(name)) {
    fail(owner, `${prop} ${show(name)} is not a valid Azure MySQL server name`, 'use 3-63 lowercase letters, digits and \'-\', not starting or ending with \'-\'');
  }
}

const RESERVED_LOGINS = ['admin', 'administrator', 'root', 'guest', 'public', 'azure_superuser', 'azure_pg_admin', 'sa'];

function validateAdminLogin(owner: string, login: string): void {
  if (typeof login !== 'string' || !/^[A-Za-z][A-Za-z0-9_]{0,31}$/.test(login)) {
    fail(owner, `administratorLogin ${show(login)} is not a valid login`, 'use 1-32 letters, digits and \'_\', starting with a letter');
  }
  if (RESERVED_LOGINS.includes(login.toLowerCase())) fail(owner, `administratorLogin ${show(login)} is reserved by Azure`, 'use another name, e.g. \'mysqladmin\'');
}

function validateMySqlUser(owner: string, prop: string, user: string): void {
  if (typeof user !== 'string' || !/^[A-Za-z0-9_]{1,32}$/.test(user)) fail(owner, `${prop} ${show(user)} is not a MySQL user name`, 'use 1-32 letters, digits and \'_\'');
}

/** A database this library creates (in-cluster, ASO): portable, unquoted-safe names only. */
function validateDatabaseName(owner: string, db: string): void {
  if (typeof db !== 'string' || !/^[A-Za-z0-9_]{1,64}$/.test(db)) fail(owner, `database ${show(db)} is not a portable MySQL database name`, 'use 1-64 letters, digits and \'_\'');
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

function validateTags(owner: string, tags: Record<string, string> | undefined): void {
  for (const [k, v] of Object.entries(tags ?? {})) {
    if (!k || k.length > 512 || /[<>%&\\?/]/.test(k)) fail(owner, `tag name ${show(k)} is not a valid Azure tag name`, 'use at most 512 characters without < > % & \\ ? /');
    if (typeof v !== 'string' || v.length > 256) fail(owner, `tag ${show(k)} value ${show(v)} is not a string of at most 256 characters`, 'shorten the value');
  }
}

function validateFirewallRules(owner: string, list: FirewallRule[] | undefined): FirewallRule[] {
  const example = '{ name: \'office\', startIpAddress: \'203.0.113.10\', endIpAddress: \'203.0.113.20\' }';
  const rules = arrayProp(owner, 'firewallRules', list, example);
  const names = new Set<string>();
  rules.forEach((r, i) => {
    const at = `firewallRules[${i}]`;
    if (!isObject(r)) fail(owner, `${at} ${show(r)} is not a firewall rule`, `use ${example}`);
    for (const field of ['name', 'startIpAddress', 'endIpAddress'] as const) {
      if (r[field] === undefined || r[field] === null) fail(owner, `${at}.${field} is missing`, `set name, startIpAddress and endIpAddress, e.g. ${example}`);
    }
    if (typeof r.name !== 'string' || !/^[-\w.]{1,128}$/.test(r.name)) fail(owner, `${at}.name ${show(r.name)} is not a valid rule name`, 'use 1-128 letters, digits, \'-\', \'_\' and \'.\'');
    if (names.has(r.name)) fail(owner, `${at}.name ${show(r.name)} is used twice`, 'give every firewall rule its own name');
    names.add(r.name);
    const start = typeof r.startIpAddress === 'string' ? parseIpv4(r.startIpAddress) : undefined;
    const end = typeof r.endIpAddress === 'string' ? parseIpv4(r.endIpAddress) : undefined;
    if (start === undefined) fail(owner, `${at}.startIpAddress ${show(r.startIpAddress)} is not an IPv4 address`, 'use dotted IPv4 such as \'203.0.113.10\'');
    if (end === undefined) fail(owner, `${at}.endIpAddress ${show(r.endIpAddress)} is not an IPv4 address`, 'use dotted IPv4 such as \'203.0.113.20\'');
    if (start > end) fail(owner, `${at} starts at ${r.startIpAddress}, after its end ${r.endIpAddress}`, 'swap startIpAddress and endIpAddress');
  });
  return rules;
}

function checkClassAndPlan(owner: string, serviceClass: string, plan: string, allowUnknown: boolean): OsbaClass | undefined {
  const known = OSBA_CLASSES[serviceClass];
  if (!known) {
    if (!allowUnknown) {
      fail(owner, `serviceClass ${show(serviceClass)} is not an OSBA MySQL class (${Object.keys(OSBA_CLASSES).join(', ')})`,
        'use one of those, or set allowUnknownClassOrPlan: true for a custom broker or an older OSBA release');
    }
    if (!serviceClass || !/^[-\w.]+$/.test(serviceClass)) fail(owner, `serviceClass ${show(serviceClass)} is not a class name`, 'use the broker\'s external class name');
    if (!plan || !/^[-\w.]+$/.test(plan)) fail(owner, `plan ${show(plan)} is not a plan name`, 'use the broker\'s external plan name');
    return undefined;
  }
  if (!known.plans.includes(plan)) {
    if (!allowUnknown) fail(owner, `plan ${show(plan)} is not a plan of ${serviceClass} (${known.plans.join(', ')})`, 'use one of those, or set allowUnknownClassOrPlan: true for a custom broker');
    if (!/^[-\w.]+$/.test(plan)) fail(owner, `plan ${show(plan)} is not a plan name`, 'use the broker\'s external plan name');
    return undefined;
  }
  return known;
}

/** OSBA's database-only classes of every release (`azure-mysql-database`, `azure-mysql-5-7-database`, ...). */
const DATABASE_ONLY_CLASS = /^azure-mysql.*-database$/;

function checkBindable(owner: string, serviceClass: string, known: OsbaClass | undefined): void {
  if (known?.kind === OsbaClassKind.DBMS || /^azure-mysql.*-dbms$/.test(serviceClass)) {
    fail(owner, `serviceClass ${show(serviceClass)} provisions a DBMS only and is not bindable`,
      'create the DBMS with new OsbaMySqlServer(...) and bind a database on it with MySqlProvider.osbaDatabase(server)');
  }
}

/**
 * The OSBA MySQL provisioning parameters that have a typed option (or are set by the library), and where
 * to set them: `extraParameters` may not name them, whether or not the typed option is set.
 */
const TYPED_OSBA_PARAMETERS: Record<string, string> = {
  location: 'location',
  resourceGroup: 'resourceGroup',
  alias: 'OsbaMySqlServer alias',
  parentAlias: 'MySqlProvider.osbaDatabase(server)',
  serverName: 'serverName',
  adminAccountSettings: 'adminUsername (and parametersFrom for the password)',
  sslEnforcement: 'sslEnforcement',
  firewallRules: 'firewallRules',
  tags: 'tags',
  cores: 'cores',
  storage: 'storageGb',
  backupRetention: 'backupRetentionDays',
  backupRedundancy: 'backupRedundancy',
};

/** Renders the broker parameters of an all-in-one or DBMS-only instance, validating them. */
function serverParameters(owner: string, o: OsbaMySqlServerOptions, plan: string, knownPlan: boolean, extra: Json): Json {
  validateLocation(owner, o.location);
  validateResourceGroup(owner, o.resourceGroup);
  if (o.serverName !== undefined) validateServerName(owner, 'serverName', o.serverName);
  if (o.adminUsername !== undefined) validateMySqlUser(owner, 'adminUsername', o.adminUsername);
  if (o.sslEnforcement !== undefined && !Object.values(SslEnforcement).includes(o.sslEnforcement)) {
    fail(owner, `sslEnforcement ${show(o.sslEnforcement)} is not a valid setting`, 'use SslEnforcement.UNSPECIFIED, ENABLED or DISABLED');
  }
  const rules = validateFirewallRules(owner, o.firewallRules);
  validateTags(owner, o.tags);
  const limits = knownPlan ? PLAN_LIMITS[plan] : undefined;
  if (o.cores !== undefined) {
    validateInt(owner, 'cores', o.cores, 1);
    if (limits && !limits.cores.includes(o.cores)) fail(owner, `cores ${o.cores} is not offered by plan '${plan}' (${limits.cores.join(', ')})`, 'pick one of those or another plan');
  }
  if (o.storageGb !== undefined) validateInt(owner, 'storageGb', o.storageGb, 5, limits?.maxStorageGb);
  if (o.backupRetentionDays !== undefined) validateInt(owner, 'backupRetentionDays', o.backupRetentionDays, 7, 35);
  if (o.backupRedundancy !== undefined) {
    if (!Object.values(BackupRedundancy).includes(o.backupRedundancy)) fail(owner, `backupRedundancy ${show(o.backupRedundancy)} is not 'local' or 'geo'`, 'use BackupRedundancy.LOCAL or GEO');
    if (limits && !limits.backupRedundancy) fail(owner, `backupRedundancy is not offered by plan '${plan}'`, 'use plan \'general-purpose\' or \'memory-optimized\', or remove backupRedundancy');
  }
  const typed: Json = compact({
    location: o.location,
    resourceGroup: o.resourceGroup,
    ...extra,
    serverName: o.serverName,
    adminAccountSettings: o.adminUsername !== undefined ? { adminUsername: o.adminUsername } : undefined,
    sslEnforcement: o.sslEnforcement || undefined,
    firewallRules: rules.map((r) => ({ name: r.name, startIPAddress: r.startIpAddress, endIPAddress: r.endIpAddress })),
    tags: o.tags && Object.keys(o.tags).length ? { ...o.tags } : undefined,
    cores: o.cores,
    storage: o.storageGb,
    backupRetention: o.backupRetentionDays,
    backupRedundancy: o.backupRedundancy,
  });
  for (const k of Object.keys(o.extraParameters ?? {})) {
    const option = Object.prototype.hasOwnProperty.call(TYPED_OSBA_PARAMETERS, k) ? TYPED_OSBA_PARAMETERS[k] : undefined;
    if (option !== undefined) fail(owner, `extraParameters repeats the parameter ${show(k)}, which has a typed option`, `set it through ${option} (and remove it from extraParameters)`);
  }
  return { ...typed, ...o.extraParameters };
}

function parametersFrom(owner: string, list: SecretKeyReference[] | undefined): ParametersFromSource[] | undefined {
  const refs = arrayProp(owner, 'parametersFrom', list, '{ name: \'mysql-admin\', key: \'parameters.json\' }');
  if (refs.length === 0) return undefined;
  return refs.map((r, i) => {
    validateSecretKeyRef(owner, `parametersFrom[${i}]`, r);
    return { secretKeyRef: { name: r.name, key: r.key } };
  });
}

/** The binding Secret's keys the app reads (the others, e.g. `uri`, may be overwritten or removed). */
const APP_KEYS = ['host', 'port', 'database', 'username', 'password'] as const;

/**
 * Follows the OSBA binding Secret's keys through `secretTransforms`: returns, for each credential key
 * the app needs, the key it ends up under. A transform may overwrite a key the app does not read (e.g.
 * `uri`), never one it reads.
 */
function transformedKeys(owner: string, list: SecretTransform[] | undefined): Record<typeof APP_KEYS[number], string> {
  const transforms = arrayProp(owner, 'secretTransforms', list, '{ renameKey: { from: \'username\', to: \'user\' } }');
  // Each OSBA key, by the name the broker writes it under, mapped to the key it has now.
  const current: Record<string, string> = Object.fromEntries(OSBA_MYSQL_SECRET_KEYS.map((k) => [k, k]));
  const readByApp = (k: string) => (APP_KEYS as readonly string[]).includes(k);
  transforms.forEach((t, i) => {
    if (!isObject(t)) fail(owner, `secretTransforms[${i}] ${show(t)} is not a transform`, 'set exactly one of renameKey, addKey, addKeysFrom, removeKey');
    const set = (['renameKey', 'addKey', 'addKeysFrom', 'removeKey'] as const).filter((k) => t[k] !== undefined);
    if (set.length !== 1) fail(owner, `secretTransforms[${i}] sets ${set.length ? set.join(' and ') : 'nothing'}`, 'set exactly one of renameKey, addKey, addKeysFrom, removeKey');
    // A key the app reads, other than the one being renamed, must not be overwritten; any other key that
    // is overwritten is gone.
    const overwrite = (prop: string, key: string, from?: string) => {
      const hit = Object.entries(current).find(([k, v]) => v === key && v !== from && readByApp(k));
      if (hit) fail(owner, `secretTransforms[${i}].${prop} ${show(key)} would overwrite the key the app reads as ${show(hit[0])}`, 'use a key the app does not read');
      for (const [k, v] of Object.entries(current)) if (v === key && v !== from) delete current[k];
    };
    const field = (prop: string, value: unknown): Record<string, any> => {
      if (!isObject(value)) fail(owner, `secretTransforms[${i}].${prop} ${show(value)} is not an object`, `see SecretTransform, e.g. { ${prop}: ${prop === 'renameKey' ? '{ from: \'username\', to: \'user\' }' : '{ key: \'uri\' }'} }`);
      return value as Record<string, any>;
    };
    if (t.renameKey !== undefined) {
      const r = field('renameKey', t.renameKey);
      validateSecretKey(owner, `secretTransforms[${i}].renameKey.from`, r.from);
      validateSecretKey(owner, `secretTransforms[${i}].renameKey.to`, r.to);
      overwrite('renameKey.to', r.to, r.from);
      for (const [k, v] of Object.entries(current)) if (v === r.from) current[k] = r.to;
    }
    if (t.addKey !== undefined) {
      const a = field('addKey', t.addKey);
      validateSecretKey(owner, `secretTransforms[${i}].addKey.key`, a.key);
      overwrite('addKey.key', a.key);
    }
    if (t.removeKey !== undefined) {
      const r = field('removeKey', t.removeKey);
      validateSecretKey(owner, `secretTransforms[${i}].removeKey.key`, r.key);
      for (const [k, v] of Object.entries(current)) {
        if (v !== r.key) continue;
        if (readByApp(k)) {
          fail(owner, `secretTransforms remove the key ${show(v)} the app reads${v !== k ? ` as ${show(k)}` : ''} (secretTransforms[${i}].removeKey)`, `keep ${show(v)} (renaming it is fine)`);
        }
        delete current[k];
      }
    }
  });
  return { host: current.host, port: current.port, database: current.database, username: current.username, password: current.password };
}
