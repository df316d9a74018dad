export * from './profile';
export * from './serverpod';
export * from './perseus';
export * from './custom';
export * from './image';
export * from './perseus-strategies';
export * from './mutable-store';
export * from './boot-script';
export * from './secrets';
export * from './connection-budget';
// The type of AppProfile.reservedVariables; the rest of environment.ts is the config schema's and the platforms'.
export type { ReservedVariables } from './environment';
