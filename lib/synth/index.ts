// The fast synthesis: NoopsApp (a drop-in cdk8s App whose synth is linear in the number of charts) and
// its YAML emitter. Beside the constructs: no construct imports it. The only place that reads cdk8s's
// private fields is cdk8s-internals.ts, guarded by version and by shape.
export { type ChartManifests, NoopsApp } from './noops-app';
export { stringifyYaml } from './yaml-emitter';
