export * from './audit';
export * from './bundle';
export * from './findings';
export * from './rules';
export * from './schema';
