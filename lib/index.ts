// Public API. Re-exports only: constructs, app profiles, config and helpers.
export * from './app';
export * from './config';
export * from './naming';
export * from './github';
export * from './hosts';
export * from './serverpod-config';
export * from './state';
export * from './validation';
export * from './testing';
export * as gcp from './gcp';
export * as aws from './aws';
// The providers the constructs are built for, so an app needs no provider import of its own.
export { AwsProvider } from './providers/aws';
export { GoogleProvider, RandomProvider } from './providers/google';
