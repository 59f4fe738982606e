// The typed facts constructs register in their app's registry, one kind per app-wide rule's input.
// Each fact is fixed when it is registered (the values come from validated props, set at construction).
import { FactKind } from './fact-kind';

/**
 * The construct renders API objects and asks for the app-wide rule that no two objects share API group,
 * kind, namespace and name (see rules/unique-objects.ts). The rule itself reads every API object of the
 * tree at validation time, hand-written ones included; the first construct to register carries it.
 */
export const RENDERS_OBJECTS = new FactKind<undefined>('renders API objects');
