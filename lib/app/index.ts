export * from './profile';
export * from './serverpod';
export * from './perseus';
