/**
 * Schema validation of rendered manifests for the tests, with unknown fields rejected. The logic lives
 * in lib/audit/schema.ts (it backs `npm run check` and `audit()` too); this module re-exports it so the
 * tests and the audit can never disagree.
 *
 * Service Catalog v1beta1 ServiceInstance/ServiceBinding and the Azure Service Operator dbformysql kinds are
 * known already ({@link extraSchemas}). To validate another kind, make a catalog that knows it
 * (`new SchemaCatalog({ extraCrdFiles })` or `{ extraSchemas }`) and pass it: `schemaProblems(doc, catalog)`.
 */
export { allSchemaProblems, extraSchemas, SchemaCatalog, schemaProblems } from '../../lib/audit/schema';
