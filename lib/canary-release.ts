/** CanaryRelease; its code lives in lib/canary/ and lib/routing/ (this path keeps imports working). */
export * from './canary';
