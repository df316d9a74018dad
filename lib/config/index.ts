export * from './schema';
export * from './types';
export * from './load';
export * from './profile';
export * from './warnings';
