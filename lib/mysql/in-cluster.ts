// The in-cluster provider, MySqlProvider.inCluster(): a one-replica StatefulSet with a headless Service
// and a data volume, credentials from an existing Secret, and a NetworkPolicy that admits bound apps.
// Every object is rendered through lib/k8s, as a WebApp's are.

import { ApiObject, Lazy } from 'cdk8s';
import { Json, appSelector } from '../core';
import {
  Protocol, Resources, VolumeAccessMode, mergeResources, renderClaimTemplate, renderNetworkPolicyPeer, renderNetworkPolicyRule,
  KUBE_DNS_EGRESS, renderNetworkPolicySpec, renderResources, renderServiceSpec, renderWorkloadSpec,
} from '../k8s';
import { fail, imageProfile, parseQuantity, show, validateDns1035, validateImage, validateInt, validateQuantity } from '../core';
import { credentialKeys } from './credentials';
import { DEFAULT_MYSQL_RESOURCES, InClusterMySqlOptions, MIN_MYSQL_MEMORY_LIMIT, MYSQL_IMAGE, MYSQL_UID } from './in-cluster-options';
import { DEFAULT_RUNTIME_DIRS, MYSQL_DATA_DIR, MySqlPod, mysqlPodTemplate } from './in-cluster-pod';
import {
  BindingContext, MySqlProvisioner, Provisioned, bindingObject, configMapAndSecretConnection, connectionConfigMapName, objectLabels,
} from './provisioner';
import { isObject, validateDatabaseName, validateObjectName, validateSecretKey } from './validation';

/** The validated in-cluster database: its pod, its storage, and whether only bound apps may connect. */
interface InClusterModel extends MySqlPod {
  /** Name of the Service, the StatefulSet and the NetworkPolicy (`<name>-mysql`). */
  readonly name: string;
  /** Size of the data volume. */
  readonly storage: string;
  /** StorageClass of the data volume (`undefined`: the cluster's default). */
  readonly storageClassName?: string;
  /** Render the NetworkPolicy. */
  readonly isolate: boolean;
}

/** The port MySQL listens on, and its Service's. */
const MYSQL_PORT = 3306;

/** MySqlProvider.inCluster(). */
export const IN_CLUSTER: MySqlProvisioner<InClusterMySqlOptions, InClusterModel> = {
  kind: 'inCluster',
  factory: 'inCluster',
  example: 'MySqlProvider.inCluster({ credentialsSecret: \'orders-db-credentials\', database: \'orders\' })',
  model: (binding, o) => {
    const owner = binding.owner;
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
    if (o.storageClassName !== undefined) validateObjectName(owner, 'storageClassName', o.storageClassName, { fix: 'use the name of a StorageClass (kubectl get storageclass)' });
    // The image's profile (lib/core/image-profiles.ts) gives its user and the directories it writes besides its data.
    const profile = imageProfile(image);
    const uid = o.runAsUser ?? profile?.runAsUser ?? MYSQL_UID;
    const runtimeDirs = profile?.writablePaths.filter((p) => p !== MYSQL_DATA_DIR) ?? DEFAULT_RUNTIME_DIRS;
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
    const name = `${binding.name}-mysql`;
    validateDns1035(owner, 'service name', name);
    return {
      name, image, mariadb, database: o.database, credentialsSecret: o.credentialsSecret,
      keys: { ...keys, rootPassword: rootKey }, resources, uid, runtimeDirs,
      storage, storageClassName: o.storageClassName, isolate: o.isolate ?? true,
    };
  },
  render: renderInCluster,
};

/** Renders the headless Service, the StatefulSet, the connection ConfigMap and (with `isolate`) the NetworkPolicy, in that order. */
function renderInCluster(binding: BindingContext, m: InClusterModel): Provisioned {
  const ns = binding.namespace;
  const name = m.name;
  const connectionConfigMap = connectionConfigMapName(binding);
  const labels = objectLabels(binding.name);
  const selector = { ...appSelector(name), 'app.kubernetes.io/component': 'database' };
  const service = bindingObject(binding, 'v1', 'Service', name, {
    spec: renderServiceSpec({ clusterIP: 'None', selector, ports: [{ name: 'mysql', port: MYSQL_PORT, targetPort: 'mysql', protocol: Protocol.TCP }] }),
  });
  const statefulSet = bindingObject(binding, 'apps/v1', 'StatefulSet', name, {
    spec: renderWorkloadSpec({
      kind: 'StatefulSet',
      replicas: 1,
      serviceName: name,
      selector,
      template: mysqlPodTemplate(m, { ...labels, ...selector }),
      volumeClaimTemplates: [renderClaimTemplate({
        name: 'data', labels, accessModes: [VolumeAccessMode.READ_WRITE_ONCE], storageClassName: m.storageClassName, storage: m.storage,
      })],
    }),
  });
  const configMap = bindingObject(binding, 'v1', 'ConfigMap', connectionConfigMap, { data: { host: name, port: String(MYSQL_PORT), database: m.database } });
  let networkPolicy: ApiObject | undefined;
  if (m.isolate) {
    // Only the pods of the WebApps bound by the time the manifests are rendered may connect.
    const ingress = (): Json[] | undefined => {
      const apps = binding.boundApps();
      return apps.length
        ? [renderNetworkPolicyRule('from', apps.map((a) => renderNetworkPolicyPeer({ podLabels: a.selectorLabels }, ns)), [{ port: MYSQL_PORT, protocol: Protocol.TCP }])]
        : undefined;
    };
    networkPolicy = bindingObject(binding, 'networking.k8s.io/v1', 'NetworkPolicy', name, {
      // MySQL opens no connection of its own: egress is DNS only (name resolution for its grant tables' hosts).
      spec: Lazy.any({ produce: () => renderNetworkPolicySpec({ podSelector: selector, policyTypes: ['Ingress', 'Egress'], ingress: ingress(), egress: [KUBE_DNS_EGRESS] }) }),
    });
  }
  return {
    connection: configMapAndSecretConnection(connectionConfigMap, m.credentialsSecret, m.keys),
    service, statefulSet, configMap, networkPolicy, databasePods: { ...selector },
  };
}

const RESOURCE_EXAMPLE: Record<keyof Resources, string> = { cpu: '500m', memory: '2Gi', ephemeralStorage: '1Gi' };

/**
 * `over` merged field by field over `base` (mergeResources: a request or limit left unset keeps the base's;
 * `limit: null` removes it), with the types JavaScript callers may get wrong reported, not rendered.
 */
function mergeResourcesOver(owner: string, base: Resources, over: Resources | undefined): Resources {
  if (over === undefined || over === null) return base;
  if (!isObject(over)) fail(owner, `resources ${show(over)} is not an object`, 'pass e.g. resources: { cpu: { request: \'500m\' }, memory: { limit: \'2Gi\' } }');
  const keys = Object.keys(RESOURCE_EXAMPLE) as Array<keyof Resources>;
  for (const k of Object.keys(over)) {
    if (!(keys as string[]).includes(k)) fail(owner, `resources.${k} is not a resource`, `set ${keys.join(', ')}`);
  }
  const merged = mergeResources(base, over);
  for (const key of keys) {
    const o = over[key];
    const example = `resources: { ${key}: { request: '${RESOURCE_EXAMPLE[key]}' } }`;
    if (o !== undefined && o !== null && !isObject(o)) fail(owner, `resources.${key} ${show(o)} is not a { request, limit } object`, `use e.g. ${example}`);
    const { request, limit } = merged[key] ?? {};
    if (request !== undefined && typeof request !== 'string') fail(owner, `resources.${key}.request ${show(request)} is not a quantity string`, `write it as a string, e.g. ${example}`);
    if (limit !== undefined && limit !== null && typeof limit !== 'string') fail(owner, `resources.${key}.limit ${show(limit)} is not a quantity string`, 'write it as a string, or null for no limit');
  }
  return merged;
}
