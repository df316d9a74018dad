import 'cdktf/lib/testing/adapters/jest';
import { readFileSync } from 'fs';
import { join } from 'path';
import { TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import {
  AppProfile,
  PERSEUS_TARGETS,
  PerseusAppFeatures,
  PerseusDeploymentOptions,
  PerseusTarget,
  RENDERING_STRATEGIES,
  RenderingStrategy,
  aws,
  choosePerseusDeployment,
  gcp,
  perseusProfile,
  perseusTargetProblems,
  serverpodProfile,
  storeLatencyCost,
} from '../lib';
import { awsTestStack, configProblems, gcpTestStack, only, validationErrorOf } from './helpers/assert';
import { danglingReferences } from './helpers/references';
import { StackJson, bootVariables, resourcesOfType, synthBundled, synthJson, testApp } from './helpers/synth';
import { createStacks } from '../stacks/app';
import { PERSEUS_AWS_CONFIG } from './fixtures';
import { parseConfig } from '../lib/config/load';

/** Every subset of the five strategies (32), in a fixed order. */
const ALL_COMBINATIONS: RenderingStrategy[][] = Array.from({ length: 1 << RENDERING_STRATEGIES.length }, (_, mask) =>
  RENDERING_STRATEGIES.filter((_s, i) => mask & (1 << i)),
);

/** The synth warnings constructs under `scope` recorded. */
function warningsOf(scope: IConstruct): string[] {
  return scope.node
    .findAll()
    .flatMap((c) => c.node.metadata)
    .filter((m) => m.type === '@cdktf/warn')
    .map((m) => String(m.data));
}

function containerEnv(json: StackJson, type = 'google_cloud_run_v2_service'): Record<string, any> {
  const service = only(json, type);
  return Object.fromEntries(service.template.containers[0].env.map((e: any) => [e.name, e.value ?? e.value_source]));
}

describe('choosePerseusDeployment', () => {
  it('covers all 32 combinations of the five strategies', () => {
    expect(ALL_COMBINATIONS).toHaveLength(32);
    expect(new Set(ALL_COMBINATIONS.map((c) => c.join('+'))).size).toBe(32);
  });

  // The rules of Perseus' deployment guide, stated per strategy rather than as the code states them.
  const serverOnly = new Set<RenderingStrategy>(['requestState', 'revalidation', 'incrementalGeneration']);
  const writesAtRunTime = new Set<RenderingStrategy>(['revalidation', 'incrementalGeneration']);

  describe.each(ALL_COMBINATIONS.map((c) => [c.join(', ') || '(none)', c] as const))('strategies %s', (_label, strategies) => {
    const needsServer = strategies.some((s) => serverOnly.has(s));
    const mutable = strategies.some((s) => writesAtRunTime.has(s));

    it.each([false, true])('recommends the right target (serverless preferred: %s) and explains it', (preferServerless) => {
      const choice = choosePerseusDeployment(strategies, { preferServerless });
      const expected: PerseusTarget = !needsServer ? 'static-export' : mutable && !preferServerless ? 'writable-filesystem' : 'read-only-filesystem';
      expect(choice.target).toBe(expected);
      expect(choice.needsServer).toBe(needsServer);
      expect(choice.mutableData).toBe(mutable);
      expect(choice.possibleTargets[0]).toBe(expected);
      expect(choice.possibleTargets.includes('static-export')).toBe(!needsServer);
      // The explanation names every strategy that decided it, and the command to use.
      for (const s of strategies.filter((x) => serverOnly.has(x))) expect(choice.explanation).toContain(s);
      expect(choice.explanation).toContain(needsServer ? 'perseus deploy`' : 'perseus deploy -e');
      if (mutable) expect(choice.explanation).toContain('extra round trip');
    });

    it.each(PERSEUS_TARGETS.flatMap((t) => [[t, undefined], [t, 'bucket']] as [PerseusTarget, string | undefined][]))('on %s with store %s: refused exactly when it would fail', (target, store) => {
      const problems = perseusTargetProblems(strategies, target, store);
      const fields = problems.map((p) => p.field);
      // Only a static export of server-rendered pages fails; Cloud Run without a store works, one copy per instance.
      const staticButNeedsServer = target === 'static-export' && needsServer;
      expect(fields).toEqual(staticButNeedsServer ? ['strategies'] : []);
      // The target the helper recommends is never refused (a read-only filesystem with the store it asks for).
      const choice = choosePerseusDeployment(strategies);
      expect(perseusTargetProblems(strategies, choice.target)).toEqual([]);
      const serverless = choosePerseusDeployment(strategies, { preferServerless: true });
      expect(perseusTargetProblems(strategies, serverless.target, serverless.mutableData ? 'bucket' : undefined)).toEqual([]);
    });
  });

  it('explains each case in words a user can act on', () => {
    expect(choosePerseusDeployment(['buildState', 'buildPaths']).explanation).toMatch(/^It uses only buildState and buildPaths, which run when the app is built: export it with `perseus deploy -e` \(the production build of `perseus export`\)/);
    expect(choosePerseusDeployment([]).explanation).toMatch(/no rendering strategy that runs after the build/);
    expect(choosePerseusDeployment(['requestState']).explanation).toMatch(/read-only filesystem is fine: Cloud Run, scaling to zero, with no store/);
    expect(choosePerseusDeployment(['revalidation', 'incrementalGeneration']).explanation).toMatch(/revalidation and incrementalGeneration, which change page data/);
    const revalidating = choosePerseusDeployment(['revalidation']).explanation;
    expect(revalidating).toMatch(/Perseus ships one mutable store, the filesystem \(dist\/mutable\)\. On a writable filesystem \(a server cluster\) the store is local: the fastest choice.*Prefer serverless for scaling to zero/);
    expect(revalidating).toContain('On Cloud Run the filesystem is writable but in memory: each instance keeps its own copy there');
    expect(revalidating).toContain("the app implements Perseus' MutableStore over a bucket, Redis or Postgres");
    expect(revalidating).toContain('reads about five keys from it in sequence');
    expect(revalidating).not.toContain('four trips');
    expect(choosePerseusDeployment(['revalidation'], { preferServerless: true }).explanation).toMatch(/Serverless was preferred: Cloud Run, its instances keeping their own copies or sharing a store next to the service\.$/);
  });

  it('refuses names that are not strategies, naming each', () => {
    const message = validationErrorOf(() => perseusProfile({ strategies: ['buildState', 'ssr' as RenderingStrategy, 'isr' as RenderingStrategy] }));
    expect(message).toContain('Perseus rendering strategies has 2 problems');
    expect(message).toContain('strategies[1]: got "ssr"; expected one of buildState, buildPaths, requestState, revalidation, incrementalGeneration');
    expect(message).toContain('strategies[2]: got "isr"');
  });

  it('is what the Perseus profile carries, assuming every strategy until told', () => {
    expect(perseusProfile().deployment.mutableData).toBe(true);
    expect(perseusProfile().strategies).toEqual(RENDERING_STRATEGIES);
    const p = perseusProfile({ strategies: ['requestState', 'buildState', 'requestState'] });
    expect(p.strategies).toEqual(['buildState', 'requestState']);
    expect(p.mutableData).toBe(false);
    expect(p.deployment.target).toBe('read-only-filesystem');
    expect(perseusProfile({ strategies: ['incrementalGeneration'] }).deployment.target).toBe('writable-filesystem');
  });
});

/**
 * The helper's table (docs/perseus.md, first table), row by row: each row of the doc, and every combination of
 * inputs the helper tells apart within it, written out as the expected result rather than derived from the rules.
 */
describe("choosePerseusDeployment's table, row by row", () => {
  const DOC = readFileSync(join(__dirname, '..', 'docs', 'perseus.md'), 'utf8');
  type Row = {
    /** The first cell of the doc's row this case belongs to. */
    doc: string;
    strategies: RenderingStrategy[];
    options?: PerseusDeploymentOptions;
    target: PerseusTarget;
    possibleTargets: readonly PerseusTarget[];
    needsServer: boolean;
    exportable: boolean;
    mutableData: boolean;
    rendersPerRequest: boolean;
    caveat?: boolean;
    /** Words the explanation must contain. */
    says: string[];
  };
  const STATIC = 'only *build state* and/or *build paths* (or no strategy), without locales, request-time global state or routes of its own';
  const LOCALES = 'the same, with locales (`i18n`)';
  const SERVER = '*request state*, *global state* generated at request time (`requestGlobalState`) or routes of its own (`customRoutes`), but neither *revalidation* nor *incremental generation*';
  const MUTABLE = '*revalidation* and/or *incremental generation*';
  const NO_PATHS = '*incremental generation* without *build paths*';
  const exported = { target: 'static-export', possibleTargets: ['static-export', 'read-only-filesystem', 'writable-filesystem'], needsServer: false, exportable: true, mutableData: false } as const;
  const served = { target: 'read-only-filesystem', possibleTargets: ['read-only-filesystem', 'writable-filesystem'], needsServer: true, exportable: false, mutableData: false } as const;
  const cluster = { target: 'writable-filesystem', possibleTargets: ['writable-filesystem', 'read-only-filesystem'], needsServer: true, exportable: false, mutableData: true } as const;
  const cloudRun = { target: 'read-only-filesystem', possibleTargets: ['read-only-filesystem', 'writable-filesystem'], needsServer: true, exportable: false, mutableData: true } as const;
  const exportTo = 'export it with `perseus deploy -e`';
  const readOnly = 'a read-only filesystem is fine: Cloud Run, scaling to zero, with no store';
  const TABLE: Row[] = [
    { doc: STATIC, strategies: [], ...exported, rendersPerRequest: false, says: ['no rendering strategy that runs after the build', exportTo] },
    { doc: STATIC, strategies: ['buildState'], ...exported, rendersPerRequest: false, says: ['It uses only buildState, which run when the app is built', exportTo] },
    { doc: STATIC, strategies: ['buildState', 'buildPaths'], options: { preferServerless: true }, ...exported, rendersPerRequest: false, says: ['only buildState and buildPaths', exportTo] },
    {
      doc: LOCALES,
      strategies: ['buildState', 'buildPaths'],
      options: { i18n: true },
      target: 'read-only-filesystem',
      possibleTargets: ['read-only-filesystem', 'writable-filesystem', 'static-export'],
      needsServer: false,
      exportable: true,
      mutableData: false,
      rendersPerRequest: false,
      says: ['`perseus deploy -e` could export it; but it has locales', 'exported error page is written without a locale', 'standalone server from `perseus deploy`', readOnly],
    },
    {
      doc: LOCALES,
      strategies: [],
      options: { i18n: true, preferServerless: true },
      target: 'read-only-filesystem',
      possibleTargets: ['read-only-filesystem', 'writable-filesystem', 'static-export'],
      needsServer: false,
      exportable: true,
      mutableData: false,
      rendersPerRequest: false,
      says: ['It uses no rendering strategy that runs after the build, so `perseus deploy -e` could export it'],
    },
    { doc: SERVER, strategies: ['requestState'], ...served, rendersPerRequest: true, says: ['It uses requestState, which renders on every request, so it needs the standalone server', readOnly] },
    { doc: SERVER, strategies: ['buildState', 'buildPaths', 'requestState'], options: { i18n: true, preferServerless: true }, ...served, rendersPerRequest: true, says: ['It uses requestState, which renders on every request', readOnly] },
    {
      doc: SERVER,
      strategies: ['buildState'],
      options: { requestGlobalState: true },
      ...served,
      rendersPerRequest: true,
      says: ['Its global state is generated at request time, which Perseus refuses to export (GlobalStateNotExportable), so it needs the standalone server', readOnly],
    },
    {
      doc: SERVER,
      strategies: ['buildPaths'],
      options: { customRoutes: true },
      ...served,
      rendersPerRequest: false,
      says: ['It serves routes of its own through the server integration, which exist only in the running server (an export is files), so it needs the standalone server'],
    },
    {
      doc: SERVER,
      strategies: ['requestState'],
      options: { requestGlobalState: true, customRoutes: true },
      ...served,
      rendersPerRequest: true,
      says: ['It uses requestState, which renders on every request; its global state is generated at request time', '; and it serves routes of its own'],
    },
    { doc: MUTABLE, strategies: ['revalidation'], ...cluster, rendersPerRequest: false, says: ['It uses revalidation, which changes page data while the server runs', 'Prefer serverless for scaling to zero', 'extra round trip'] },
    { doc: MUTABLE, strategies: ['revalidation'], options: { preferServerless: true }, ...cloudRun, rendersPerRequest: false, says: ['Serverless was preferred'] },
    {
      doc: MUTABLE,
      strategies: ['buildState', 'buildPaths', 'requestState', 'revalidation', 'incrementalGeneration'],
      ...cluster,
      rendersPerRequest: true,
      says: ['It uses requestState, revalidation and incrementalGeneration, which need a server; revalidation and incrementalGeneration change page data while the server runs, so'],
    },
    {
      doc: MUTABLE,
      strategies: ['buildPaths', 'incrementalGeneration'],
      options: { requestGlobalState: true, customRoutes: true, i18n: true, preferServerless: true },
      ...cloudRun,
      rendersPerRequest: true,
      says: ['which changes page data while the server runs; its global state is generated at request time', '; and it serves routes of its own', 'and a mutable store'],
    },
    { doc: NO_PATHS, strategies: ['incrementalGeneration'], ...cluster, rendersPerRequest: false, caveat: true, says: ['incrementalGeneration does nothing without buildPaths'] },
    { doc: NO_PATHS, strategies: ['buildState', 'requestState', 'incrementalGeneration'], options: { preferServerless: true }, ...cloudRun, rendersPerRequest: true, caveat: true, says: ['Give the template build paths (build_paths_fn)'] },
  ];

  it('has a case for every row of the doc, and every case names a row of it', () => {
    for (const row of [STATIC, LOCALES, SERVER, MUTABLE, NO_PATHS]) {
      expect(DOC).toContain(`| ${row} |`);
      expect(TABLE.some((r) => r.doc === row)).toBe(true);
    }
  });

  it.each(TABLE.map((row) => [`${row.strategies.join(', ') || '(none)'} ${JSON.stringify(row.options ?? {})}`, row] as const))('%s', (_name, row) => {
    const choice = choosePerseusDeployment(row.strategies, row.options);
    expect({
      target: choice.target,
      possibleTargets: choice.possibleTargets,
      needsServer: choice.needsServer,
      exportable: choice.exportable,
      mutableData: choice.mutableData,
      rendersPerRequest: choice.rendersPerRequest,
      caveats: choice.caveats.length,
    }).toEqual({
      target: row.target,
      possibleTargets: row.possibleTargets,
      needsServer: row.needsServer,
      exportable: row.exportable,
      mutableData: row.mutableData,
      rendersPerRequest: row.rendersPerRequest,
      caveats: row.caveat ? 1 : 0,
    });
    for (const words of row.says) expect(choice.explanation).toContain(words);
    // The caveat closes the explanation; a static export is refused exactly when it would not work.
    if (row.caveat) expect(choice.explanation.endsWith(choice.caveats[0])).toBe(true);
    const features = { requestGlobalState: row.options?.requestGlobalState, i18n: row.options?.i18n, customRoutes: row.options?.customRoutes };
    expect(perseusTargetProblems(row.strategies, 'static-export', undefined, features).length > 0).toBe(!row.exportable);
    expect(perseusTargetProblems(row.strategies, row.target, row.mutableData ? 'bucket' : undefined, features)).toEqual([]);
  });

  // Every combination the helper tells apart: 32 sets of strategies, 8 sets of features, both preferences.
  const FEATURE_SETS: PerseusAppFeatures[] = Array.from({ length: 8 }, (_, mask) => ({ requestGlobalState: !!(mask & 1), i18n: !!(mask & 2), customRoutes: !!(mask & 4) }));
  it.each(ALL_COMBINATIONS.map((c) => [c.join(', ') || '(none)', c] as const))('follows the rows for %s, with every feature set and preference', (_label, strategies) => {
    for (const features of FEATURE_SETS) {
      for (const preferServerless of [false, true]) {
        const choice = choosePerseusDeployment(strategies, { ...features, preferServerless });
        const serverOnly = strategies.some((s) => s === 'requestState' || s === 'revalidation' || s === 'incrementalGeneration') || features.requestGlobalState || features.customRoutes;
        const mutable = strategies.some((s) => s === 'revalidation' || s === 'incrementalGeneration');
        const row = !serverOnly ? (features.i18n ? 'locales' : 'static') : mutable ? 'mutable' : 'server';
        const expected: PerseusTarget = row === 'static' ? 'static-export' : row === 'mutable' && !preferServerless ? 'writable-filesystem' : 'read-only-filesystem';
        const context = `${strategies.join('+')} ${JSON.stringify(features)} preferServerless=${preferServerless}`;
        expect([context, choice.target]).toEqual([context, expected]);
        expect([context, choice.exportable, choice.needsServer, choice.mutableData]).toEqual([context, !serverOnly, serverOnly, mutable]);
        expect([context, choice.rendersPerRequest]).toEqual([context, strategies.includes('requestState') || features.requestGlobalState]);
        expect([context, choice.caveats.length]).toEqual([context, strategies.includes('incrementalGeneration') && !strategies.includes('buildPaths') ? 1 : 0]);
        expect([context, choice.possibleTargets.includes('static-export')]).toEqual([context, !serverOnly]);
        expect(choice.features).toEqual(features);
      }
    }
  });
});

describe('choosePerseusDeployment with hostile input', () => {
  it.each([
    ['a string for a boolean', { i18n: 'yes' }, 'i18n: got "yes"; expected true or false'],
    ['a number', { customRoutes: 1 }, 'customRoutes: got 1; expected true or false'],
    ['null', { requestGlobalState: null }, 'requestGlobalState: got null; expected true or false'],
    ['the string "false"', { preferServerless: 'false' }, 'preferServerless: got "false"; expected true or false'],
    ['an unknown key', { preferServerles: true }, 'options.preferServerles: got true; expected one of preferServerless, requestGlobalState, i18n, customRoutes'],
    ['a prototype key', JSON.parse('{"__proto__": {"i18n": true}}'), 'options.__proto__: got {"i18n":true}; expected one of preferServerless'],
    ['not an object', 'i18n', 'options: got "i18n"; expected an object of preferServerless, requestGlobalState, i18n, customRoutes'],
  ])('refuses %s', (_what, options, message) => {
    const text = validationErrorOf(() => choosePerseusDeployment(['buildState'], options as never));
    expect(text).toContain('Perseus deployment options');
    expect(text).toContain(message);
  });

  it('refuses strategies that are not a list, and names the profile option at fault', () => {
    expect(validationErrorOf(() => choosePerseusDeployment('requestState' as never))).toContain('strategies: got "requestState"; expected a list of buildState, buildPaths, requestState, revalidation, incrementalGeneration');
    expect(validationErrorOf(() => perseusProfile({ name: 'site', i18n: 'true' as never }))).toContain('i18n: got "true"; expected true or false');
    expect(validationErrorOf(() => perseusTargetProblems(['buildState'], 'static-export', undefined, { customRoutes: 'no' as never }))).toContain('customRoutes: got "no"; expected true or false');
  });

  it('carries the features on the profile, and what renders per request', () => {
    const site = perseusProfile({ name: 'site', strategies: ['buildState'], requestGlobalState: true, i18n: true });
    expect(site.deployment).toMatchObject({ target: 'read-only-filesystem', exportable: false, features: { requestGlobalState: true, i18n: true, customRoutes: false } });
    expect(site.rendersPerRequest).toBe(true);
    expect(perseusProfile({ name: 'site', strategies: ['buildState', 'buildPaths'] }).rendersPerRequest).toBe(false);
    // Every strategy assumed: request state among them.
    expect(perseusProfile().rendersPerRequest).toBe(true);
  });
});

/** A GCP test stack and the props both GCP patterns share, for a Perseus site `site` in us-central1. */
function gcpSite(strategies: RenderingStrategy[], latencySensitive = false) {
  const stack = gcpTestStack();
  const registry = new gcp.ContainerRegistry(stack, 'images', { project: 'p-123456', location: 'us-central1', repositoryId: 'site' });
  const props = { project: 'p-123456', region: 'us-central1', namePrefix: 'site', domain: 'site.example', profile: perseusProfile({ name: 'site', strategies, latencySensitive }), registry, storage: false as const };
  return { stack, props };
}

describe('Perseus on Cloud Run (GcpServerlessApp)', () => {
  function build(options: { strategies?: RenderingStrategy[]; latencySensitive?: boolean; store?: gcp.GcpServerlessAppProps['mutableStore']; databaseConnectivity?: gcp.GcpServerlessAppProps['databaseConnectivity'] }) {
    const { stack, props } = gcpSite(options.strategies ?? ['requestState', 'revalidation'], options.latencySensitive);
    const app = new gcp.GcpServerlessApp(stack, 'site', {
      ...props,
      environments: { production: {} },
      mutableStore: options.store,
      databaseConnectivity: options.databaseConnectivity,
    });
    return { stack, app };
  }

  it('deploys revalidation without a mutable store, warning once about the per-instance copies in memory', () => {
    const { stack } = build({ strategies: ['buildState', 'incrementalGeneration'] });
    expect(resourcesOfType(synthJson(stack), 'google_storage_bucket')).toHaveLength(0);
    const warnings = warningsOf(stack);
    expect(warnings).toHaveLength(1);
    // The environment's default maxInstances (3) is named, and the memory the copies take.
    expect(warnings[0]).toContain("GcpServerlessApp: each of up to 3 instances keeps its own copy in Perseus' filesystem store (FsMutableStore, dist/mutable)");
    expect(warnings[0]).toContain("on Cloud Run that filesystem is the instance's memory, so the pages it writes");
    expect(warnings[0]).toContain('count against its memory limit and are lost when it stops');
    expect(warnings[0]).toContain('pages using incrementalGeneration can differ between instances');
    expect(warnings[0]).toContain("For one copy they all share, set mutableStore and implement Perseus' MutableStore over it in the app");
  });

  it('names the most instances any environment may run, and keeps refusing an app of its own that changes data', () => {
    const { stack, props } = gcpSite(['revalidation']);
    new gcp.GcpServerlessApp(stack, 'site', { ...props, environments: { production: { maxInstances: 7 }, staging: { maxInstances: 1 } } });
    expect(warningsOf(stack)).toEqual([expect.stringContaining('each of up to 7 instances keeps its own copy')]);
    const one = gcpSite(['revalidation']);
    new gcp.GcpServerlessApp(one.stack, 'site', { ...one.props, environments: { production: { maxInstances: 1 } } });
    const [single] = warningsOf(one.stack);
    expect(single).toContain('the one instance keeps its copy');
    expect(single).toContain('For a copy that outlives the instance, set mutableStore');
    expect(single).not.toContain('can differ');
    const own = gcpSite([]);
    const profile = new AppProfile({ name: 'notes', ports: [{ name: 'web', port: 8080, hostLabel: 'app' }], roles: ['serverless'], mutableData: true });
    expect(validationErrorOf(() => new gcp.GcpServerlessApp(own.stack, 'site', { ...own.props, profile, environments: { production: {} } }))).toContain(
      'props.mutableStore: missing; expected a mutable store (bucket, redis or postgres): the profile "notes" changes data while it runs (mutableData), and this filesystem is lost when an instance stops',
    );
  });

  it('deploys request state alone without a store, and warns when one is given anyway', () => {
    const { stack } = build({ strategies: ['requestState'] });
    expect(resourcesOfType(synthJson(stack), 'google_storage_bucket')).toHaveLength(0);
    expect(warningsOf(stack)).toEqual([]);
    const withStore = build({ strategies: ['requestState'], store: { kind: 'bucket' } });
    expect(warningsOf(withStore.stack)).toEqual([expect.stringContaining('a bucket mutable store is provisioned for "site", but its strategies (requestState) never write')]);
  });

  it('warns that build-time-only apps need no server', () => {
    const { stack } = build({ strategies: ['buildState'] });
    expect(warningsOf(stack)).toEqual([expect.stringContaining('uses only build-time strategies; a static export (`perseus deploy -e`) on a static site')]);
  });

  it('warns that a provisioned store is used only by app code that implements MutableStore, until the profile says it does', () => {
    const { stack } = build({ store: { kind: 'bucket' } });
    const warnings = warningsOf(stack);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(
      `GcpServerlessApp: the bucket mutable store provisioned for "site" is used only by app code that implements Perseus' MutableStore over it (PerseusAppWithMutableStore, reading the PERSEUS_STORE_* variables; Perseus ships only the filesystem store; docs/perseus.md).`,
    );
    expect(warnings[0]).toContain("Until the app does, each of up to 3 instances keeps its own copy in Perseus' filesystem store");
    expect(warnings[0]).toContain(', as without a store. Once it does, set implementsMutableStore in perseusProfile().');
    const { stack: implemented, props } = gcpSite(['requestState', 'revalidation']);
    new gcp.GcpServerlessApp(implemented, 'site', { ...props, profile: perseusProfile({ name: 'site', strategies: ['revalidation'], implementsMutableStore: true }), environments: { production: {} }, mutableStore: { kind: 'bucket' } });
    expect(warningsOf(implemented)).toEqual([]);
  });

  it('wires a bucket store: a private bucket in the region, written by the service account, located through the environment', () => {
    const { stack, app } = build({ store: { kind: 'bucket' } });
    const json = synthJson(stack);
    const bucket = only(json, 'google_storage_bucket');
    expect(bucket).toMatchObject({ name: 'p-123456-site-production-store', location: 'us-central1', public_access_prevention: 'enforced', uniform_bucket_level_access: true });
    expect(bucket.versioning).toBeUndefined();
    const grant = only(json, 'google_storage_bucket_iam_member');
    expect(grant).toMatchObject({ role: 'roles/storage.objectUser' });
    expect(grant.bucket).toMatch(/^\$\{google_storage_bucket\.site_production_Store_[0-9A-F]+\.name\}$/);
    expect(grant.member).toMatch(/^\$\{google_service_account\.site_production_ServiceAccount_[0-9A-F]+\.member\}$/);
    const env = containerEnv(json);
    expect(env).toMatchObject({ PERSEUS_HOST: '0.0.0.0', PERSEUS_MUTABLE_STORE: 'bucket', PERSEUS_STORE_REGION: 'us-central1' });
    // Perseus has ignored PERSEUS_STANDALONE since 0.3.0-beta.22: the profile no longer sets it.
    expect(env).not.toHaveProperty('PERSEUS_STANDALONE');
    expect(env.PERSEUS_STORE_BUCKET).toBe(grant.bucket);
    expect(env.PERSEUS_STORE_URL).toBe(`gs://${grant.bucket}`);
    expect(app.environments.production!.mutableStore).toMatchObject({ kind: 'bucket', region: 'us-central1' });
    expect(danglingReferences(json)).toEqual([]);
  });

  it('wires a Redis store: Memorystore through the VPC, its AUTH string as a secret only the service reads', () => {
    const { stack } = build({ store: { kind: 'redis' } });
    const json = synthJson(stack);
    const redis = only(json, 'google_redis_instance');
    expect(redis).toMatchObject({ region: 'us-central1', auth_enabled: true, connect_mode: 'PRIVATE_SERVICE_ACCESS' });
    const service = only(json, 'google_cloud_run_v2_service');
    expect(service.template.vpc_access.network_interfaces).toHaveLength(1);
    const env = containerEnv(json);
    expect(env).toMatchObject({ PERSEUS_MUTABLE_STORE: 'redis', PERSEUS_STORE_REDIS_PORT: '6379', PERSEUS_STORE_REDIS_TLS: 'false' });
    expect(env.PERSEUS_STORE_REDIS_HOST).toMatch(/^\$\{google_redis_instance\..+\.host\}$/);
    expect(env.PERSEUS_STORE_REDIS_PASSWORD).toEqual({ secret_key_ref: { secret: 'site-production-redis-auth', version: 'latest' } });
    // The AUTH string's one reader is the service's account.
    const secret = resourcesOfType(json, 'google_secret_manager_secret').find((x) => x.secret_id === 'site-production-redis-auth');
    expect(secret).toBeDefined();
    const readers = resourcesOfType(json, 'google_secret_manager_secret_iam_member').filter((m) => m.secret_id.includes('Secret-redisAuth'));
    expect(readers).toEqual([expect.objectContaining({ role: 'roles/secretmanager.secretAccessor', member: service.template.service_account.replace('.email}', '.member}') })]);
    expect(danglingReferences(json)).toEqual([]);
  });

  it('wires a Postgres store: Cloud SQL on its private IP over TLS, no client role, the password as a secret', () => {
    const { stack } = build({ store: { kind: 'postgres' } });
    const json = synthJson(stack);
    expect(only(json, 'google_sql_database_instance')).toMatchObject({ region: 'us-central1', settings: { ip_configuration: { ipv4_enabled: false } } });
    expect(only(json, 'google_sql_database')).toMatchObject({ name: 'store' });
    expect(resourcesOfType(json, 'google_project_iam_member').map((m) => m.role)).not.toContain('roles/cloudsql.client');
    const service = only(json, 'google_cloud_run_v2_service');
    expect(service.template.volumes).toBeUndefined();
    const env = containerEnv(json);
    expect(env).toMatchObject({ PERSEUS_MUTABLE_STORE: 'postgres', PERSEUS_STORE_DATABASE_NAME: 'store', PERSEUS_STORE_DATABASE_SSLMODE: 'require', PERSEUS_STORE_DATABASE_PORT: '5432' });
    expect(env.PERSEUS_STORE_DATABASE_HOST).toMatch(/^\$\{google_sql_database_instance\.[^}]+\.private_ip_address\}$/);
    expect(env.PERSEUS_STORE_DATABASE_PASSWORD).toEqual({ secret_key_ref: { secret: 'site-production-database-password', version: 'latest' } });
    // The Serverpod variables stay out: the database is only the store.
    expect(Object.keys(env).filter((k) => k.startsWith('SERVERPOD_'))).toEqual([]);
    expect(danglingReferences(json)).toEqual([]);
  });

  it('wires a Postgres store through the connector on request: the socket, the client role on that instance only', () => {
    const { stack } = build({ store: { kind: 'postgres' }, databaseConnectivity: 'cloud-sql-connector' });
    const json = synthJson(stack);
    const client = resourcesOfType(json, 'google_project_iam_member').filter((m) => m.role === 'roles/cloudsql.client');
    expect(client).toHaveLength(1);
    expect(client[0].condition.expression).toContain('resource.name ==');
    const service = only(json, 'google_cloud_run_v2_service');
    expect(service.template.volumes[0].cloud_sql_instance.instances).toHaveLength(1);
    const env = containerEnv(json);
    expect(env).toMatchObject({ PERSEUS_STORE_DATABASE_SSLMODE: 'disable', PERSEUS_STORE_DATABASE_PORT: '5432' });
    // The socket's directory, as libpq and the Rust clients take it (they add `.s.PGSQL.5432`).
    expect(env.PERSEUS_STORE_DATABASE_HOST).toMatch(/^\/cloudsql\/\$\{google_sql_database_instance\.[^}]+\.connection_name\}$/);
    expect(danglingReferences(json)).toEqual([]);
  });

  it('warns, naming the latency cost, when the store is outside the service region', () => {
    const { stack } = build({ store: { kind: 'bucket', region: 'US' } });
    expect(only(synthJson(stack), 'google_storage_bucket').location).toBe('US');
    const warnings = warningsOf(stack).filter((w) => !w.includes('is used only by app code'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`GcpServerlessApp: ${storeLatencyCost('us-central1', 'US')}. Put the store in us-central1`);
    // Perseus 0.4 reads about five keys in sequence per first load (turbine/serve.rs), not "four trips instead of two".
    expect(warnings[0]).toContain('a first load of a revalidating or incrementally generated page reads about 5 keys from the store one after another');
    expect(warnings[0]).not.toContain('four trips');
    // The same region in another case is the same region.
    expect(warningsOf(build({ store: { kind: 'bucket', region: 'US-CENTRAL1' } }).stack).filter((w) => !w.includes('is used only by app code'))).toEqual([]);
  });

  it('refuses a store region that is no region: a multi-region only for buckets', () => {
    expect(validationErrorOf(() => build({ store: { kind: 'redis', region: 'US' } }))).toContain('props.mutableStore.region: got "US"; expected a region such as us-central1 (a redis store lives in one region)');
    expect(validationErrorOf(() => build({ store: { kind: 'bucket', region: 'us central' } }))).toContain('props.mutableStore.region: got "us central"; expected a region such as us-central1, or a bucket location such as US or EU');
  });

  it('refuses a store outside the region for a latency-sensitive app, and creates Cloud SQL where asked otherwise', () => {
    const message = validationErrorOf(() => build({ latencySensitive: true, store: { kind: 'postgres', region: 'europe-west4' } }));
    expect(message).toContain('props.mutableStore.region: got "europe-west4"; expected us-central1, the servers\' region, for a latency-sensitive app: the mutable store is in europe-west4 but the server runs in us-central1');
    const { stack } = build({ store: { kind: 'postgres', region: 'europe-west4' } });
    expect(only(synthJson(stack), 'google_sql_database_instance').region).toBe('europe-west4');
    expect(warningsOf(stack).filter((w) => w.includes('the mutable store is in europe-west4'))).toHaveLength(1);
  });
});

describe('Perseus on the GCP cluster (GcpServerCluster)', () => {
  function build(store: gcp.GcpServerClusterProps['mutableStore'], maxInstances = 3, latencySensitive = false, implementsMutableStore = true) {
    const { stack, props } = gcpSite(['revalidation'], latencySensitive);
    const cluster = new gcp.GcpServerCluster(stack, 'site', {
      ...props,
      profile: perseusProfile({ name: 'site', strategies: ['revalidation'], latencySensitive, implementsMutableStore }),
      environments: { production: { maxInstances } },
      mutableStore: store,
    });
    return { stack, cluster };
  }

  it('keeps the store on each server\'s disk by default, and warns when servers would not share it', () => {
    const { stack } = build(undefined, 3);
    const [warning, ...more] = warningsOf(stack);
    expect(more).toEqual([]);
    expect(warning).toContain(
      "GcpServerCluster: each of up to 3 servers keeps its own copy in Perseus' filesystem store (FsMutableStore, dist/mutable on its disk), starting from the build's copy in the image; " +
        "pages using revalidation can differ between servers until each one revalidates or generates them, and a replaced server starts again from the build's copy.",
    );
    expect(warningsOf(build(undefined, 1).stack)).toEqual([]);
    expect(resourcesOfType(synthJson(stack), 'google_storage_bucket')).toHaveLength(0);
  });

  it('does not let a provisioned store silence the per-server copies until the app implements MutableStore', () => {
    const { stack } = build({ kind: 'redis' }, 4, false, false);
    const warnings = warningsOf(stack);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('GcpServerCluster: the redis mutable store provisioned for "site" is used only by app code that implements Perseus\' MutableStore over it');
    expect(warnings[0]).toContain('Until the app does, each of up to 4 servers keeps its own copy in Perseus\' filesystem store (FsMutableStore, dist/mutable on its disk)');
    expect(warnings[0]).toContain('pages using revalidation can differ between servers');
    expect(warningsOf(build({ kind: 'redis' }, 4, false, true).stack)).toEqual([]);
  });

  it('shares a bucket store between the servers: the boot script passes its location, the servers can write it', () => {
    const { stack, cluster } = build({ kind: 'bucket' });
    const json = synthJson(stack);
    expect(only(json, 'google_storage_bucket').name).toBe('p-123456-site-production-store');
    expect(only(json, 'google_storage_bucket_iam_member').member).toMatch(/google_service_account\.site_production_ServiceAccount/);
    const script = only(json, 'google_compute_instance_template').metadata['startup-script'];
    expect(bootVariables(script).plain.PERSEUS_MUTABLE_STORE).toBe('bucket');
    expect(bootVariables(script).plain.PERSEUS_STORE_BUCKET).toMatch(/^\$\{google_storage_bucket\.site_production_Store_[0-9A-F]+\.name\}$/);
    expect(cluster.environments.production!.storeBucket).toBeDefined();
    expect(warningsOf(stack)).toEqual([]);
  });

  it('shares a Redis store through the private DNS name, with the AUTH string read at boot', () => {
    const { stack } = build({ kind: 'redis' });
    const script = only(synthJson(stack), 'google_compute_instance_template').metadata['startup-script'];
    expect(bootVariables(script).plain.PERSEUS_STORE_REDIS_HOST).toBe('redis.private-production.site.example');
    expect(bootVariables(script).secrets.PERSEUS_STORE_REDIS_PASSWORD).toBe('gcp_secret p-123456 site-production-redis-auth');
  });

  it('shares a Postgres store on the private IP, over TLS, with the password read at boot', () => {
    const { stack } = build({ kind: 'postgres' });
    const json = synthJson(stack);
    expect(only(json, 'google_sql_database')).toMatchObject({ name: 'store' });
    const script = only(json, 'google_compute_instance_template').metadata['startup-script'];
    expect(bootVariables(script).plain).toMatchObject({ PERSEUS_STORE_DATABASE_HOST: 'database.private-production.site.example', PERSEUS_STORE_DATABASE_SSLMODE: 'require' });
    expect(bootVariables(script).secrets.PERSEUS_STORE_DATABASE_PASSWORD).toBe('gcp_secret p-123456 site-production-database-password');
    expect(danglingReferences(json)).toEqual([]);
  });

  describe('Cloud CDN in front of pages rendered per request', () => {
    function cdnCluster(profile: ReturnType<typeof perseusProfile>, webCdn?: unknown) {
      const { stack, props } = gcpSite([]);
      new gcp.GcpServerCluster(stack, 'site', { ...props, profile, environments: { production: { maxInstances: 1 } }, webCdn: webCdn as boolean | undefined });
      const backends = resourcesOfType(synthJson(stack), 'google_compute_backend_service');
      expect(backends).toHaveLength(1);
      return { cdn: backends[0].enable_cdn, policy: backends[0].cdn_policy, warnings: warningsOf(stack).filter((w) => w.includes('Cloud CDN')) };
    }

    it('leaves the CDN off by default for request state or request-time global state: it keys by URL, never by cookie', () => {
      for (const profile of [perseusProfile({ name: 'site', strategies: ['buildState', 'requestState'] }), perseusProfile({ name: 'site', strategies: ['buildState'], requestGlobalState: true }), perseusProfile({ name: 'site' })]) {
        expect(cdnCluster(profile)).toEqual({ cdn: false, policy: undefined, warnings: [] });
      }
    });

    it('keeps it on for pages that are the same for everyone, with the origin deciding what is cached', () => {
      const { cdn, policy, warnings } = cdnCluster(perseusProfile({ name: 'site', strategies: ['buildState', 'buildPaths'], customRoutes: true, i18n: true }));
      expect(cdn).toBe(true);
      expect(policy).toMatchObject({ cache_mode: 'USE_ORIGIN_HEADERS' });
      expect(warnings).toEqual([]);
      expect(cdnCluster(perseusProfile({ name: 'site', strategies: ['buildState', 'buildPaths'] }), false).cdn).toBe(false);
    });

    it('turns it on when asked, warning that those templates must send private', () => {
      const { cdn, warnings } = cdnCluster(perseusProfile({ name: 'site', strategies: ['requestState'] }), true);
      expect(cdn).toBe(true);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('GcpServerCluster: Cloud CDN is on (webCdn) in front of "site", whose pages are rendered per request');
      expect(warnings[0]).toContain('it keys its cache by URL, never by cookie');
      expect(warnings[0]).toContain("Perseus' default Cache-Control (max-age=300)");
      expect(warnings[0]).toContain('send Cache-Control: private from its set_headers, or set webCdn: false');
    });

    it('refuses a webCdn that is not a boolean (the string "false" would turn it on)', () => {
      const { stack, props } = gcpSite(['requestState']);
      expect(validationErrorOf(() => new gcp.GcpServerCluster(stack, 'site', { ...props, environments: { production: {} }, webCdn: 'false' as never }))).toContain('props.webCdn: got "false"; expected true or false');
    });
  });

  it('refuses a store outside the region for a latency-sensitive app', () => {
    expect(validationErrorOf(() => build({ kind: 'redis', region: 'us-east1' }, 3, true))).toContain('props.mutableStore.region: got "us-east1"; expected us-central1');
    expect(warningsOf(build({ kind: 'redis', region: 'us-east1' }).stack)).toEqual([expect.stringContaining('the mutable store is in us-east1 but the server runs in us-central1')]);
  });
});


describe('Perseus on the AWS cluster (ServerCluster)', () => {
  function clusterOf(stack: TerraformStack): aws.ServerCluster {
    return stack.node.findAll().find((c): c is aws.ServerCluster => c instanceof aws.ServerCluster)!;
  }

  it('shares a private S3 store: the role may use it and the boot script names it', () => {
    const config = parseConfig(PERSEUS_AWS_CONFIG, { source: 'test', env: {} });
    const stack = createStacks(testApp(), config, { guardrails: { print: false } })['cluster-aws']!;
    const json = synthJson(stack);
    const cluster = clusterOf(stack);
    expect(cluster.storeBucket).toBeDefined();
    const buckets = resourcesOfType(json, 'aws_s3_bucket');
    expect(buckets.map((b) => b.bucket_prefix)).toEqual(['site-production-store-']);
    // A render cache: not versioned (its AWS-S3-VERSIONING suppression says why).
    expect(resourcesOfType(json, 'aws_s3_bucket_versioning')).toEqual([]);
    const policy = JSON.parse(resourcesOfType(json, 'aws_iam_role_policy').find((p) => p.name === 'server')!.policy);
    const objects = policy.Statement.find((s: any) => s.Sid === 'BucketObjects');
    expect(objects.Resource).toEqual([expect.stringMatching(/^\$\{aws_s3_bucket\..+StoreBucket.+\.arn\}\/\*$/)]);
    const script = Object.values<string>(json.locals)[0];
    expect(bootVariables(script).plain.PERSEUS_MUTABLE_STORE).toBe('bucket');
    expect(bootVariables(script).plain.PERSEUS_STORE_URL).toMatch(/^s3:\/\/\$\{aws_s3_bucket\.[^.]+StoreBucket[^.]+\.bucket\}$/);
    // database: false and no store database: no RDS.
    expect(resourcesOfType(json, 'aws_db_instance')).toHaveLength(0);
    expect(danglingReferences(json)).toEqual([]);
    // One warning for the environment's cluster: the config cannot say the app implements MutableStore.
    const warnings = cluster.node.findAll().flatMap((c) => c.node.metadata).filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
    expect(warnings).toEqual([expect.stringContaining('ServerCluster: the bucket mutable store provisioned for "site" is used only by app code that implements Perseus\' MutableStore over it')]);
    expect(warnings[0]).toContain("Until the app does, each of up to 4 servers keeps its own copy in Perseus' filesystem store (FsMutableStore, dist/mutable on its disk)");
  });

  it('creates RDS for a Postgres store even though Perseus uses no database, named after the store, sized by the config', () => {
    const text = PERSEUS_AWS_CONFIG.replace('mutableStore: bucket', 'mutableStore: postgres').replace('maxInstances: 4 }', 'maxInstances: 4, databaseInstanceClass: db.t4g.small, databaseMultiAz: true }');
    const json = synthBundled(text).stacks['cluster-aws'];
    expect(only(json, 'aws_db_instance')).toMatchObject({ db_name: 'store', instance_class: 'db.t4g.small', multi_az: true });
    const script = Object.values<string>(json.locals)[0];
    const { plain, secrets } = bootVariables(script);
    expect(plain.PERSEUS_STORE_DATABASE_HOST).toMatch(/^\$\{aws_db_instance\.[^.]+\.address\}$/);
    expect(plain.PERSEUS_STORE_DATABASE_SSLMODE).toBe('require');
    expect(secrets.PERSEUS_STORE_DATABASE_PASSWORD).toMatch(/master_user_secret/);
  });

  it('shares ElastiCache as a Redis store, over TLS, sized by the config', () => {
    const text = PERSEUS_AWS_CONFIG.replace('mutableStore: bucket', 'mutableStore: redis').replace('maxInstances: 4 }', 'maxInstances: 4, redisNodeType: cache.t4g.small }');
    const json = synthBundled(text).stacks['cluster-aws'];
    expect(only(json, 'aws_elasticache_replication_group')).toMatchObject({ node_type: 'cache.t4g.small', transit_encryption_enabled: true });
    const script = Object.values<string>(json.locals)[0];
    expect(bootVariables(script).plain).toMatchObject({ PERSEUS_MUTABLE_STORE: 'redis', PERSEUS_STORE_REDIS_TLS: 'true' });
    expect(resourcesOfType(json, 'aws_s3_bucket')).toHaveLength(0);
  });

  it('refuses a store region other than the cluster\'s, and a store kind it does not know', () => {
    const stack = awsTestStack();
    const network = new aws.Network(stack, 'network', { name: 'site-network', region: 'us-west-2', availabilityZones: ['us-west-2a', 'us-west-2b'], egress: 'nat-gateway' });
    const zone = new aws.DnsZone(stack, 'zone', { domain: 'site.example', hostedZoneId: 'Z0123456789ABC' });
    const repository = new aws.ContainerRepository(stack, 'registry', { name: 'site' });
    const props = { profile: perseusProfile({ name: 'site', strategies: ['revalidation'] }), project: 'site', environment: 'production' as const, domain: 'site.example', region: 'us-west-2', network, zone, certificateArn: 'arn:c', repository };
    const message = validationErrorOf(() => new aws.ServerCluster(stack, 'a', { ...props, mutableStore: { kind: 'sqlite' as never, region: 'eu-west-1' } }));
    expect(message).toContain('props.mutableStore.region: got "eu-west-1"; expected us-west-2, the cluster\'s region (the store is created with the stack\'s provider)');
    expect(message).toContain('props.mutableStore.kind: got "sqlite"; expected one of bucket, redis, postgres');
    const cluster = new aws.ServerCluster(stack, 'b', { ...props, maxInstances: 1 });
    expect(cluster.mutableStore).toBeUndefined();
    expect(warningsOf(cluster)).toEqual([]);
  });
});

describe('Perseus in the config file', () => {
  const base = `
project: site
domain: site.example
app: { preset: perseus }
stacks:
  serverless-gcp: { project: site-project-1 }
`;

  it('deploys Cloud Run for an app that may revalidate without a store, with the synth warning about per-instance copies', () => {
    // Cloud Run's filesystem is writable (in memory): no config error any more.
    expect(() => parseConfig(base, { source: 'test', env: {} })).not.toThrow();
    const stacks = createStacks(testApp(), parseConfig(base, { source: 'test', env: {} }), { guardrails: { print: false } });
    const warnings = stacks['serverless-gcp']!.node.findAll().flatMap((c) => c.node.metadata).filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
    expect(warnings).toEqual([expect.stringContaining("GcpServerlessApp: each of up to 3 instances keeps its own copy in Perseus' filesystem store")]);
    expect(warnings[0]).toContain('pages using revalidation and incrementalGeneration can differ between instances');
    const withStore = createStacks(testApp(), parseConfig(`${base}mutableStore: redis\n`, { source: 'test', env: {} }), { guardrails: { print: false } });
    const storeWarnings = withStore['serverless-gcp']!.node.findAll().flatMap((c) => c.node.metadata).filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
    expect(storeWarnings).toEqual([expect.stringContaining('the redis mutable store provisioned for "site" is used only by app code that implements Perseus\' MutableStore over it')]);
  });

  it('deploys Cloud Run with a store, or without one when the strategies need none', () => {
    const withStore = synthBundled(`${base}mutableStore: bucket\n`).stacks['serverless-gcp'];
    expect(containerEnv(withStore)).toMatchObject({ PERSEUS_MUTABLE_STORE: 'bucket' });
    const requestOnly = synthBundled(base.replace('{ preset: perseus }', '{ preset: perseus, strategies: [buildState, requestState] }')).stacks['serverless-gcp'];
    expect(Object.keys(containerEnv(requestOnly)).filter((k) => k.startsWith('PERSEUS_STORE'))).toEqual([]);
  });

  it('gives a store-only Redis the configured tier and TLS', () => {
    const text = `${base.replace('serverless-gcp: { project: site-project-1 }', 'serverless-gcp: { project: site-project-1, redisTier: STANDARD_HA, redisTransitEncryption: true }')}mutableStore: redis\n`;
    const json = synthBundled(text).stacks['serverless-gcp'];
    expect(only(json, 'google_redis_instance')).toMatchObject({ tier: 'STANDARD_HA', transit_encryption_mode: 'SERVER_AUTHENTICATION' });
    expect(containerEnv(json)).toMatchObject({ PERSEUS_STORE_REDIS_PORT: '6378', PERSEUS_STORE_REDIS_TLS: 'true' });
  });

  it('refuses Perseus settings on the serverpod preset, and unknown strategies', () => {
    const text = `
domain: site.example
app: { strategies: [revalidation], latencySensitive: true }
mutableStore: redis
stacks:
  cluster-gcp: { project: site-project-1 }
`;
    const message = configProblems(text);
    expect(message).toContain('app.strategies: got ["revalidation"]; expected no strategies for the serverpod preset');
    expect(message).toContain('app.latencySensitive: got true; expected false for the serverpod preset');
    expect(message).toContain('mutableStore: got "redis"; expected none for the serverpod preset');
    expect(configProblems(base.replace('{ preset: perseus }', '{ preset: perseus, strategies: [ssr] }'))).toContain('app.strategies.0: got "ssr"; expected one of "buildState", "buildPaths", "requestState", "revalidation", "incrementalGeneration"');
  });

  it('keeps Serverpod deployments unchanged: no store variables', () => {
    const { stacks } = synthBundled(base.replace('app: { preset: perseus }\n', ''));
    const services = resourcesOfType(stacks['serverless-gcp'], 'google_cloud_run_v2_service');
    expect(services).toHaveLength(3);
    for (const service of services) expect(service.template.containers[0].env.map((e: any) => e.name).filter((n: string) => n.startsWith('PERSEUS'))).toEqual([]);
    expect(serverpodProfile().mutableData).toBe(false);
  });
});
