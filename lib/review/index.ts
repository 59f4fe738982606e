export * from './diff';
export * from './layout';
export * from './page';
export * from './topology';
