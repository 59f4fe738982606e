// The shapes of WebAppProps that TypeScript rules out but JavaScript callers can still pass: a string
// where a list is expected (spread into characters), numbers in `args`, an object for `ports`, an id
// beyond Kubernetes' int32 limit, a capability that does not exist, a namespace that is not a label.
// Checked before anything reads the props, so every later step can rely on the shapes.
import {
  fail, show, validateCapabilities, validateId, validateNamespaceOf, validateObjectList, validateStringList,
} from '../core';
import { WebAppProps } from './types';

/**
 * Checks the shapes of `props` for the WebApp `owner`; `chartNamespace` is the namespace it inherits
 * from its chart when `props.namespace` is not set (checked too, naming the chart as where to fix it).
 */
export function validateShapes(owner: string, props: WebAppProps, chartNamespace: string | undefined): void {
  validateNamespaceOf(owner, props.namespace, chartNamespace);
  if (props.command !== undefined) validateStringList(owner, 'command', props.command, "'nginx', '-g', 'daemon off;'");
  if (props.args !== undefined) validateStringList(owner, 'args', props.args, "'--port', '8080'");
  if (props.writablePaths !== undefined) validateStringList(owner, 'writablePaths', props.writablePaths, "'/tmp', '/var/cache/nginx'");
  if (props.loadBalancerSourceRanges !== undefined) {
    validateStringList(owner, 'loadBalancerSourceRanges', props.loadBalancerSourceRanges, "'203.0.113.0/24'");
  }
  if (props.addCapabilities !== undefined) validateCapabilities(owner, 'addCapabilities', props.addCapabilities);
  if (props.ports !== undefined) validateObjectList(owner, 'ports', props.ports, '{ name: \'http\', containerPort: 8080 }');
  for (const prop of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
    if (props[prop] !== undefined) validateId(owner, prop, props[prop]);
  }
  for (const prop of ['allowRunAsRoot', 'readOnlyRootFilesystem', 'allowPrivilegeEscalation', 'createService', 'createServiceAccount',
    'automountServiceAccountToken', 'selectVersion', 'allowMutableImageTag', 'unprivilegedPortSysctl'] as const) {
    const value: unknown = props[prop];
    if (value !== undefined && typeof value !== 'boolean') fail(owner, `${prop} ${show(value)} is not a boolean`, `pass true or false, e.g. ${prop}: true`, prop);
  }
}
