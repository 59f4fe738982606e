/**
 * The audit's rules: names and labels, duplicates, cross-references and the hardening policy. Each rule
 * reads the {@link Bundle} and reports through a {@link Report}.
 */
export * from './gateway-api';
export * from './hardening';
export * from './istio';
export * from './names';
export * from './references';
export * from './report';
export * from './service-ports';
