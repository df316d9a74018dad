export * from './profile';
export * from './serverpod';
export * from './perseus';
export * from './boot-script';
