// Renderers: pure functions from a typed, validated model of one Kubernetes resource (or part of one) to
// its manifest JSON. They import only lib/core; constructs call them, usually late (from a Lazy), so that
// what a construct's methods add after construction is rendered too.
export * from './container';
export * from './hpa';
export * from './ingress';
export * from './network-policy';
export * from './pdb';
export * from './probe';
export * from './resources';
export * from './security-context';
export * from './service';
export * from './service-account';
export * from './topology-spread';
export * from './workload';
