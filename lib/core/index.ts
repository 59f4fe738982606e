// Pure functions and constants with no construct dependencies: the bottom layer of the library.
// lib/k8s (renderers) and the constructs build on it; it imports nothing from them.
export * from './errors';
export * from './checks';
export * from './images';
export * from './image-profiles';
export * from './service-ports';
export * from './json';
export * from './labels';
export * from './names';
export * from './network';
export * from './quantities';
export * from './identity';
export * from './channels';
