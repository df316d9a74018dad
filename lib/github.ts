/**
 * Git refs whose workflows may deploy by default: the default branch (manual runs) and Serverpod's deployment
 * branches (`deployment-gcp-production`, `deployment-aws-staging`, ...). Any other branch of the repository,
 * a fork's pull request included, cannot assume the deploy identity.
 */
export const DEFAULT_DEPLOY_REFS: readonly string[] = ['refs/heads/main', 'refs/heads/deployment-*'];

/** A ref pattern: `refs/heads/…` or `refs/tags/…`, with `*` allowed only at the end. */
export const DEPLOY_REF = /^refs\/(heads|tags)\/[A-Za-z0-9._/-]*\*?$/;
