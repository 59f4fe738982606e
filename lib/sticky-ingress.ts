/** StickyIngress; its code lives in lib/sticky/ and lib/routing/ (this path keeps imports working). */
export * from './sticky';
