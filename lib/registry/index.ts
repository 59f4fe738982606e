// The home of app-wide rules: one registry per App, where constructs register typed facts as they create
// their objects, and rules derive their errors from those facts once per change (see registry.ts).
export { Derivation } from './derivation';
export { FactKind, type Registered } from './fact-kind';
export * from './facts';
export { ObjectIdentity } from './object-identity';
export { AppRegistry, tryRender } from './registry';
export { ErrorCollector, type ErrorsByOwner, type Rule, errorsFor, groupBy } from './rule';
export { NODE_PORT_CONFLICTS } from './rules/node-ports';
export { OSBA_ALIAS_CONFLICTS, OSBA_SECRET_CONFLICTS } from './rules/osba';
export { SELECTOR_OVERLAPS } from './rules/pod-selectors';
export { checkUniqueObjects, duplicateObjectErrors } from './rules/unique-objects';
export { TREE_ORDER, earlierInTree } from './tree-order';
