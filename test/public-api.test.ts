// The public API (lib/index.ts) is constructs, props and value types: helpers stay internal, and the tools
// live on their own entry points (cdk8s-noops/audit, cdk8s-noops/review).
import * as api from '../lib';

test('the root exports constructs and value types only', () => {
  expect(Object.keys(api).sort()).toMatchSnapshot();
});

test('no helper or tool leaks into the root', () => {
  for (const internal of ['fail', 'show', 'compact', 'jsonOf', 'jsonOfKind', 'addTreeValidation', 'manifest', 'audit', 'formatFinding',
    'renderReview', 'stringifyYaml', 'parseQuantity', 'validateImage', 'checkRe2', 'meshInjectionOf', 'parseEnvFile']) {
    expect(Object.keys(api)).not.toContain(internal);
  }
});

test('the tools load from their sub-paths', () => {
  expect(typeof require('../lib/audit').audit).toBe('function');
  expect(typeof require('../lib/review').renderReview).toBe('function');
});
