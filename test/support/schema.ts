/**
 * Schema validation of rendered manifests for the tests, with unknown fields rejected. The logic lives
 * in lib/audit/schema.ts (it backs `npm run check` and `audit()` too); this module re-exports it so the
 * tests and the audit can never disagree.
 *
 * Register a validator for a kind without a published schema with `extraSchemas.set('group/version/Kind', fn)`;
 * Service Catalog v1beta1 ServiceInstance/ServiceBinding and the Azure Service Operator dbformysql kinds are
 * registered already.
 */
export { allSchemaProblems, extraSchemas, loadCrds, schemaProblems } from '../../lib/audit/schema';
