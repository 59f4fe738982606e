export * from './mysql';
