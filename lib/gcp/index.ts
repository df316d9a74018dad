export * from './project-services';
export * from './registry';
