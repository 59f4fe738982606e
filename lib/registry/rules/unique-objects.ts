import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { RENDERS_OBJECTS } from '../facts';
import { ObjectIdentity } from '../object-identity';
import { AppRegistry } from '../registry';

/** The slot of the last check's result (see {@link uniqueObjectErrors}). */
const LAST_CHECK = Symbol('unique objects: last check');

/**
 * Registers `member` (one of our constructs) for the app-wide rule that no two API objects share API
 * group, kind, namespace and name. Two such objects are one object to the apiserver: `kubectl apply`
 * keeps the last one written and silently drops the other (a WebApp's Service replaced by a database's,
 * say), and in one file the second overwrites the first. Objects without a namespace (the kubectl
 * context's) are compared with each other only. The rule reads every API object of the tree (hand-written
 * ones too) once per validation pass, in the validation of the first construct registered.
 */
export function checkUniqueObjects(member: IConstruct): void {
  const registry = AppRegistry.of(member);
  if (registry.facts(RENDERS_OBJECTS).length === 0) member.node.addValidation({ validate: () => uniqueObjectErrors(registry) });
  registry.register(RENDERS_OBJECTS, member, undefined);
}

/**
 * The rule's errors for the tree as it is now. Without duplicates the answer depends only on the objects'
 * identities, which are fixed when each object is created: while the tree holds exactly the same objects
 * (cdk8s's `App.synth()` validates the whole app once per chart), the empty answer is reused. Errors are
 * always computed again (their wording compares the objects' content, which can change).
 */
function uniqueObjectErrors(registry: AppRegistry): string[] {
  const objects = registry.apiObjects();
  const last = registry.slot(LAST_CHECK, () => ({ clean: undefined as readonly ApiObject[] | undefined }));
  if (last.clean !== undefined && sameObjects(last.clean, objects)) return [];
  const errors = duplicateObjectErrors(objects);
  last.clean = errors.length === 0 ? objects : undefined;
  return errors;
}

function sameObjects(a: readonly ApiObject[], b: readonly ApiObject[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The errors of {@link checkUniqueObjects} for `objects`, one per object that repeats an earlier one's identity. */
export function duplicateObjectErrors(objects: readonly ApiObject[]): string[] {
  const first = new Map<string, ObjectIdentity>();
  const errors: string[] = [];
  for (const o of objects) {
    const id = ObjectIdentity.of(o);
    if (!id) continue;
    const earlier = first.get(id.key);
    if (!earlier) {
      first.set(id.key, id);
      continue;
    }
    const a = earlier.fingerprint();
    const identical = a !== undefined && a === id.fingerprint();
    errors.push(identical
      ? `duplicate object: ${id.kind} '${id.name}'${id.where} is rendered twice, identically, by '${earlier.path}' and '${id.path}'; ` +
        'render it once (e.g. in a chart the others depend on) so that changing one copy cannot silently lose to the other'
      : `duplicate object: ${id.kind} '${id.name}'${id.where} is rendered by both '${earlier.path}' and '${id.path}', with different content; ` +
        'the apiserver sees one object, so applying both keeps only the last. Give one of them another name or namespace');
  }
  return errors;
}
