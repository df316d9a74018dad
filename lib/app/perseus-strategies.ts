import { Problem, ValidationError } from '../validation';

/**
 * Which Perseus deployment an app needs, from the rendering strategies its templates use. The rules are the
 * ones Perseus' own deployment guide gives; no provider imports here, so the config layer and users' own code
 * can ask before building anything.
 */

/** Perseus' rendering strategies. */
export const RENDERING_STRATEGIES = ['buildState', 'buildPaths', 'requestState', 'revalidation', 'incrementalGeneration'] as const;

/** One of Perseus' rendering strategies (`RENDERING_STRATEGIES`). */
export type RenderingStrategy = (typeof RENDERING_STRATEGIES)[number];

/** Strategies that run only when the app is built: an app with nothing else can be exported to static files. */
export const BUILD_TIME_STRATEGIES: readonly RenderingStrategy[] = ['buildState', 'buildPaths'];

/**
 * Strategies that change page data while the server runs: they write Perseus' mutable store, which is the
 * filesystem (`dist/mutable`) unless the app implements `MutableStore` itself.
 */
export const MUTABLE_STRATEGIES: readonly RenderingStrategy[] = ['revalidation', 'incrementalGeneration'];

/**
 * Where a Perseus app can go:
 * - `static-export`: `perseus deploy -e` (the production static export) to a bucket behind a CDN (`GcpStaticSite`, `AwsStaticSite`); no server.
 * - `writable-filesystem`: the standalone server from `perseus deploy` on machines with a disk (the server
 *   clusters); its mutable store is local.
 * - `read-only-filesystem`: the standalone server where the filesystem does not outlive the instance (Cloud Run,
 *   whose filesystem is writable but in memory, per instance). Pages that revalidate or generate incrementally
 *   work there with Perseus' filesystem store, one copy per instance held in its memory; one copy shared by all
 *   instances takes a bucket, Redis or Postgres and the app's own `MutableStore` implementation.
 */
export type PerseusTarget = 'static-export' | 'writable-filesystem' | 'read-only-filesystem';

/** Every `PerseusTarget`. */
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
   * Some pages change while the server runs (revalidation, incremental generation): Perseus writes them to
   * its mutable store, the filesystem of each instance unless the app implements a shared one.
   */
  readonly mutableData: boolean;
  /** Why, in sentences, for a log or a doc. */
  readonly explanation: string;
  /**
   * A static export would work. It can be true with a server as `target`: an internationalised app can be
   * exported, but Perseus advises serving it.
   */
  readonly exportable: boolean;
  /**
   * Pages are rendered for each request (request state, or global state generated at request time): a cache that
   * visitors share, such as a CDN keyed by URL, must never keep them.
   */
  readonly rendersPerRequest: boolean;
  /** What the features considered were (`PerseusAppFeatures`, each false unless given). */
  readonly features: Required<PerseusAppFeatures>;
  /** Mistakes in what the app was said to use, in sentences (also at the end of `explanation`); empty when none. */
  readonly caveats: readonly string[];
}

/**
 * What else about the app decides where it can go, besides its templates' strategies. Each is false unless given.
 * Read from Perseus at tag v0.4.2.
 */
export interface PerseusAppFeatures {
  /**
   * The global state is generated at request time (`GlobalStateCreator::request_state_fn`, or amalgamation). Perseus
   * refuses to export such an app (`ExportError::GlobalStateNotExportable`, packages/perseus/src/turbine/build.rs,
   * `build_global_state`), and every page then carries that request's state.
   * @default false
   */
  readonly requestGlobalState?: boolean;
  /**
   * The app has locales (`PerseusApp::locales`). An export works, but Perseus advises serving such an app
   * (docs/0.4.x/en-US/fundamentals/serving-exporting.md): an exported error page has no locale
   * (packages/perseus/src/turbine/export_error_page.rs), while the server renders a 404 in the visitor's language.
   * @default false
   */
  readonly i18n?: boolean;
  /**
   * The app serves routes of its own beside Perseus' (API routes added in a server function given to
   * `#[perseus::main(...)]`, examples/core/custom_server). They exist only in the running server: an export is files,
   * and the engine calls the server function for `serve` alone (packages/perseus/src/engine/dflt_engine.rs).
   * @default false
   */
  readonly customRoutes?: boolean;
}

/** What `choosePerseusDeployment` takes besides the strategies: the app's features and the tie-breaking preferences. */
export interface PerseusDeploymentOptions extends PerseusDeploymentPreferences, PerseusAppFeatures {}

/** Every key of `PerseusDeploymentOptions`. */
export const PERSEUS_DEPLOYMENT_OPTIONS: readonly (keyof PerseusDeploymentOptions)[] = ['preferServerless', 'requestGlobalState', 'i18n', 'customRoutes'];

/** Preferences that break ties between targets that would all work. */
export interface PerseusDeploymentPreferences {
  /**
   * For an app that revalidates or generates incrementally: prefer Cloud Run (scaling to zero, no servers to
   * run), each instance keeping those pages in its memory or, for one shared copy, in a store next to the
   * service (about five reads in sequence per first load of such a page), over a server cluster whose writable
   * disk keeps the store local.
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

/** Clauses that contain commas of their own, as one: `a; b; and c`. */
function clauses(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join('; ')}; and ${parts[parts.length - 1]}`;
}

/**
 * What is wrong with the arguments, as validation problems. Callers may be plain JavaScript or a config file, so
 * nothing is assumed: a list of known names, and an object of known keys with true or false.
 */
function deploymentProblems(strategies: unknown, options: unknown): Problem[] {
  const problems: Problem[] = [];
  if (!Array.isArray(strategies)) {
    problems.push({ field: 'strategies', value: strategies, expected: `a list of ${RENDERING_STRATEGIES.join(', ')}` });
  } else {
    strategies.forEach((s, i) => {
      if (!RENDERING_STRATEGIES.includes(s)) problems.push({ field: `strategies[${i}]`, value: s, expected: `one of ${RENDERING_STRATEGIES.join(', ')}` });
    });
  }
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    problems.push({ field: 'options', value: options, expected: `an object of ${PERSEUS_DEPLOYMENT_OPTIONS.join(', ')}` });
    return problems;
  }
  for (const [key, value] of Object.entries(options)) {
    if (!(PERSEUS_DEPLOYMENT_OPTIONS as readonly string[]).includes(key)) problems.push({ field: `options.${key}`, value, expected: `one of ${PERSEUS_DEPLOYMENT_OPTIONS.join(', ')}` });
    else if (value !== undefined && typeof value !== 'boolean') problems.push({ field: key, value, expected: 'true or false' });
  }
  return problems;
}

/** The caveat for an app whose strategies list incremental generation but no build paths, which no template then has. */
function incrementalCaveat(used: readonly RenderingStrategy[]): string[] {
  if (!used.includes('incrementalGeneration') || used.includes('buildPaths')) return [];
  // packages/perseus/src/turbine/build.rs (v0.4.2), build_template_or_capsule: the `<template>/*` route is added
  // only inside `uses_build_paths()`, while the export check refuses any template that `uses_incremental()`.
  return [
    "Note: incrementalGeneration does nothing without buildPaths: Perseus generates pages incrementally only under a template's build paths and otherwise ignores it (it still refuses to export such a template). " +
      'Give the template build paths (build_paths_fn), or drop incrementalGeneration; the target above assumes the app works as listed.',
  ];
}

/**
 * Chooses among a static export, a server on a writable filesystem and a server on a read-only one, from the
 * rendering strategies the app uses and its features (`PerseusAppFeatures`), and says why:
 * - only build state and/or build paths (or none), and nothing else that needs a server: a static export; no
 *   server at all. With locales (`i18n`) the export still works, but Perseus advises serving, so Cloud Run.
 * - request state, global state generated at request time, or routes of the app's own (`customRoutes`), and no
 *   revalidation or incremental generation: a server, and a read-only filesystem is fine (Perseus never writes its
 *   mutable store), so Cloud Run is the cheap choice.
 * - revalidation or incremental generation: a server whose mutable store (Perseus' own is the filesystem,
 *   `dist/mutable`) holds those pages; on a writable filesystem (a server cluster) it is local and fast, which is
 *   chosen; on Cloud Run (with `preferServerless`) it is each instance's memory. One copy shared by every
 *   instance takes a bucket, Redis or Postgres and the app's own `MutableStore`, and about five store reads in
 *   sequence per first load of such a page (Perseus v0.4.2, packages/perseus/src/turbine/serve.rs).
 * Incremental generation without build paths is reported in `caveats` (Perseus ignores it). Throws a
 * ValidationError naming every entry that is not a strategy, and every option that is unknown or not a boolean.
 *
 * @example
 * ```ts
 * import { choosePerseusDeployment, perseusProfile } from 'cdktf-serverpod';
 *
 * const blog = perseusProfile({ name: 'blog', strategies: ['buildState', 'requestState', 'revalidation'] });
 * const choice = choosePerseusDeployment(blog.strategies, { preferServerless: true });
 * // choice.target is 'read-only-filesystem': Cloud Run (gcp.GcpServerlessApp), with a mutableStore for one shared copy;
 * // without preferServerless it is 'writable-filesystem', a server cluster.
 * console.log(choice.explanation);
 * ```
 */
export function choosePerseusDeployment(strategies: readonly RenderingStrategy[], options: PerseusDeploymentOptions = {}): PerseusDeploymentChoice {
  const problems = deploymentProblems(strategies, options);
  // The subject of the message users have seen for unknown strategies stays; options add their own.
  const optionsWrong = problems.some((p) => !p.field.startsWith('strategies'));
  if (problems.length) throw new ValidationError(optionsWrong ? 'Perseus deployment options' : 'Perseus rendering strategies', problems);
  const used = ordered(strategies);
  const mutable = used.filter((s) => MUTABLE_STRATEGIES.includes(s));
  const runtime = used.filter((s) => !BUILD_TIME_STRATEGIES.includes(s));
  const serverless = options.preferServerless ?? false;
  const features: Required<PerseusAppFeatures> = { requestGlobalState: options.requestGlobalState ?? false, i18n: options.i18n ?? false, customRoutes: options.customRoutes ?? false };
  // Why the app needs a server besides its templates' strategies (Perseus v0.4.2).
  const serverFeatures = [
    ...(features.requestGlobalState ? ['its global state is generated at request time, which Perseus refuses to export (GlobalStateNotExportable)'] : []),
    ...(features.customRoutes ? ['it serves routes of its own through the server integration, which exist only in the running server (an export is files)'] : []),
  ];
  const caveats = incrementalCaveat(used);
  const common = {
    strategies: used,
    exportable: runtime.length === 0 && serverFeatures.length === 0,
    rendersPerRequest: used.includes('requestState') || features.requestGlobalState,
    features,
    caveats,
  };
  const explained = (text: string) => [text, ...caveats].join(' ');

  if (common.exportable) {
    const what = used.length ? `It uses only ${list(used)}, which run when the app is built` : 'It uses no rendering strategy that runs after the build';
    if (!features.i18n) {
      return {
        ...common,
        target: 'static-export',
        possibleTargets: ['static-export', 'read-only-filesystem', 'writable-filesystem'],
        needsServer: false,
        mutableData: false,
        explanation: explained(
          `${what}: export it with \`perseus deploy -e\` (the production build of \`perseus export\`) and host the files from a bucket behind a CDN. No server is needed, so there is nothing to scale, patch or pay for by the hour.`,
        ),
      };
    }
    return {
      ...common,
      target: 'read-only-filesystem',
      possibleTargets: ['read-only-filesystem', 'writable-filesystem', 'static-export'],
      needsServer: false,
      mutableData: false,
      explanation: explained(
        `${what}, so \`perseus deploy -e\` could export it; but it has locales, and Perseus advises serving such an app: an exported error page is written without a locale, and an address without a locale that matches no page gets it as it is, ` +
          "while the server first sends the visitor to their locale and renders the error in their language. Serve it with the standalone server from `perseus deploy`: Perseus never writes its mutable store, so a read-only filesystem is fine: Cloud Run, scaling to zero, with no store. " +
          'An export still works where an unlocalized error page is acceptable.',
      ),
    };
  }
  if (mutable.length === 0) {
    const reasons = [...(runtime.length ? [`it uses ${list(runtime)}, which ${runtime.length === 1 ? 'renders' : 'render'} on every request`] : []), ...serverFeatures];
    const because = clauses(reasons);
    return {
      ...common,
      target: 'read-only-filesystem',
      possibleTargets: ['read-only-filesystem', 'writable-filesystem'],
      needsServer: true,
      mutableData: false,
      explanation: explained(
        `${because[0].toUpperCase()}${because.slice(1)}, so it needs the standalone server from \`perseus deploy\`. ` +
          'It uses neither revalidation nor incremental generation, so Perseus never writes its mutable store and a read-only filesystem is fine: Cloud Run, scaling to zero, with no store.',
      ),
    };
  }
  const change = `${mutable.length === 1 ? 'changes' : 'change'} page data while the server runs`;
  const uses = runtime.length > mutable.length ? `It uses ${list(runtime)}, which need a server; ${list(mutable)} ${change}` : `It uses ${list(mutable)}, which ${change}`;
  const besides = serverFeatures.length ? `; ${clauses(serverFeatures)}` : '';
  const why = `${uses}${besides}, so it needs the standalone server from \`perseus deploy\` and a mutable store.`;
  const localStore =
    "Perseus ships one mutable store, the filesystem (dist/mutable). On a writable filesystem (a server cluster) the store is local: the fastest choice, which Perseus' guide advises, though each server keeps its own copy. " +
    'On Cloud Run the filesystem is writable but in memory: each instance keeps its own copy there and loses it when it stops. ' +
    "For one copy every instance shares, the app implements Perseus' MutableStore over a bucket, Redis or Postgres in the servers' region; a first load of such a page then reads about five keys from it in sequence, an extra round trip for each, raising time to first byte.";
  const [target, other]: PerseusTarget[] = serverless ? ['read-only-filesystem', 'writable-filesystem'] : ['writable-filesystem', 'read-only-filesystem'];
  const preference = serverless
    ? 'Serverless was preferred: Cloud Run, its instances keeping their own copies or sharing a store next to the service.'
    : 'Prefer serverless for scaling to zero, with a copy per instance in memory or those round trips to a shared store.';
  return { ...common, target, possibleTargets: [target, other], needsServer: true, mutableData: true, explanation: explained(`${why} ${localStore} ${preference}`) };
}

/** One reason a target does not fit the app, as a validation problem's parts. */
export interface PerseusTargetProblem {
  /** The field at fault (`strategies`). */
  readonly field: string;
  /** Its value. */
  readonly value: unknown;
  /** What would be allowed, completing "expected ...". */
  readonly allowed: string;
}

/**
 * Why the app cannot go to `target`, or an empty list: a static export of an app that renders at request time,
 * generates its global state at request time or serves routes of its own would fail to export or lose those
 * routes. Locales alone never refuse an export (Perseus advises against it; `choosePerseusDeployment` says so).
 * No server target needs a store (`_store`, the one planned, is accepted and not judged): Perseus keeps
 * revalidated and incrementally generated pages in its filesystem store, which works on Cloud Run too (in memory,
 * one copy per instance); `checkMutableStore` warns about that.
 */
export function perseusTargetProblems(strategies: readonly RenderingStrategy[], target: PerseusTarget, _store?: string, features: PerseusAppFeatures = {}): PerseusTargetProblem[] {
  const choice = choosePerseusDeployment(strategies, features);
  const runtime = choice.strategies.filter((s) => !BUILD_TIME_STRATEGIES.includes(s));
  const problems: PerseusTargetProblem[] = [];
  if (target !== 'static-export') return problems;
  if (runtime.length) {
    problems.push({ field: 'strategies', value: choice.strategies, allowed: `only buildState and buildPaths for a static export (${list(runtime)} ${runtime.length === 1 ? 'renders' : 'render'} on the server; deploy the standalone server instead)` });
  }
  if (choice.features.requestGlobalState) {
    problems.push({ field: 'requestGlobalState', value: true, allowed: 'false for a static export (Perseus refuses to export global state generated at request time: GlobalStateNotExportable; deploy the standalone server instead)' });
  }
  if (choice.features.customRoutes) {
    problems.push({ field: 'customRoutes', value: true, allowed: "false for a static export (an export is files: the routes of the app's own server are not in it; deploy the standalone server instead)" });
  }
  return problems;
}
