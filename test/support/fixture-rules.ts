// The deliberately broken manifests under test/fixtures/audit, shared by the audit and kcheck tests.

/** The rule family each fixture breaks (by file name); every ERROR/POLICY finding must be of it. */
export const FIXTURE_RULES: Record<string, string> = {
  'schema-unknown-field': 'unknown-field',
  'schema-type': 'schema',
  'name-invalid': 'name',
  'label-invalid': 'label',
  'duplicate': 'duplicate',
  'service-selector': 'service-selector',
  'service-port': 'service-port',
  'ingress-backend': 'ingress-backend',
  'hpa-target': 'hpa-target',
  'pdb-selector': 'pdb-selector',
  'vs-weights': 'vs-weights',
  'vs-subset': 'vs-subset',
  'vs-host': 'vs-host',
  'vs-gateway': 'vs-gateway',
  'vs-match-gateway': 'vs-gateway',
  'dr-subset': 'dr-subset',
  'istio-unknown-field': 'unknown-field',
  'binding-instance': 'binding-instance',
  'catalog-unknown-field': 'unknown-field',
  'secret-key': 'secret-ref',
  'configmap-key': 'configmap-ref',
  'hardening': 'hardening',
};
