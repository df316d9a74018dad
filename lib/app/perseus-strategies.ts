import { ValidationError } from '../validation';

/**
 * Which Perseus deployment an app needs, from the rendering strategies its templates use. The rules are the
 * ones Perseus' own deployment guide gives; no provider imports here, so the config layer and users' own code
 * can ask before building anything.
 */

/** Perseus' rendering strategies. */
export const RENDERING_STRATEGIES = ['buildState', 'buildPaths', 'requestState', 'revalidation', 'incrementalGeneration'] as const;

export type RenderingStrategy = (typeof RENDERING_STRATEGIES)[number];

/** Strategies that run only when the app is built: an app with nothing else can be exported to static files. */
export const BUILD_TIME_STRATEGIES: readonly RenderingStrategy[] = ['buildState', 'buildPaths'];

/** Strategies that change page data while the server runs: they need a mutable store. */
export const MUTABLE_STRATEGIES: readonly RenderingStrategy[] = ['revalidation', 'incrementalGeneration'];

/**
 * Where a Perseus app can go:
 * - `static-export`: `perseus deploy -e` (the production static export) to a bucket behind a CDN (`GcpStaticSite`, `AwsStaticSite`); no server.
 * - `writable-filesystem`: the standalone server from `perseus deploy` on machines with a disk (the server
 *   clusters); its mutable store is local.
 * - `read-only-filesystem`: the standalone server where the filesystem is read-only or ephemeral (Cloud Run);
 *   pages that revalidate or generate incrementally need a mutable store in a bucket, Redis or Postgres.
 */
export type PerseusTarget = 'static-export' | 'writable-filesystem' | 'read-only-filesystem';

export const PERSEUS_TARGETS: readonly PerseusTarget[] = ['static-export', 'writable-filesystem', 'read-only-filesystem'];

/** What the app's strategies imply, and the deployment chosen for it. */
export interface PerseusDeploymentChoice {
  /** The strategies considered, deduplicated, in Perseus' order. */
  readonly strategies: readonly RenderingStrategy[];
  /** The recommended target. */
  readonly target: PerseusTarget;
  /** Every target the app can run on, best first. */
  readonly possibleTargets: readonly PerseusTarget[];
  /** The app needs the standalone server (`perseus deploy`), not a static export. */
  readonly needsServer: boolean;
  /**
   * Some pages change while the server runs (revalidation, incremental generation): on a read-only or
   * ephemeral filesystem the app then needs a mutable store in a bucket or database.
   */
  readonly mutableData: boolean;
  /** Why, in sentences, for a log or a doc. */
  readonly explanation: string;
}

/** Preferences that break ties between targets that would all work. */
export interface PerseusDeploymentPreferences {
  /**
   * For an app that revalidates or generates incrementally: prefer Cloud Run (scaling to zero, no servers to
   * run) with a mutable store next to it, accepting the extra round trip to the store on every request for
   * those pages, over a server cluster whose writable disk keeps the store local.
   * @default false - the writable filesystem, as Perseus' guide advises for speed
   */
  readonly preferServerless?: boolean;
}

function ordered(strategies: readonly RenderingStrategy[]): RenderingStrategy[] {
  return RENDERING_STRATEGIES.filter((s) => strategies.includes(s));
}

function list(strategies: readonly string[]): string {
  if (strategies.length <= 1) return strategies.join('');
  return `${strategies.slice(0, -1).join(', ')} and ${strategies[strategies.length - 1]}`;
}

/**
 * Chooses among a static export, a server on a writable filesystem and a server on a read-only one, from the
 * rendering strategies the app uses, and says why:
 * - only build state and/or build paths (or none): a static export; no server at all.
 * - request state, no revalidation or incremental generation: a server, and a read-only filesystem is fine
 *   (Perseus never writes its mutable store), so Cloud Run is the cheap choice.
 * - revalidation or incremental generation: a server with a mutable store; on a writable filesystem (a server
 *   cluster) it is local and fast, which is chosen; on a read-only one (Cloud Run, with `preferServerless`) it
 *   must live in a bucket or database and every request for such a page makes an extra round trip.
 * Throws a ValidationError naming every entry that is not a strategy.
 */
export function choosePerseusDeployment(strategies: readonly RenderingStrategy[], preferences: PerseusDeploymentPreferences = {}): PerseusDeploymentChoice {
  const unknown = strategies.flatMap((s, i) => (RENDERING_STRATEGIES.includes(s) ? [] : [{ field: `strategies[${i}]`, value: s, expected: `one of ${RENDERING_STRATEGIES.join(', ')}` }]));
  if (unknown.length) throw new ValidationError('Perseus rendering strategies', unknown);
  const used = ordered(strategies);
  const mutable = used.filter((s) => MUTABLE_STRATEGIES.includes(s));
  const runtime = used.filter((s) => !BUILD_TIME_STRATEGIES.includes(s));
  const serverless = preferences.preferServerless ?? false;

  if (runtime.length === 0) {
    const what = used.length ? `It uses only ${list(used)}, which run when the app is built` : 'It uses no rendering strategy that runs after the build';
    return {
      strategies: used,
      target: 'static-export',
      possibleTargets: ['static-export', 'read-only-filesystem', 'writable-filesystem'],
      needsServer: false,
      mutableData: false,
      explanation: `${what}: export it with \`perseus deploy -e\` (the production build of \`perseus export\`) and host the files from a bucket behind a CDN. No server is needed, so there is nothing to scale, patch or pay for by the hour.`,
    };
  }
  if (mutable.length === 0) {
    return {
      strategies: used,
      target: 'read-only-filesystem',
      possibleTargets: ['read-only-filesystem', 'writable-filesystem'],
      needsServer: true,
      mutableData: false,
      explanation:
        `It uses ${list(runtime)}, which ${runtime.length === 1 ? 'renders' : 'render'} on every request, so it needs the standalone server from \`perseus deploy\`. ` +
        'It uses neither revalidation nor incremental generation, so Perseus never writes its mutable store and a read-only filesystem is fine: Cloud Run, scaling to zero, with no store.',
    };
  }
  const change = `${mutable.length === 1 ? 'changes' : 'change'} page data while the server runs`;
  const uses = runtime.length > mutable.length ? `It uses ${list(runtime)}, which need a server; ${list(mutable)} ${change}` : `It uses ${list(mutable)}, which ${change}`;
  const why = `${uses}, so it needs the standalone server from \`perseus deploy\` and a mutable store.`;
  const localStore =
    'On a writable filesystem (a server cluster) the store is local: the fastest choice, which Perseus\' guide advises. ' +
    'On Cloud Run (read-only, ephemeral filesystem) it must be a bucket, Redis or Postgres in the service\'s region, and every request for those pages makes an extra round trip to it (four trips instead of two), raising time to first byte.';
  const [target, other]: PerseusTarget[] = serverless ? ['read-only-filesystem', 'writable-filesystem'] : ['writable-filesystem', 'read-only-filesystem'];
  const preference = serverless
    ? 'Serverless was preferred: Cloud Run with a store next to the service, accepting that round trip.'
    : 'Prefer serverless to trade that latency for scaling to zero.';
  return { strategies: used, target, possibleTargets: [target, other], needsServer: true, mutableData: true, explanation: `${why} ${localStore} ${preference}` };
}

/** One reason a target does not fit the app, as a validation problem's parts. */
export interface PerseusTargetProblem {
  readonly field: string;
  readonly value: unknown;
  readonly allowed: string;
}

/**
 * Why the app cannot go to `target` (with a mutable store of `store`, or none), or an empty list. A static
 * export of an app that renders at request time, and a read-only filesystem without a store for an app that
 * revalidates or generates incrementally, are refused: both would deploy and then fail on those pages.
 */
export function perseusTargetProblems(strategies: readonly RenderingStrategy[], target: PerseusTarget, store?: string): PerseusTargetProblem[] {
  const choice = choosePerseusDeployment(strategies);
  const runtime = choice.strategies.filter((s) => !BUILD_TIME_STRATEGIES.includes(s));
  const mutable = choice.strategies.filter((s) => MUTABLE_STRATEGIES.includes(s));
  const problems: PerseusTargetProblem[] = [];
  if (target === 'static-export' && runtime.length) {
    problems.push({ field: 'strategies', value: choice.strategies, allowed: `only buildState and buildPaths for a static export (${list(runtime)} ${runtime.length === 1 ? 'renders' : 'render'} on the server; deploy the standalone server instead)` });
  }
  if (target === 'read-only-filesystem' && mutable.length && !store) {
    problems.push({
      field: 'mutableStore',
      value: store,
      allowed: `a mutable store (bucket, redis or postgres): the app uses ${list(mutable)}, which ${mutable.length === 1 ? 'writes' : 'write'} page data while the server runs, and this filesystem is read-only or lost when an instance stops`,
    });
  }
  return problems;
}
