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
export * from './outputs';
export * from './guardrails';
export * from './model';
export * from './cost';
export * from './diagram';
// The bundled stacks as constructs, for an app that adds its own resources to them.
export { createStacks } from '../stacks/app';
export type { CreateStacksOptions } from '../stacks/app';
/**
 * Constructs for Google Cloud: the patterns `GcpServerCluster` (Compute Engine groups), `GcpServerlessApp` (Cloud
 * Run) and `GcpStaticSite`, and the pieces they are built from (network, Cloud SQL, Memorystore, buckets,
 * secrets, the HTTPS load balancer, DNS, the GitHub deploy identity).
 */
export * as gcp from './gcp';
/**
 * Constructs for AWS: the patterns `ServerCluster` (an Auto Scaling group behind an ALB) and `AwsStaticSite`
 * (S3 and CloudFront), and the pieces they are built from (VPC, RDS, ElastiCache, buckets, CloudFront, ACM and
 * Route 53, the GitHub deploy role).
 */
export * as aws from './aws';
// The providers the constructs are built for, so an app needs no provider import of its own.
export { AwsProvider } from './providers/aws';
export { GoogleProvider, RandomProvider } from './providers/google';
