import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import {
  AsoMySqlApiVersion, BackupRedundancy, FlexibleServerTier, FlexibleServerVersion,
  MySqlBinding, MySqlBindingProps, MySqlProvider, MySqlSetting, NetworkPeer, OSBA_MYSQL_SECRET_KEYS, OsbaMySqlServer, SslEnforcement, WebApp,
} from '../lib';
import { ALLOW_AZURE_SERVICES_RULE, DEFAULT_MYSQL_RESOURCES } from '../lib/mysql';
import { BUSYBOX_IMAGE } from '../lib/web-app';
import { schemaProblems } from './support/schema';
import { all, chart, find, synth } from './support/synth';

const APP_IMAGE = 'yoichikawasaki/sample-osba-mysql:0.0.1';
// Upstream OSBA example manifests, vendored verbatim (sources: test/fixtures/osba/SOURCES.md).
const OSBA_EXAMPLES = path.join(__dirname, 'fixtures/osba');
const ALLOW_ALL = { name: 'AllowAll', startIpAddress: '0.0.0.0', endIpAddress: '255.255.255.255' };

const envOf = (docs: any[], app = 'sample-osba-mysql') => find(docs, 'Deployment', app).spec.template.spec.containers[0].env as any[];
const envByName = (docs: any[], app?: string) => Object.fromEntries(envOf(docs, app).map((e) => [e.name, e]));

/** A chart with the sample app and a binding bound to it. */
function scenario(props: MySqlBindingProps, options: Parameters<MySqlBinding['bindTo']>[1] = {}, namespace = 'shop') {
  const c = chart(namespace);
  const app = new WebApp(c, 'sample-osba-mysql', { image: APP_IMAGE, port: 80 });
  const binding = new MySqlBinding(c, 'example', props);
  binding.bindTo(app, options);
  return { c, app, binding, docs: synth(c) };
}

const osba = () => MySqlProvider.osba({ location: 'eastus', resourceGroup: 'demo' });

// =====================================================================================================
// OSBA
// =====================================================================================================

describe('OSBA provider', () => {
  // GIVEN the seed scenario: an OSBA all-in-one instance bound into the sample app
  const { binding, docs } = scenario({ provider: osba() });
  const instance = find(docs, 'ServiceInstance');
  const serviceBinding = find(docs, 'ServiceBinding');

  test('snapshot', () => {
    expect(docs).toMatchSnapshot();
  });

  test('the instance uses the current OSBA class and plan with the typed parameters', () => {
    expect(instance.apiVersion).toBe('servicecatalog.k8s.io/v1beta1');
    expect(instance.metadata).toMatchObject({ name: 'example-mysql-instance', namespace: 'shop' });
    expect(instance.spec).toEqual({
      clusterServiceClassExternalName: 'azure-mysql-5-7',
      clusterServicePlanExternalName: 'basic',
      parameters: { location: 'eastus', resourceGroup: 'demo' },
    });
  });

  test('the binding writes the Secret <name>-mysql-secret, which the binding exposes', () => {
    expect(serviceBinding.spec).toEqual({ instanceRef: { name: 'example-mysql-instance' }, secretName: 'example-mysql-secret' });
    expect(binding.secretName).toBe('example-mysql-secret');
    expect(binding.configMapNames).toEqual([]);
    expect(binding.objects.map((o) => o.kind)).toEqual(['ServiceInstance', 'ServiceBinding']);
  });

  test('the app reads every setting from the binding Secret via secretKeyRef, never a literal value', () => {
    expect(envOf(docs)).toEqual([
      { name: 'MYSQL_HOST', valueFrom: { secretKeyRef: { name: 'example-mysql-secret', key: 'host' } } },
      { name: 'MYSQL_PORT', valueFrom: { secretKeyRef: { name: 'example-mysql-secret', key: 'port' } } },
      { name: 'MYSQL_DATABASE', valueFrom: { secretKeyRef: { name: 'example-mysql-secret', key: 'database' } } },
      { name: 'MYSQL_USER', valueFrom: { secretKeyRef: { name: 'example-mysql-secret', key: 'username' } } },
      { name: 'MYSQL_PASSWORD', valueFrom: { secretKeyRef: { name: 'example-mysql-secret', key: 'password' } } },
    ]);
    for (const e of envOf(docs)) expect(OSBA_MYSQL_SECRET_KEYS).toContain(e.valueFrom.secretKeyRef.key);
  });

  test('every typed parameter is rendered under its OSBA name', () => {
    const { docs: d } = scenario({
      provider: MySqlProvider.osba({
        location: 'westeurope',
        resourceGroup: 'shop-prod',
        plan: 'general-purpose',
        serverName: 'shop-orders',
        adminUsername: 'shopadmin',
        sslEnforcement: SslEnforcement.ENABLED,
        firewallRules: [{ name: 'office', startIpAddress: '203.0.113.0', endIpAddress: '203.0.113.255' }],
        tags: { team: 'shop' },
        cores: 4,
        storageGb: 100,
        backupRetentionDays: 14,
        backupRedundancy: BackupRedundancy.GEO,
        parametersFrom: [{ name: 'mysql-admin', key: 'parameters.json' }],
        bindingUsername: 'orders',
      }),
    });
    const spec = find(d, 'ServiceInstance').spec;
    expect(spec.clusterServicePlanExternalName).toBe('general-purpose');
    expect(spec.parameters).toEqual({
      location: 'westeurope',
      resourceGroup: 'shop-prod',
      serverName: 'shop-orders',
      adminAccountSettings: { adminUsername: 'shopadmin' },
      sslEnforcement: 'enabled',
      firewallRules: [{ name: 'office', startIPAddress: '203.0.113.0', endIPAddress: '203.0.113.255' }],
      tags: { team: 'shop' },
      cores: 4,
      storage: 100,
      backupRetention: 14,
      backupRedundancy: 'geo',
    });
    expect(spec.parametersFrom).toEqual([{ secretKeyRef: { name: 'mysql-admin', key: 'parameters.json' } }]);
    expect(find(d, 'ServiceBinding').spec.parameters).toEqual({ username: 'orders' });
  });

  test('the seed article\'s older names (azure-mysql / basic50) are expressible with allowUnknownClassOrPlan', () => {
    const { docs: d } = scenario({
      provider: MySqlProvider.osba({ location: 'eastus', resourceGroup: 'demo', serviceClass: 'azure-mysql', plan: 'basic50', allowUnknownClassOrPlan: true }),
    });
    expect(find(d, 'ServiceInstance').spec).toMatchObject({ clusterServiceClassExternalName: 'azure-mysql', clusterServicePlanExternalName: 'basic50' });
    expect(envByName(d).MYSQL_USER.valueFrom.secretKeyRef).toEqual({ name: 'example-mysql-secret', key: 'username' });
  });

  test('names can be set, and the env follows secretTransforms renames', () => {
    const { docs: d, binding: b } = scenario({
      provider: MySqlProvider.osba({
        location: 'eastus', resourceGroup: 'demo',
        instanceName: 'orders-db', bindingName: 'orders-db-binding', secretName: 'orders-db-credentials',
        secretTransforms: [{ renameKey: { from: 'username', to: 'user' } }, { removeKey: { key: 'uri' } }],
      }),
    });
    expect(find(d, 'ServiceBinding').spec).toEqual({
      instanceRef: { name: 'orders-db' },
      secretName: 'orders-db-credentials',
      secretTransforms: [{ renameKey: { from: 'username', to: 'user' } }, { removeKey: { key: 'uri' } }],
    });
    expect(envByName(d).MYSQL_USER.valueFrom.secretKeyRef).toEqual({ name: 'orders-db-credentials', key: 'user' });
    expect(b.connection.user).toEqual({ kind: 'Secret', name: 'orders-db-credentials', key: 'user' });
  });

  test('secretTransforms may overwrite a key the app does not read (renaming host to uri); the env follows', () => {
    const { docs: d } = scenario({
      provider: MySqlProvider.osba({ location: 'eastus', resourceGroup: 'demo', secretTransforms: [{ renameKey: { from: 'host', to: 'uri' } }, { addKey: { key: 'tags', stringValue: 'x' } }] }),
    });
    expect(envByName(d).MYSQL_HOST.valueFrom.secretKeyRef).toEqual({ name: 'example-mysql-secret', key: 'uri' });
  });

  test('a database on a shared DBMS: OsbaMySqlServer (not bound) plus osbaDatabase bindings', () => {
    // GIVEN one DBMS and two apps, each with its own database on it
    const c = chart('shop');
    const server = new OsbaMySqlServer(c, 'shared', { location: 'eastus', resourceGroup: 'demo', alias: 'shop-shared-mysql' });
    const orders = new WebApp(c, 'orders', { image: APP_IMAGE, port: 80 });
    const billing = new WebApp(c, 'billing', { image: APP_IMAGE, port: 80 });
    new MySqlBinding(c, 'orders-db', { name: 'orders', provider: MySqlProvider.osbaDatabase(server) }).bindTo(orders);
    new MySqlBinding(c, 'billing-db', { name: 'billing', provider: MySqlProvider.osbaDatabase(OsbaMySqlServer.fromAlias('shop-shared-mysql')) }).bindTo(billing);
    const d = synth(c);
    // THEN one DBMS-only instance, two database-only instances naming it, and two bindings
    expect(find(d, 'ServiceInstance', 'shared-mysql-dbms-instance').spec).toEqual({
      clusterServiceClassExternalName: 'azure-mysql-5-7-dbms',
      clusterServicePlanExternalName: 'basic',
      parameters: { location: 'eastus', resourceGroup: 'demo', alias: 'shop-shared-mysql' },
    });
    for (const name of ['orders', 'billing']) {
      expect(find(d, 'ServiceInstance', `${name}-mysql-instance`).spec).toEqual({
        clusterServiceClassExternalName: 'azure-mysql-5-7-database',
        clusterServicePlanExternalName: 'database',
        parameters: { parentAlias: 'shop-shared-mysql' },
      });
      expect(find(d, 'ServiceBinding', `${name}-mysql-binding`).spec.instanceRef).toEqual({ name: `${name}-mysql-instance` });
      expect(envByName(d, name).MYSQL_PASSWORD.valueFrom.secretKeyRef).toEqual({ name: `${name}-mysql-secret`, key: 'password' });
    }
    expect(all(d, 'ServiceBinding')).toHaveLength(2);
    expect(d).toMatchSnapshot();
  });
});

// The emitted objects match the upstream OSBA example manifests field for field (our objects only add
// the app.kubernetes.io labels).
describe('OSBA example manifests (test/fixtures/osba)', () => {
  const load = (file: string) => YAML.parse(fs.readFileSync(path.join(OSBA_EXAMPLES, file), 'utf8'));
  const shape = (doc: any) => ({ apiVersion: doc.apiVersion, kind: doc.kind, metadata: { name: doc.metadata.name, namespace: doc.metadata.namespace }, spec: doc.spec });
  const shapeOf = (docs: any[], kind: string, name: string) => {
    const doc = find(docs, kind, name);
    expect(doc).toBeDefined();
    expect(Object.keys(doc.metadata).sort()).toEqual(['labels', 'name', 'namespace']);
    expect(Object.keys(doc).sort()).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    return shape(doc);
  };

  test('mysql-instance.yaml and mysql-binding.yaml', () => {
    const c = chart('default');
    new MySqlBinding(c, 'example', { provider: MySqlProvider.osba({ location: 'eastus', resourceGroup: 'demo', firewallRules: [ALLOW_ALL] }) });
    const docs = synth(c);
    expect(shapeOf(docs, 'ServiceInstance', 'example-mysql-instance')).toEqual(load('mysql-instance.yaml'));
    expect(shapeOf(docs, 'ServiceBinding', 'example-mysql-binding')).toEqual(load('mysql-binding.yaml'));
  });

  test('advanced/: the DBMS-only instance, the database-only instance and its binding', () => {
    const c = chart('default');
    const server = new OsbaMySqlServer(c, 'example', {
      location: 'eastus', resourceGroup: 'demo', alias: '71b6b6c4-5271-47d3-8188-51e69fba914e', firewallRules: [ALLOW_ALL],
    });
    new MySqlBinding(c, 'example-db', {
      name: 'example',
      provider: MySqlProvider.osbaDatabase(server, {
        instanceName: 'example-mysql-database-instance', bindingName: 'example-mysql-database-binding', secretName: 'example-mysql-database-secret',
      }),
    });
    const docs = synth(c);
    expect(shapeOf(docs, 'ServiceInstance', 'example-mysql-dbms-instance')).toEqual(load('advanced/mysql-dbms-instance.yaml'));
    expect(shapeOf(docs, 'ServiceInstance', 'example-mysql-database-instance')).toEqual(load('advanced/mysql-database-instance.yaml'));
    expect(shapeOf(docs, 'ServiceBinding', 'example-mysql-database-binding')).toEqual(load('advanced/mysql-database-binding.yaml'));
  });

  test('the upstream manifests themselves pass our ServiceInstance/ServiceBinding schemas', () => {
    for (const f of ['mysql-instance.yaml', 'mysql-binding.yaml', 'advanced/mysql-dbms-instance.yaml', 'advanced/mysql-database-instance.yaml', 'advanced/mysql-database-binding.yaml']) {
      expect(schemaProblems(load(f))).toEqual([]);
    }
  });
});

describe('Service Catalog and ASO schemas (test support) reject what they should', () => {
  test('an unknown ServiceInstance spec field, a binding without instanceRef, an instance without class', () => {
    const instance = { apiVersion: 'servicecatalog.k8s.io/v1beta1', kind: 'ServiceInstance', metadata: { name: 'i' }, spec: { clusterServiceClassExternalName: 'c', clusterServicePlanExternalName: 'p' } };
    expect(schemaProblems(instance)).toEqual([]);
    expect(schemaProblems({ ...instance, spec: { ...instance.spec, paramters: {} } }).join()).toMatch(/paramters/);
    expect(schemaProblems({ ...instance, spec: { clusterServicePlanExternalName: 'p' } })).not.toEqual([]);
    expect(schemaProblems({ apiVersion: 'servicecatalog.k8s.io/v1beta1', kind: 'ServiceBinding', metadata: { name: 'b' }, spec: { secretName: 's' } }).join()).toMatch(/instanceRef/);
  });

  test('a FlexibleServer with a misspelt field or a bad tier', () => {
    const server = { apiVersion: 'dbformysql.azure.com/v20231230', kind: 'FlexibleServer', metadata: { name: 's' }, spec: { owner: { name: 'rg' }, sku: { name: 'Standard_B1ms', tier: 'Burstable' } } };
    expect(schemaProblems(server)).toEqual([]);
    expect(schemaProblems({ ...server, spec: { ...server.spec, storage: { storageSizeGb: 20 } } }).join()).toMatch(/storageSizeGb/);
    expect(schemaProblems({ ...server, spec: { ...server.spec, sku: { name: 'x', tier: 'Basic' } } })).not.toEqual([]);
  });
});

// =====================================================================================================
// Azure Service Operator v2
// =====================================================================================================

describe('Azure Service Operator provider', () => {
  const aso = () => MySqlProvider.azureServiceOperator({
    location: 'eastus',
    resourceGroup: 'shop-rg',
    administratorLogin: 'shopadmin',
    administratorPasswordSecret: { name: 'shop-mysql-admin', key: 'password' },
    database: 'orders',
    firewallRules: [{ name: 'office', startIpAddress: '203.0.113.0', endIpAddress: '203.0.113.255' }],
  });
  const { binding, docs } = scenario({ provider: aso() });
  const server = find(docs, 'FlexibleServer');

  test('snapshot', () => {
    expect(docs).toMatchSnapshot();
  });

  test('the FlexibleServer takes its admin password from the existing Secret and exports its FQDN to a ConfigMap', () => {
    expect(server.apiVersion).toBe('dbformysql.azure.com/v1api20231230');
    expect(server.metadata.name).toBe('example-mysql');
    expect(server.spec).toEqual({
      location: 'eastus',
      owner: { name: 'shop-rg' },
      version: '8.0.21',
      sku: { name: 'Standard_B1ms', tier: 'Burstable' },
      administratorLogin: 'shopadmin',
      administratorLoginPassword: { name: 'shop-mysql-admin', key: 'password' },
      storage: { storageSizeGB: 20 },
      backup: { backupRetentionDays: 7 },
      operatorSpec: { configMaps: { fullyQualifiedDomainName: { name: 'example-mysql-server', key: 'host' } } },
    });
  });

  test('a FlexibleServersDatabase and a FlexibleServersFirewallRule owned by the server', () => {
    expect(find(docs, 'FlexibleServersDatabase').spec).toEqual({ owner: { name: 'example-mysql' }, azureName: 'orders', charset: 'utf8mb4', collation: 'utf8mb4_0900_ai_ci' });
    expect(find(docs, 'FlexibleServersFirewallRule').spec).toEqual({ owner: { name: 'example-mysql' }, azureName: 'office', startIpAddress: '203.0.113.0', endIpAddress: '203.0.113.255' });
    expect(binding.flexibleServersFirewallRules).toHaveLength(1);
  });

  test('env: host from the ASO ConfigMap, port/database/user from ours, password from the admin Secret', () => {
    expect(find(docs, 'ConfigMap', 'example-mysql-connection').data).toEqual({ port: '3306', database: 'orders', username: 'shopadmin' });
    const env = envByName(docs);
    expect(env.MYSQL_HOST.valueFrom).toEqual({ configMapKeyRef: { name: 'example-mysql-server', key: 'host' } });
    expect(env.MYSQL_PORT.valueFrom).toEqual({ configMapKeyRef: { name: 'example-mysql-connection', key: 'port' } });
    expect(env.MYSQL_USER.valueFrom).toEqual({ configMapKeyRef: { name: 'example-mysql-connection', key: 'username' } });
    expect(env.MYSQL_PASSWORD.valueFrom).toEqual({ secretKeyRef: { name: 'shop-mysql-admin', key: 'password' } });
    expect(binding.secretName).toBe('shop-mysql-admin');
    expect(binding.configMapNames).toEqual(['example-mysql-connection', 'example-mysql-server']);
  });

  test('the simplified API version of ASO 2.19+ on request', () => {
    const { docs: d } = scenario({
      provider: MySqlProvider.azureServiceOperator({
        location: 'eastus', resourceGroup: 'shop-rg', administratorLogin: 'shopadmin',
        administratorPasswordSecret: { name: 'a', key: 'p' }, database: 'orders', apiVersion: AsoMySqlApiVersion.V20231230, allowAzureServices: true,
      }),
    });
    expect(find(d, 'FlexibleServer').apiVersion).toBe('dbformysql.azure.com/v20231230');
    expect(find(d, 'FlexibleServersDatabase').apiVersion).toBe('dbformysql.azure.com/v20231230');
  });

  test('tier picks a matching SKU', () => {
    const { docs: d } = scenario({
      provider: MySqlProvider.azureServiceOperator({
        location: 'eastus', resourceGroup: 'shop-rg', administratorLogin: 'shopadmin',
        administratorPasswordSecret: { name: 'a', key: 'p' }, database: 'orders', tier: FlexibleServerTier.GENERAL_PURPOSE, storageGb: 128, allowAzureServices: true,
      }),
    });
    expect(find(d, 'FlexibleServer').spec.sku).toEqual({ name: 'Standard_D2ds_v4', tier: 'GeneralPurpose' });
    expect(find(d, 'FlexibleServer').spec.storage).toEqual({ storageSizeGB: 128 });
  });

  test('a SKU of the tier\'s series is accepted (GeneralPurpose: Standard_D*, MemoryOptimized: Standard_E*)', () => {
    for (const [tier, skuName] of [[FlexibleServerTier.GENERAL_PURPOSE, 'Standard_D4ads_v5'], [FlexibleServerTier.MEMORY_OPTIMIZED, 'Standard_E4ds_v5'], [FlexibleServerTier.BURSTABLE, 'Standard_B2s']] as const) {
      const { docs: d } = scenario({
        provider: MySqlProvider.azureServiceOperator({
          location: 'eastus', resourceGroup: 'shop-rg', administratorLogin: 'shopadmin',
          administratorPasswordSecret: { name: 'a', key: 'p' }, database: 'orders', tier, skuName, allowAzureServices: true,
        }),
      });
      expect(find(d, 'FlexibleServer').spec.sku).toEqual({ name: skuName, tier });
    }
  });

  test('allowAzureServices renders the 0.0.0.0-0.0.0.0 rule, next to any firewallRules', () => {
    const { docs: d, binding: b } = scenario({
      provider: MySqlProvider.azureServiceOperator({
        location: 'eastus', resourceGroup: 'shop-rg', administratorLogin: 'shopadmin', administratorPasswordSecret: { name: 'a', key: 'p' },
        database: 'orders', firewallRules: [{ name: 'office', startIpAddress: '203.0.113.0', endIpAddress: '203.0.113.255' }], allowAzureServices: true,
      }),
    });
    expect(all(d, 'FlexibleServersFirewallRule').map((r) => r.spec)).toEqual([
      { owner: { name: 'example-mysql' }, azureName: 'office', startIpAddress: '203.0.113.0', endIpAddress: '203.0.113.255' },
      { owner: { name: 'example-mysql' }, azureName: ALLOW_AZURE_SERVICES_RULE, startIpAddress: '0.0.0.0', endIpAddress: '0.0.0.0' },
    ]);
    expect(b.flexibleServersFirewallRules).toHaveLength(2);
  });

  test('the database collation follows the version: utf8mb4_0900_ai_ci exists only in MySQL 8.0', () => {
    const collation = (version: FlexibleServerVersion) => {
      const { docs: d } = scenario({
        provider: MySqlProvider.azureServiceOperator({
          location: 'eastus', resourceGroup: 'shop-rg', administratorLogin: 'shopadmin', administratorPasswordSecret: { name: 'a', key: 'p' },
          database: 'orders', allowAzureServices: true, version,
        }),
      });
      expect(find(d, 'FlexibleServer').spec.version).toBe(version);
      return find(d, 'FlexibleServersDatabase').spec.collation;
    };
    expect(collation(FlexibleServerVersion.V5_7)).toBe('utf8mb4_general_ci');
    expect(collation(FlexibleServerVersion.V8_0_21)).toBe('utf8mb4_0900_ai_ci');
  });
});

// =====================================================================================================
// external
// =====================================================================================================

describe('external provider', () => {
  const external = () => MySqlProvider.external({ host: 'orders.c1a2b3c4d5e6.us-east-1.rds.amazonaws.com', database: 'orders', credentialsSecret: 'orders-db-credentials' });
  const { binding, docs } = scenario({ provider: external() }, { waitForDatabase: true });

  test('snapshot', () => {
    expect(docs).toMatchSnapshot();
  });

  test('an ExternalName Service points at the endpoint; the ConfigMap names the Service as host', () => {
    expect(find(docs, 'Service', 'example-mysql').spec).toEqual({
      type: 'ExternalName', externalName: 'orders.c1a2b3c4d5e6.us-east-1.rds.amazonaws.com', ports: [{ name: 'mysql', port: 3306, protocol: 'TCP' }],
    });
    expect(find(docs, 'ConfigMap', 'example-mysql-connection').data).toEqual({ host: 'example-mysql', port: '3306', database: 'orders' });
    expect(binding.service).toBeDefined();
  });

  test('credentials come from the existing Secret (keys username/password)', () => {
    const env = envByName(docs);
    expect(env.MYSQL_USER.valueFrom).toEqual({ secretKeyRef: { name: 'orders-db-credentials', key: 'username' } });
    expect(env.MYSQL_PASSWORD.valueFrom).toEqual({ secretKeyRef: { name: 'orders-db-credentials', key: 'password' } });
    expect(binding.secretName).toBe('orders-db-credentials');
    expect(all(docs, 'Secret')).toEqual([]);
  });

  test('waitForDatabase: a hardened busybox init container reads host and port from the same keys', () => {
    const init = find(docs, 'Deployment').spec.template.spec.initContainers;
    expect(init).toHaveLength(1);
    expect(init[0].image).toBe(BUSYBOX_IMAGE);
    expect(init[0].env).toEqual([
      { name: 'DB_HOST', valueFrom: { configMapKeyRef: { name: 'example-mysql-connection', key: 'host' } } },
      { name: 'DB_PORT', valueFrom: { configMapKeyRef: { name: 'example-mysql-connection', key: 'port' } } },
    ]);
    expect(init[0].command.join(' ')).toMatch(/nc -z -w 2 "\$DB_HOST" "\$DB_PORT"/);
    expect(init[0].securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
  });

  test('an existing database may have any name MySQL accepts quoted, such as \'order-service\'', () => {
    const { docs: d } = scenario({ provider: MySqlProvider.external({ host: 'db.example.com', database: 'order-service', credentialsSecret: 'c' }) });
    expect(find(d, 'ConfigMap', 'example-mysql-connection').data.database).toBe('order-service');
    expect(envByName(d).MYSQL_DATABASE.valueFrom).toEqual({ configMapKeyRef: { name: 'example-mysql-connection', key: 'database' } });
  });

  test('a host with a trailing dot (absolute name) is accepted and rendered without the dot', () => {
    const { docs: d } = scenario({ provider: MySqlProvider.external({ host: 'db.example.com.', database: 'orders', credentialsSecret: 'c' }) });
    expect(find(d, 'Service', 'example-mysql').spec.externalName).toBe('db.example.com');
  });

  test('other port and credential keys', () => {
    const { docs: d } = scenario({
      provider: MySqlProvider.external({ host: 'db.example.com', port: 3307, database: 'orders', credentialsSecret: 'c', credentialKeys: { username: 'user', password: 'pass' } }),
    });
    expect(find(d, 'ConfigMap').data.port).toBe('3307');
    expect(envByName(d).MYSQL_PASSWORD.valueFrom.secretKeyRef).toEqual({ name: 'c', key: 'pass' });
  });
});

// =====================================================================================================
// in-cluster
// =====================================================================================================

describe('in-cluster provider', () => {
  const inCluster = () => MySqlProvider.inCluster({ credentialsSecret: 'orders-db-credentials', database: 'orders' });
  const { binding, docs } = scenario({ provider: inCluster() });
  const sts = find(docs, 'StatefulSet');
  const pod = sts.spec.template.spec;
  const mysql = pod.containers[0];

  test('snapshot', () => {
    expect(docs).toMatchSnapshot();
  });

  test('a one-replica StatefulSet behind a headless Service of the same name', () => {
    const svc = find(docs, 'Service', 'example-mysql');
    expect(svc.spec.clusterIP).toBe('None');
    expect(svc.spec.selector).toEqual(sts.spec.selector.matchLabels);
    expect(sts.spec).toMatchObject({ replicas: 1, serviceName: 'example-mysql' });
    expect(mysql.image).toBe('mysql:8.4.3');
    expect(binding.statefulSet).toBeDefined();
  });

  test('a PVC template for the data directory', () => {
    expect(sts.spec.volumeClaimTemplates[0].metadata.name).toBe('data');
    expect(sts.spec.volumeClaimTemplates[0].spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } });
    expect(mysql.volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/mysql' });
  });

  test('startup, readiness and liveness probes', () => {
    expect(mysql.startupProbe.tcpSocket).toEqual({ port: 'mysql' });
    expect(mysql.readinessProbe.exec.command.join(' ')).toMatch(/SELECT 1/);
    expect(mysql.livenessProbe.exec.command).toEqual(['mysqladmin', 'ping', '--protocol=TCP', '-h', '127.0.0.1']);
  });

  test('hardened: mysql uid 999, read-only root filesystem with writable run and tmp dirs, no token', () => {
    expect(pod.securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 999, fsGroup: 999, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(mysql.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(mysql.volumeMounts.map((m: any) => m.mountPath)).toEqual(['/var/lib/mysql', '/var/run/mysqld', '/tmp']);
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test('credentials only from the existing Secret: no literal password anywhere', () => {
    const secretEnv = mysql.env.filter((e: any) => e.valueFrom).map((e: any) => [e.name, e.valueFrom.secretKeyRef.key]);
    expect(secretEnv).toEqual([['MYSQL_ROOT_PASSWORD', 'root-password'], ['MYSQL_USER', 'username'], ['MYSQL_PASSWORD', 'password']]);
    expect(mysql.env.find((e: any) => e.value !== undefined)).toEqual({ name: 'MYSQL_DATABASE', value: 'orders' });
    expect(all(docs, 'Secret')).toEqual([]);
    expect(JSON.stringify(docs)).not.toMatch(/PASSWORD","value"/);
  });

  test('the app reads host/port/database from the ConfigMap and credentials from the Secret', () => {
    const env = envByName(docs);
    expect(env.MYSQL_HOST.valueFrom).toEqual({ configMapKeyRef: { name: 'example-mysql-connection', key: 'host' } });
    expect(find(docs, 'ConfigMap', 'example-mysql-connection').data).toEqual({ host: 'example-mysql', port: '3306', database: 'orders' });
    expect(env.MYSQL_USER.valueFrom).toEqual({ secretKeyRef: { name: 'orders-db-credentials', key: 'username' } });
  });

  test('the NetworkPolicy admits only bound apps on 3306, and lets MySQL out to DNS only', () => {
    expect(find(docs, 'NetworkPolicy', 'example-mysql').spec).toEqual({
      podSelector: { matchLabels: sts.spec.selector.matchLabels },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'sample-osba-mysql' } } }], ports: [{ port: 3306, protocol: 'TCP' }] }],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
      }],
    });
  });

  test('an egress-isolated app may reach the MySQL pods on 3306, whether isolated before or after bindTo', () => {
    for (const isolateFirst of [true, false]) {
      const c = chart('shop');
      const app = new WebApp(c, 'sample-osba-mysql', { image: APP_IMAGE, port: 80 });
      if (isolateFirst) app.isolate({ egress: true });
      new MySqlBinding(c, 'example', { provider: inCluster() }).bindTo(app);
      if (!isolateFirst) app.allowTo(NetworkPeer.namespace('monitoring'), 9090);
      const d = synth(c);
      const policy = find(d, 'NetworkPolicy', 'sample-osba-mysql');
      expect(policy.spec.policyTypes).toContain('Egress');
      expect(policy.spec.egress).toContainEqual({ to: [{ podSelector: { matchLabels: sts.spec.selector.matchLabels } }], ports: [{ port: 3306, protocol: 'TCP' }] });
    }
  });

  test('an app whose egress is not isolated stays unisolated (networkIsolation: false: no egress rules, no NetworkPolicy of its own)', () => {
    const open = chart('shop');
    new MySqlBinding(open, 'example', { provider: inCluster() }).bindTo(new WebApp(open, 'sample-osba-mysql', { image: APP_IMAGE, port: 80, networkIsolation: false }));
    expect(find(synth(open), 'NetworkPolicy', 'sample-osba-mysql')).toBeUndefined();
    const c = chart('shop');
    const app = new WebApp(c, 'sample-osba-mysql', { image: APP_IMAGE, port: 80, networkIsolation: false });
    app.isolate();
    new MySqlBinding(c, 'example', { provider: inCluster() }).bindTo(app);
    const policy = find(synth(c), 'NetworkPolicy', 'sample-osba-mysql');
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    expect(policy.spec.egress).toBeUndefined();
  });

  test('allowMutableImageTag accepts an unpinned image', () => {
    const { docs: d } = scenario({ provider: MySqlProvider.inCluster({ credentialsSecret: 's', database: 'orders', image: 'mysql:latest', allowMutableImageTag: true }) });
    expect(find(d, 'StatefulSet').spec.template.spec.containers[0].image).toBe('mysql:latest');
  });

  test('resources are merged with the defaults field by field: setting only a CPU request keeps the memory request and limit', () => {
    expect(mysql.resources).toEqual({ limits: { cpu: '1', memory: '1Gi', 'ephemeral-storage': '2Gi' }, requests: { cpu: '250m', memory: '1Gi', 'ephemeral-storage': '256Mi' } });
    const containerOf = (resources: object) => find(scenario({ provider: MySqlProvider.inCluster({ credentialsSecret: 's', database: 'orders', resources }) }).docs, 'StatefulSet')
      .spec.template.spec.containers[0];
    expect(containerOf({ cpu: { request: '500m' } }).resources).toEqual({ limits: { cpu: '1', memory: '1Gi', 'ephemeral-storage': '2Gi' }, requests: { cpu: '500m', memory: '1Gi', 'ephemeral-storage': '256Mi' } });
    expect(containerOf({ memory: { limit: '2Gi' } }).resources).toEqual({ limits: { cpu: '1', memory: '2Gi', 'ephemeral-storage': '2Gi' }, requests: { cpu: '250m', memory: '1Gi', 'ephemeral-storage': '256Mi' } });
    // limit: null removes that limit only
    expect(containerOf({ cpu: { limit: null } }).resources).toEqual({ limits: { memory: '1Gi', 'ephemeral-storage': '2Gi' }, requests: { cpu: '250m', memory: '1Gi', 'ephemeral-storage': '256Mi' } });
    expect(DEFAULT_MYSQL_RESOURCES).toEqual({ cpu: { request: '250m', limit: '1' }, memory: { request: '1Gi', limit: '1Gi' }, ephemeralStorage: { request: '256Mi', limit: '2Gi' } });
  });

  test('a mariadb image gets probes that call the mariadb-named clients (MariaDB 11 images ship no mysql/mysqladmin)', () => {
    for (const image of ['mariadb:11.4', 'docker.io/library/mariadb:11.4.4', 'quay.io/mariadb-foundation/mariadb-devel:11.8']) {
      const c = find(scenario({ provider: MySqlProvider.inCluster({ credentialsSecret: 's', database: 'orders', image }) }).docs, 'StatefulSet').spec.template.spec.containers[0];
      expect(c.image).toBe(image);
      expect(c.livenessProbe.exec.command).toEqual(['sh', '-c', 'exec "$(command -v mariadb-admin || command -v mysqladmin)" ping --protocol=TCP -h 127.0.0.1']);
      expect(c.readinessProbe.exec.command[2]).toMatch(/"\$\(command -v mariadb \|\| command -v mysql\)" --protocol=TCP -h 127.0.0.1 -u"\$MYSQL_USER" -e "SELECT 1"/);
      // the MYSQL_* variables work: the MariaDB entrypoint reads them as aliases of MARIADB_*
      expect(c.env.map((e: any) => e.name)).toEqual(['MYSQL_ROOT_PASSWORD', 'MYSQL_DATABASE', 'MYSQL_USER', 'MYSQL_PASSWORD']);
    }
    // MySQL images (and images merely named like mysql) keep the mysql-named clients
    expect(mysql.livenessProbe.exec.command[0]).toBe('mysqladmin');
    expect(mysql.readinessProbe.exec.command[2]).toMatch(/^MYSQL_PWD="\$MYSQL_PASSWORD" mysql --protocol=TCP/);
  });

  test('storage size, StorageClass and isolate: false', () => {
    const { docs: d } = scenario({
      provider: MySqlProvider.inCluster({ credentialsSecret: 's', database: 'orders', storage: '50Gi', storageClassName: 'premium-ssd', isolate: false }),
    });
    expect(find(d, 'StatefulSet').spec.volumeClaimTemplates[0].spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'premium-ssd', resources: { requests: { storage: '50Gi' } } });
    expect(find(d, 'NetworkPolicy', 'example-mysql')).toBeUndefined();
  });
});

// =====================================================================================================
// bindTo
// =====================================================================================================

describe('bindTo', () => {
  test('prefix renames the defaults; envNames are used as given', () => {
    const { docs } = scenario({ provider: osba() }, { prefix: 'ORDERS_', envNames: { password: 'DB_PASS' } });
    expect(envOf(docs).map((e) => e.name)).toEqual(['ORDERS_MYSQL_HOST', 'ORDERS_MYSQL_PORT', 'ORDERS_MYSQL_DATABASE', 'ORDERS_MYSQL_USER', 'DB_PASS']);
  });

  test('two databases in one app with prefixes', () => {
    const c = chart('shop');
    const app = new WebApp(c, 'sample-osba-mysql', { image: APP_IMAGE, port: 80 });
    new MySqlBinding(c, 'orders', { provider: osba() }).bindTo(app);
    new MySqlBinding(c, 'audit', { provider: osba() }).bindTo(app, { prefix: 'AUDIT_' });
    expect(envOf(synth(c))).toHaveLength(10);
  });

  test('binding one database to one app twice (two prefixes) with waitForDatabase adds a single wait-for container', () => {
    const c = chart('shop');
    const app = new WebApp(c, 'sample-osba-mysql', { image: APP_IMAGE, port: 80 });
    const b = new MySqlBinding(c, 'example', { provider: MySqlProvider.inCluster({ credentialsSecret: 's', database: 'orders' }) });
    b.bindTo(app, { waitForDatabase: true });
    b.bindTo(app, { prefix: 'READ_', waitForDatabase: true });
    const d = synth(c);
    expect(find(d, 'Deployment').spec.template.spec.initContainers.map((i: any) => i.name)).toEqual(['wait-for-example-mysql']);
    expect(envOf(d)).toHaveLength(10);
    // the app is admitted once
    expect(find(d, 'NetworkPolicy', 'example-mysql').spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: { app: 'sample-osba-mysql' } } }]);
  });

  test('waitContainerName names the wait-for init container', () => {
    const { docs } = scenario({ provider: osba() }, { waitForDatabase: true, waitContainerName: 'wait-for-orders-db' });
    expect(find(docs, 'Deployment').spec.template.spec.initContainers.map((i: any) => i.name)).toEqual(['wait-for-orders-db']);
  });

  test('envValue gives one setting as an EnvValue', () => {
    const c = chart('shop');
    const b = new MySqlBinding(c, 'example', { provider: osba() });
    expect(b.envValue(MySqlSetting.HOST).spec).toEqual({ valueFrom: { secretKeyRef: { name: 'example-mysql-secret', key: 'host' } } });
  });
});

// =====================================================================================================
// Bad input
// =====================================================================================================

describe('bad input', () => {
  const bind = (provider: () => MySqlProvider) => () => new MySqlBinding(chart('shop'), 'example', { provider: provider() });
  const osbaWith = (o: object) => bind(() => MySqlProvider.osba({ location: 'eastus', resourceGroup: 'demo', ...o }));
  const asoWith = (o: object) => bind(() => MySqlProvider.azureServiceOperator({
    location: 'eastus', resourceGroup: 'shop-rg', administratorLogin: 'shopadmin', administratorPasswordSecret: { name: 'a', key: 'p' }, database: 'orders',
    allowAzureServices: true, ...o,
  }));
  const externalWith = (o: object) => bind(() => MySqlProvider.external({ host: 'db.example.com', database: 'orders', credentialsSecret: 'c', ...o }));
  const inClusterWith = (o: object) => bind(() => MySqlProvider.inCluster({ credentialsSecret: 'c', database: 'orders', ...o }));

  test('fails if OSBA location is missing', () => {
    expect(osbaWith({ location: undefined })).toThrow(/MySqlBinding 'example': location is missing; set the Azure region/);
  });

  test('fails if OSBA location is not a region name', () => {
    expect(osbaWith({ location: 'East US' })).toThrow(/location 'East US' is not an Azure region name/);
  });

  test('fails if OSBA resourceGroup is missing', () => {
    expect(osbaWith({ resourceGroup: undefined })).toThrow(/resourceGroup is missing/);
  });

  test('fails if the resource group name is invalid (OSBA and ASO)', () => {
    expect(osbaWith({ resourceGroup: 'demo/prod' })).toThrow(/resourceGroup 'demo\/prod' is not a valid Azure resource group name/);
    expect(osbaWith({ resourceGroup: 'demo.' })).toThrow(/not ending with '\.'/);
    expect(asoWith({ resourceGroup: 'Shop RG' })).toThrow(/resourceGroup 'Shop RG' is not a valid Azure resource group name/);
  });

  test('fails if the service class is unknown, listing the known ones', () => {
    expect(osbaWith({ serviceClass: 'azure-mysql' })).toThrow(/serviceClass 'azure-mysql' is not an OSBA MySQL class \(azure-mysql-5-7, azure-mysql-5-7-dbms, azure-mysql-5-7-database\); .*allowUnknownClassOrPlan/);
  });

  test('fails if the plan is unknown, listing the plans of the class', () => {
    expect(osbaWith({ plan: 'basic50' })).toThrow(/plan 'basic50' is not a plan of azure-mysql-5-7 \(basic, general-purpose, memory-optimized\)/);
  });

  test('fails if the class is not bindable (DBMS only), even with the override', () => {
    expect(osbaWith({ serviceClass: 'azure-mysql-5-7-dbms' })).toThrow(/'azure-mysql-5-7-dbms' provisions a DBMS only and is not bindable; .*OsbaMySqlServer/);
    expect(osbaWith({ serviceClass: 'azure-mysql-dbms', allowUnknownClassOrPlan: true })).toThrow(/not bindable/);
  });

  test('fails if osba() is given the database-only class', () => {
    expect(osbaWith({ serviceClass: 'azure-mysql-5-7-database', plan: 'database' })).toThrow(/needs a parentAlias; use MySqlProvider.osbaDatabase/);
  });

  test('fails if OsbaMySqlServer is given a class that is not DBMS-only', () => {
    expect(() => new OsbaMySqlServer(chart(), 's', { location: 'eastus', resourceGroup: 'demo', alias: 'a1', serviceClass: 'azure-mysql-5-7' })).toThrow(/not a DBMS only/);
  });

  test('fails if a firewall rule has an invalid IPv4 address', () => {
    expect(osbaWith({ firewallRules: [{ name: 'office', startIpAddress: '10.0.0.256', endIpAddress: '10.0.1.0' }] }))
      .toThrow(/firewallRules\[0\].startIpAddress '10.0.0.256' is not an IPv4 address/);
    expect(asoWith({ firewallRules: [{ name: 'office', startIpAddress: '10.0.0.1', endIpAddress: 'ten' }] })).toThrow(/endIpAddress 'ten' is not an IPv4 address/);
  });

  test('fails if a firewall rule starts after its end', () => {
    expect(osbaWith({ firewallRules: [{ name: 'office', startIpAddress: '10.0.1.0', endIpAddress: '10.0.0.255' }] }))
      .toThrow(/firewallRules\[0\] starts at 10.0.1.0, after its end 10.0.0.255; swap startIpAddress and endIpAddress/);
  });

  test('fails if two firewall rules share a name', () => {
    expect(osbaWith({ firewallRules: [ALLOW_ALL, ALLOW_ALL] })).toThrow(/firewallRules\[1\].name 'AllowAll' is used twice/);
  });

  test('fails if the server name is invalid (OSBA and ASO)', () => {
    expect(osbaWith({ serverName: 'Shop_DB' })).toThrow(/serverName 'Shop_DB' is not a valid Azure MySQL server name; use 3-63 lowercase/);
    expect(asoWith({ serverName: 'db' })).toThrow(/serverName 'db' is not a valid Azure MySQL server name/);
  });

  test('fails if cores, storage or backupRedundancy do not fit the plan', () => {
    expect(osbaWith({ cores: 4 })).toThrow(/cores 4 is not offered by plan 'basic' \(1, 2\)/);
    expect(osbaWith({ storageGb: 2000 })).toThrow(/storageGb 2000 is not an integer in 5-1048/);
    expect(osbaWith({ backupRedundancy: BackupRedundancy.GEO })).toThrow(/backupRedundancy is not offered by plan 'basic'/);
    expect(osbaWith({ backupRetentionDays: 3 })).toThrow(/backupRetentionDays 3 is not an integer in 7-35/);
  });

  test('fails if extraParameters repeat a typed parameter', () => {
    expect(osbaWith({ extraParameters: { location: 'westus' } })).toThrow(/extraParameters repeats the parameter 'location'/);
  });

  test('fails if extraParameters name any parameter that has a typed option, even when the option is unset', () => {
    const typed = {
      serverName: 'serverName', sslEnforcement: 'sslEnforcement', firewallRules: 'firewallRules', tags: 'tags', cores: 'cores', storage: 'storageGb',
      backupRetention: 'backupRetentionDays', backupRedundancy: 'backupRedundancy', adminAccountSettings: 'adminUsername', alias: 'alias', parentAlias: 'osbaDatabase',
    };
    for (const [param, option] of Object.entries(typed)) {
      expect(osbaWith({ extraParameters: { [param]: 1 } })).toThrow(new RegExp(`extraParameters repeats the parameter '${param}', which has a typed option; set it through [^;]*${option}`));
    }
    expect(() => new OsbaMySqlServer(chart(), 's', { location: 'eastus', resourceGroup: 'demo', alias: 'a1', extraParameters: { storage: 50 } }))
      .toThrow(/extraParameters repeats the parameter 'storage'.*storageGb/);
    // names that are not typed parameters pass through
    const { docs: d } = scenario({ provider: MySqlProvider.osba({ location: 'eastus', resourceGroup: 'demo', extraParameters: { virtualNetworkRules: [] } }) });
    expect(find(d, 'ServiceInstance').spec.parameters).toEqual({ location: 'eastus', resourceGroup: 'demo', virtualNetworkRules: [] });
  });

  test('fails if an older database-only class is passed to osba() with allowUnknownClassOrPlan', () => {
    expect(osbaWith({ serviceClass: 'azure-mysql-database', plan: 'database', allowUnknownClassOrPlan: true }))
      .toThrow(/serviceClass 'azure-mysql-database' provisions a database only and needs a parentAlias; use MySqlProvider.osbaDatabase\(server\)/);
    expect(osbaWith({ serviceClass: 'azure-mysql-5-7-database', plan: 'custom', allowUnknownClassOrPlan: true })).toThrow(/MySqlProvider.osbaDatabase/);
  });

  test('fails if secretTransforms rename or add a key onto a key the app reads', () => {
    expect(osbaWith({ secretTransforms: [{ renameKey: { from: 'uri', to: 'host' } }] }))
      .toThrow(/secretTransforms\[0\].renameKey.to 'host' would overwrite the key the app reads as 'host'; use a key the app does not read/);
    expect(osbaWith({ secretTransforms: [{ renameKey: { from: 'username', to: 'password' } }] })).toThrow(/renameKey.to 'password' would overwrite the key the app reads as 'password'/);
    expect(osbaWith({ secretTransforms: [{ renameKey: { from: 'username', to: 'user' } }, { addKey: { key: 'user', stringValue: 'x' } }] }))
      .toThrow(/secretTransforms\[1\].addKey.key 'user' would overwrite the key the app reads as 'username'/);
    expect(osbaWith({ secretTransforms: [{ addKey: { key: 'port', stringValue: '3307' } }] })).toThrow(/addKey.key 'port' would overwrite/);
    // a key the app no longer reads may be reused
    expect(osbaWith({ secretTransforms: [{ renameKey: { from: 'username', to: 'user' } }, { addKey: { key: 'username', stringValue: 'x' } }] })).not.toThrow();
  });

  test('fails if the ASO server has neither firewallRules nor allowAzureServices', () => {
    expect(asoWith({ allowAzureServices: undefined }))
      .toThrow(/MySqlBinding 'example': azureServiceOperator has no firewallRules and allowAzureServices is not set, .*; set firewallRules to your cluster's egress IPs.*, or allowAzureServices: true/);
    expect(asoWith({ allowAzureServices: false, firewallRules: [] })).toThrow(/no firewallRules/);
  });

  test('fails if the ASO version is not one Azure accepts', () => {
    expect(asoWith({ version: '8.0' })).toThrow(/version '8.0' is not a MySQL version Azure flexible servers accept \(5.7, 8.0.21\); use FlexibleServerVersion.V8_0_21/);
    expect(asoWith({ version: '8.4' })).toThrow(/version '8.4' is not a MySQL version/);
  });

  test('fails if secretTransforms remove a key the app reads', () => {
    expect(osbaWith({ secretTransforms: [{ removeKey: { key: 'password' } }] })).toThrow(/secretTransforms remove the key 'password' the app reads/);
  });

  test('fails if the ASO admin login is reserved or the password Secret is missing', () => {
    expect(asoWith({ administratorLogin: 'root' })).toThrow(/administratorLogin 'root' is reserved by Azure/);
    expect(asoWith({ administratorPasswordSecret: undefined })).toThrow(/administratorPasswordSecret is missing/);
  });

  test('fails if the external host is not a DNS name, or is an IP address', () => {
    expect(externalWith({ host: 'https://db.example.com' })).toThrow(/external host 'https:\/\/db.example.com' is not a DNS name/);
    expect(externalWith({ host: 'DB.example.com' })).toThrow(/is not a DNS name/);
    expect(externalWith({ host: '10.0.0.5' })).toThrow(/external host '10.0.0.5' is an IP address; an ExternalName Service needs a DNS name/);
  });

  test('fails if the in-cluster storage quantity is malformed', () => {
    expect(inClusterWith({ storage: '10GB' })).toThrow(/storage '10GB' is not a Kubernetes quantity; use a number with an optional suffix/);
    expect(inClusterWith({ storage: '0' })).toThrow(/storage '0' is zero/);
  });

  test('fails if the in-cluster image is not pinned, naming the option that exists', () => {
    expect(inClusterWith({ image: 'mysql:latest' })).toThrow(/uses the mutable tag 'latest'/);
    expect(inClusterWith({ image: 'mysql' })).toThrow(/has no tag; .*or set allowMutableImageTag: true/);
  });

  test('fails if the database name is not portable', () => {
    expect(inClusterWith({ database: 'orders-db' })).toThrow(/database 'orders-db' is not a portable MySQL database name/);
  });

  test('fails if the binding name is too long or not a DNS-1035 label', () => {
    expect(() => new MySqlBinding(chart(), 'x', { name: 'a'.repeat(47), provider: osba() })).toThrow(/is not a DNS-1035 label of at most 46 characters/);
    expect(() => new MySqlBinding(chart(), '1db', { provider: osba() })).toThrow(/name '1db' is not a DNS-1035 label/);
  });

  test('fails if an env var the binding sets is already set on the WebApp', () => {
    const c = chart('shop');
    const app = new WebApp(c, 'sample-osba-mysql', { image: APP_IMAGE, port: 80, env: { MYSQL_HOST: 'localhost' } });
    const b = new MySqlBinding(c, 'example', { provider: osba() });
    expect(() => b.bindTo(app)).toThrow(/MySqlBinding 'example': WebApp 'sample-osba-mysql' already sets env 'MYSQL_HOST'; pass bindTo\(app, \{ prefix/);
    // nothing was added: the app still has only its own variable
    expect(app.envNames).toEqual(['MYSQL_HOST']);
  });

  test('fails if the bindTo prefix would give invalid env var names', () => {
    const c = chart('shop');
    const app = new WebApp(c, 'web', { image: APP_IMAGE, port: 80 });
    const b = new MySqlBinding(c, 'example', { provider: osba() });
    expect(() => b.bindTo(app, { prefix: '1X' })).toThrow(/MySqlBinding 'example': bindTo prefix '1X' would give invalid env var names such as '1XMYSQL_HOST'; start the prefix with a letter/);
    expect(() => b.bindTo(app, { prefix: 'ORDERS-' })).toThrow(/bindTo prefix 'ORDERS-'/);
    expect(app.envNames).toEqual([]);
  });

  test('fails if an envNames entry is not a valid env var name, naming the setting', () => {
    const c = chart('shop');
    const app = new WebApp(c, 'web', { image: APP_IMAGE, port: 80 });
    const b = new MySqlBinding(c, 'example', { provider: osba() });
    expect(() => b.bindTo(app, { envNames: { password: 'DB PASS' } })).toThrow(/bindTo envNames.password 'DB PASS' is not a valid env var name/);
    expect(() => b.bindTo(app, { envNames: { passwd: 'DB_PASS' } as any })).toThrow(/bindTo envNames.passwd is not a setting; name one of host, port, database, user, password/);
  });

  test('fails if envNames give two settings one name', () => {
    const c = chart('shop');
    const app = new WebApp(c, 'web', { image: APP_IMAGE, port: 80 });
    expect(() => new MySqlBinding(c, 'example', { provider: osba() }).bindTo(app, { envNames: { user: 'DB', password: 'DB' } }))
      .toThrow(/env var 'DB' is given to both user and password/);
  });

  test('fails if the WebApp is in another namespace', () => {
    const c = chart('shop');
    const app = new WebApp(c, 'web', { image: APP_IMAGE, port: 80, namespace: 'billing' });
    const b = new MySqlBinding(c, 'example', { provider: osba() });
    expect(() => b.bindTo(app)).toThrow(/WebApp 'web' is in namespace 'billing' but the binding's Secret is in 'shop'; .*create the binding in the WebApp's namespace/);
  });
  test('fails if the in-cluster memory limit is below what MySQL (512Mi) or MariaDB (256Mi) needs, naming the escape hatch', () => {
    expect(inClusterWith({ resources: { memory: { limit: '128Mi' } } }))
      .toThrow(/MySqlBinding 'example': resources.memory.limit '128Mi' is below the 512Mi MySQL 8 needs with its default settings, so the container would be OOM-killed; set at least '512Mi' .*or limit: null/);
    expect(inClusterWith({ resources: { memory: { request: '256Mi', limit: '384Mi' } } })).toThrow(/limit '384Mi' is below the 512Mi/);
    expect(inClusterWith({ image: 'mariadb:11.4', resources: { memory: { limit: '128Mi' } } })).toThrow(/limit '128Mi' is below the 256Mi MariaDB needs/);
    // at the minimum, or with no limit at all, it renders
    expect(inClusterWith({ resources: { memory: { request: '512Mi', limit: '512Mi' } } })).not.toThrow();
    expect(inClusterWith({ image: 'mariadb:11.4', resources: { memory: { request: '256Mi', limit: '256Mi' } } })).not.toThrow();
    expect(inClusterWith({ resources: { memory: { request: '256Mi', limit: null } } })).not.toThrow();
  });

  test('fails if in-cluster resources have the wrong type, instead of crashing', () => {
    expect(inClusterWith({ resources: { cpu: { request: 0.5 } } })).toThrow(/MySqlBinding 'example': resources.cpu.request 0.5 is not a quantity string; write it as a string, e.g. resources: \{ cpu: \{ request: '500m' \} \}/);
    expect(inClusterWith({ resources: { memory: '1Gi' } })).toThrow(/resources.memory '1Gi' is not a \{ request, limit \} object/);
    expect(inClusterWith({ resources: { mem: { limit: '1Gi' } } })).toThrow(/resources.mem is not a resource; set cpu, memory, ephemeralStorage/);
  });

  test('fails if the ASO SKU belongs to another tier than the one set', () => {
    expect(asoWith({ tier: FlexibleServerTier.GENERAL_PURPOSE, skuName: 'Standard_B1ms' }))
      .toThrow(/MySqlBinding 'example': skuName 'Standard_B1ms' is a Burstable \(B-series\) SKU but tier is GeneralPurpose, and Azure only accepts Standard_D\* SKUs in that tier; use a GeneralPurpose SKU such as 'Standard_D2ds_v4', or tier: FlexibleServerTier.BURSTABLE/);
    expect(asoWith({ skuName: 'Standard_D2ds_v4' })).toThrow(/is a GeneralPurpose \(D-series\) SKU but tier is Burstable.*or tier: FlexibleServerTier.GENERAL_PURPOSE/);
    expect(asoWith({ tier: FlexibleServerTier.MEMORY_OPTIMIZED, skuName: 'Standard_D4ds_v4' })).toThrow(/tier is MemoryOptimized, and Azure only accepts Standard_E\* SKUs/);
    expect(asoWith({ tier: 'Basic' })).toThrow(/tier 'Basic' is not a flexible server tier \(Burstable, GeneralPurpose, MemoryOptimized\)/);
  });

  test('fails if the external database name is not a MySQL identifier, or the host has more than one trailing dot', () => {
    expect(externalWith({ database: 'a'.repeat(65) })).toThrow(/database 'a{65}' is not a MySQL database name; use 1-64 characters/);
    expect(externalWith({ database: 'orders ' })).toThrow(/database 'orders ' is not a MySQL database name; .*not ending with a space/);
    expect(externalWith({ database: 'or\u0000ders' })).toThrow(/is not a MySQL database name/);
    expect(externalWith({ database: 'orders\u{1F600}' })).toThrow(/is not a MySQL database name/);
    expect(externalWith({ database: '' })).toThrow(/database '' is missing/);
    expect(externalWith({ host: 'db.example.com..' })).toThrow(/external host 'db.example.com..' is not a DNS name/);
    expect(externalWith({ host: '10.0.0.5.' })).toThrow(/is an IP address/);
  });

  test('fails if secretTransforms remove a renamed key the app reads, naming both names', () => {
    expect(osbaWith({ secretTransforms: [{ renameKey: { from: 'host', to: 'uri' } }, { removeKey: { key: 'uri' } }] }))
      .toThrow(/secretTransforms remove the key 'uri' the app reads as 'host' \(secretTransforms\[1\].removeKey\); keep 'uri'/);
  });

  describe('collisions across the app (reported at synth)', () => {
    const validate = (app: App) => () => app.synth();

    test('fails if two OSBA bindings write the same Secret in one namespace, naming both', () => {
      // GIVEN two bindings in two charts of one app, same namespace, same secretName
      const app = Testing.app();
      const c1 = new Chart(app, 'orders-chart', { namespace: 'shop' });
      const c2 = new Chart(app, 'billing-chart', { namespace: 'shop' });
      new MySqlBinding(c1, 'orders-db', { name: 'orders', provider: MySqlProvider.osba({ location: 'eastus', resourceGroup: 'demo', secretName: 'shop-mysql' }) });
      new MySqlBinding(c2, 'billing-db', { name: 'billing', provider: MySqlProvider.osbaDatabase(OsbaMySqlServer.fromAlias('a1'), { secretName: 'shop-mysql' }) });
      // THEN synth fails on the second, naming the first
      expect(validate(app)).toThrow(/\[billing-chart\/billing-db\] MySqlBinding 'billing': secretName 'shop-mysql' is also the secretName of MySqlBinding 'orders' \(orders-chart\/orders-db\) in namespace 'shop', .*; give each binding its own secretName/);
      expect(validate(app)).not.toThrow(/\[orders-chart\/orders-db\]/);
    });

    test('two OSBA bindings with the same secretName in different namespaces are fine', () => {
      const app = Testing.app();
      new MySqlBinding(new Chart(app, 'a', { namespace: 'shop' }), 'db', { provider: MySqlProvider.osba({ location: 'eastus', resourceGroup: 'demo', secretName: 'mysql' }) });
      new MySqlBinding(new Chart(app, 'b', { namespace: 'billing' }), 'db', { provider: MySqlProvider.osba({ location: 'eastus', resourceGroup: 'demo', secretName: 'mysql' }) });
      expect(validate(app)).not.toThrow();
    });

    test('fails if two OsbaMySqlServers share an alias anywhere in the app (the alias is broker-wide), naming both', () => {
      const app = Testing.app();
      new OsbaMySqlServer(new Chart(app, 'a', { namespace: 'shop' }), 'orders-server', { location: 'eastus', resourceGroup: 'demo', alias: 'shop-mysql' });
      new OsbaMySqlServer(new Chart(app, 'b', { namespace: 'billing' }), 'billing-server', { location: 'eastus', resourceGroup: 'demo', alias: 'shop-mysql' });
      expect(validate(app)).toThrow(/\[b\/billing-server\] OsbaMySqlServer 'billing-server': alias 'shop-mysql' is also the alias of OsbaMySqlServer 'orders-server' \(a\/orders-server\), and the broker rejects .*; give each server its own alias/);
    });
  });

  test('fails with a clear error, never a TypeError, when JavaScript callers leave out options', () => {
    const c = chart('shop');
    const app = new WebApp(c, 'web', { image: APP_IMAGE, port: 80 });
    const noTypeError = (f: () => unknown, message: RegExp) => {
      expect(f).toThrow(message);
      expect(f).not.toThrow(TypeError);
    };
    noTypeError(bind(() => MySqlProvider.osba(undefined as any)), /MySqlBinding 'example': MySqlProvider.osba\(\) was given undefined instead of an options object; pass the options, e.g. MySqlProvider.osba\(\{ location/);
    noTypeError(bind(() => MySqlProvider.external(undefined as any)), /MySqlProvider.external\(\) was given undefined/);
    noTypeError(bind(() => MySqlProvider.inCluster(null as any)), /MySqlProvider.inCluster\(\) was given null/);
    noTypeError(bind(() => MySqlProvider.azureServiceOperator(undefined as any)), /MySqlProvider.azureServiceOperator\(\) was given undefined/);
    noTypeError(() => new MySqlBinding(c, 'nothing', undefined as any), /MySqlBinding 'nothing': provider is missing/);
    const b = new MySqlBinding(c, 'example', { provider: osba() });
    noTypeError(() => b.bindTo(undefined as any), /MySqlBinding 'example': bindTo was given undefined instead of a WebApp; pass the WebApp/);
    noTypeError(() => b.bindTo({} as any), /bindTo was given \{\} instead of a WebApp/);
    noTypeError(() => b.bindTo(app, null as any), /bindTo options null are not an options object/);
    noTypeError(osbaWith({ firewallRules: [{ name: 'office', startIpAddress: '203.0.113.1' }] }), /firewallRules\[0\].endIpAddress is missing; set name, startIpAddress and endIpAddress/);
    noTypeError(asoWith({ firewallRules: [null] }), /firewallRules\[0\] null is not a firewall rule/);
    noTypeError(osbaWith({ firewallRules: { name: 'office' } }), /firewallRules \{"name":"office"\} is not a list/);
    noTypeError(osbaWith({ secretTransforms: [null] }), /secretTransforms\[0\] null is not a transform/);
    noTypeError(osbaWith({ resourceGroup: null }), /resourceGroup is missing/);
    noTypeError(osbaWith({ location: null }), /location is missing/);
    noTypeError(inClusterWith({ storage: 10 }), /storage 10 is not a quantity string/);
    noTypeError(inClusterWith({ image: 8 }), /image 8 is not an image reference/);
    expect(app.envNames).toEqual([]);
  });

  test('fails if the wait-for container name is taken, naming the option that sets another one', () => {
    const c = chart('shop');
    const app = new WebApp(c, 'web', { image: APP_IMAGE, port: 80 });
    app.addInitContainer({ name: 'wait-for-example-mysql', image: BUSYBOX_IMAGE });
    const b = new MySqlBinding(c, 'example', { provider: osba() });
    expect(() => b.bindTo(app, { waitForDatabase: true }))
      .toThrow(/MySqlBinding 'example': waitForDatabase cannot add the init container 'wait-for-example-mysql' to WebApp 'web' \(.*\); name it with bindTo\(app, \{ waitForDatabase: true, waitContainerName: /);
    expect(app.envNames).toEqual([]);
    expect(() => b.bindTo(app, { waitForDatabase: true, waitContainerName: 'Wait' })).toThrow(/bindTo waitContainerName 'Wait' is not a container name/);
    b.bindTo(app, { waitForDatabase: true, waitContainerName: 'wait-for-orders-db' });
    expect(find(synth(c), 'Deployment').spec.template.spec.initContainers.map((i: any) => i.name)).toEqual(['wait-for-example-mysql', 'wait-for-orders-db']);
  });
});
