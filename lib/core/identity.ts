// What makes an object one object to the apiserver. Shared by synthesis (duplicate checks) and the audit.

/** `group` of an apiVersion (`''` for the core group). */
export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

/** Kinds whose objects have no namespace: the apiserver ignores `metadata.namespace` on them (cdk8s sets a chart's namespace on them too). */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass',
  'IngressClass', 'PriorityClass', 'RuntimeClass', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'APIService', 'CSIDriver', 'ClusterServiceBroker',
  'ClusterServiceClass', 'ClusterServicePlan',
]);

/**
 * What makes two objects one to the apiserver: API group, kind, namespace (none for a cluster-scoped kind)
 * and name, as one string. `namespace` is the caller's reading of an unset namespace: the audit reads it as
 * `default`, synthesis keeps it apart (the kubectl context's namespace is not known there).
 */
export function objectKey(apiVersion: string, kind: string, namespace: string | undefined, name: string): string {
  return [groupOf(apiVersion), kind, CLUSTER_SCOPED_KINDS.has(kind) ? '' : namespace ?? '', name].join('\u0000');
}
