export * from './profile';
export * from './serverpod';
export * from './perseus';
export * from './perseus-strategies';
export * from './mutable-store';
export * from './boot-script';
export * from './secrets';
export * from './connection-budget';
