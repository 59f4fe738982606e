/**
 * Closed JSON schemas for the Azure Service Operator kinds MySqlBinding renders, listed in
 * `extraSchemas` by ./schema.ts (Service Catalog's closed shapes live there too):
 *
 * - Azure Service Operator v2 `dbformysql.azure.com/v1api20231230` (and `v20231230`) FlexibleServer, FlexibleServersDatabase and
 *   FlexibleServersFirewallRule: no CRD file is available offline, so these are HAND-WRITTEN from ASO's
 *   published API reference (azure.github.io/azure-service-operator/reference/dbformysql/ and the generated
 *   `flexibleserver-changes.md` of v2/api/dbformysql/v20231230). They list every spec property of those kinds;
 *   nested objects whose shape is not needed here (identity, dataEncryption, ...) are left open.
 *
 * Every object schema listing properties rejects unknown fields (`additionalProperties: false`).
 */
import { deepFreeze } from './frozen';

const STR = { type: 'string' };
const INT = { type: 'integer' };
const FREE = { type: 'object' };
const STR_MAP = { type: 'object', additionalProperties: { type: 'string' } };
const closed = (properties: Record<string, unknown>, required: string[] = []) => ({ type: 'object', additionalProperties: false, required, properties });

const METADATA = closed({ name: STR, namespace: STR, labels: STR_MAP, annotations: STR_MAP }, ['name']);
const root = (apiVersion: string, kind: string, spec: unknown) => closed({
  apiVersion: { const: apiVersion }, kind: { const: kind }, metadata: METADATA, spec, status: FREE,
}, ['apiVersion', 'kind', 'metadata', 'spec']);

const SECRET_KEY_REFERENCE = closed({ name: STR, key: STR }, ['name', 'key']);

// ---------------------------------------------------------------- ASO v2 dbformysql (hand-written)

const ENABLED = { enum: ['Enabled', 'Disabled'] };
const OWNER = closed({ name: STR, armId: STR });
const CONFIG_MAP_DEST = closed({ name: STR, key: STR }, ['name', 'key']);
const DESTINATION_EXPRESSIONS = { type: 'array', items: closed({ name: STR, key: STR, value: STR }, ['name', 'value']) };
const OPERATOR_SPEC_BASE = { configMapExpressions: DESTINATION_EXPRESSIONS, secretExpressions: DESTINATION_EXPRESSIONS };

const FLEXIBLE_SERVER_SPEC = closed({
  administratorLogin: STR,
  administratorLoginPassword: SECRET_KEY_REFERENCE,
  availabilityZone: STR,
  azureName: STR,
  backup: closed({ backupIntervalHours: INT, backupRetentionDays: { type: 'integer', minimum: 1, maximum: 35 }, geoRedundantBackup: ENABLED }),
  createMode: { enum: ['Default', 'GeoRestore', 'PointInTimeRestore', 'Replica'] },
  dataEncryption: FREE,
  highAvailability: closed({ mode: { enum: ['Disabled', 'SameZone', 'ZoneRedundant'] }, standbyAvailabilityZone: STR }),
  identity: FREE,
  importSourceProperties: FREE,
  location: STR,
  maintenanceWindow: closed({ customWindow: STR, dayOfWeek: INT, startHour: INT, startMinute: INT }),
  network: closed({ delegatedSubnetResourceReference: FREE, privateDnsZoneResourceReference: FREE, publicNetworkAccess: ENABLED }),
  operatorSpec: closed({
    ...OPERATOR_SPEC_BASE,
    configMaps: closed({ administratorLogin: CONFIG_MAP_DEST, fullyQualifiedDomainName: CONFIG_MAP_DEST }),
    secrets: closed({ fullyQualifiedDomainName: CONFIG_MAP_DEST }),
  }),
  owner: OWNER,
  replicationRole: { enum: ['None', 'Replica', 'Source'] },
  restorePointInTime: STR,
  sku: closed({ name: STR, tier: { enum: ['Burstable', 'GeneralPurpose', 'MemoryOptimized'] } }, ['name', 'tier']),
  sourceServerResourceReference: FREE,
  storage: closed({ autoGrow: ENABLED, autoIoScaling: ENABLED, iops: INT, logOnDisk: ENABLED, storageSizeGB: INT }),
  tags: STR_MAP,
  version: STR,
}, ['owner']);

const FLEXIBLE_SERVERS_DATABASE_SPEC = closed({
  azureName: STR, charset: STR, collation: STR, operatorSpec: closed(OPERATOR_SPEC_BASE), owner: OWNER,
}, ['owner']);

const IPV4 = { type: 'string', pattern: '^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$' };
const FLEXIBLE_SERVERS_FIREWALL_RULE_SPEC = closed({
  azureName: STR, endIpAddress: IPV4, startIpAddress: IPV4, operatorSpec: closed(OPERATOR_SPEC_BASE), owner: OWNER,
}, ['owner', 'startIpAddress', 'endIpAddress']);

// ---------------------------------------------------------------- the table

/**
 * The closed JSON schemas of the ASO dbformysql kinds, keyed by `apiVersion/kind`: plain, frozen data that
 * each `SchemaCatalog` (./schema.ts) compiles on first use. ASO serves the same schema under the legacy
 * `v1api20231230` and the simplified `v20231230` (2.19+).
 */
export const ASO_MYSQL_SCHEMAS: Readonly<Record<string, object>> = deepFreeze(Object.fromEntries(
  ['v1api20231230', 'v20231230'].flatMap((version) => {
    const v = `dbformysql.azure.com/${version}`;
    return [
      [`${v}/FlexibleServer`, root(v, 'FlexibleServer', FLEXIBLE_SERVER_SPEC)],
      [`${v}/FlexibleServersDatabase`, root(v, 'FlexibleServersDatabase', FLEXIBLE_SERVERS_DATABASE_SPEC)],
      [`${v}/FlexibleServersFirewallRule`, root(v, 'FlexibleServersFirewallRule', FLEXIBLE_SERVERS_FIREWALL_RULE_SPEC)],
    ];
  }),
));
