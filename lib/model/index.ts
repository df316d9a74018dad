export * from './stack-model';
export { markEnvironment } from './environment';
