import { createContext, runInContext } from 'vm';

// Stand-ins for the clouds behind the static sites, each following its documentation, so a test can ask what a
// visitor gets for a URL after an upload script has run:
// - `aws s3 sync`: filters in order, the last that matches wins, `*` spans `/` (fnmatch on the path under the
//   folder or bucket); `--delete` removes destination objects that pass the filters and have no source file;
// - `gcloud storage rsync`: `--exclude` (Python regexes, split at commas) leaves matching files and objects alone,
//   deletions included; `--delete-unmatched-destination-objects` removes the other objects without a source;
// - CloudFront with a viewer-request function over a private S3 bucket: the function rewrites the URI, S3 answers
//   the key or 403, a custom error response turns 403/404 into the 404 page;
// - a Cloud Storage bucket's website configuration behind a backend bucket (cloud.google.com/storage/docs/
//   static-website): an object by its name; else `<path>/<main page suffix>`: 200 for `/dir/`, a 301 to `/dir/`
//   for `/dir`; else the not-found page with 404.

/** One object in a bucket: its content and the headers it was uploaded with. */
export interface StoredObject {
  readonly content: string;
  readonly cacheControl?: string;
  readonly contentType?: string;
}

/** A bucket: object name → object. */
export type Bucket = Map<string, StoredObject>;

/** A CloudFront Function's handler, loaded the way CloudFront does (a script defining `handler`). */
export type ViewerRequestHandler = (event: { request: { uri: string } & Record<string, unknown> }) => { uri: string } & Record<string, unknown>;

/** Loads a CloudFront Function's source into a fresh context and returns its handler. */
export function loadHandler(code: string): ViewerRequestHandler {
  const context = createContext({});
  runInContext(code, context);
  if (typeof context.handler !== 'function') throw new Error('the function defines no handler');
  return context.handler;
}

/** The value of each `--name value` / `--name=value` option, in order (repeated options kept). */
function options(args: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    if (eq >= 0) out.push([arg.slice(2, eq), arg.slice(eq + 1)]);
    else if (i + 1 < args.length && !args[i + 1].startsWith('--')) out.push([arg.slice(2), args[++i]]);
    else out.push([arg.slice(2), '']);
  }
  return out;
}

/** Python's fnmatch pattern as a RegExp: `*` any text (slashes included), `?` one character. */
function fnmatch(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/**
 * Applies `aws s3 sync <dir> s3://<bucket> <args>` to `bucket`: `files` are the folder's files (relative path →
 * content), every one newer than its object. Returns the names it uploaded.
 */
export function s3Sync(bucket: Bucket, files: Readonly<Record<string, string>>, args: readonly string[]): string[] {
  const opts = options(args);
  const filters = opts.filter(([name]) => name === 'exclude' || name === 'include').map(([name, pattern]) => [name, fnmatch(pattern)] as const);
  const passes = (path: string) => filters.reduce((included, [kind, regex]) => (regex.test(path) ? kind === 'include' : included), true);
  const value = (name: string) => opts.find(([n]) => n === name)?.[1];
  const uploaded = Object.keys(files).filter(passes);
  for (const name of uploaded) bucket.set(name, { content: files[name], cacheControl: value('cache-control'), contentType: value('content-type') });
  if (opts.some(([n]) => n === 'delete')) {
    for (const name of [...bucket.keys()]) if (passes(name) && !(name in files)) bucket.delete(name);
  }
  return uploaded;
}

/** A Python regex of gcloud's `--exclude` as a RegExp (`\A` and `\Z` anchor; the rest is common syntax). */
export function pythonRegex(pattern: string): RegExp {
  return new RegExp(pattern.replace(/\\A/g, '^').replace(/\\Z/g, '$'));
}

/**
 * Applies `gcloud storage rsync --recursive <folder> gs://<bucket> <args>` to `bucket`, `files` being the folder's
 * files. Every file is uploaded (none unchanged). Returns the names it uploaded.
 */
export function gcloudRsync(bucket: Bucket, files: Readonly<Record<string, string>>, args: readonly string[]): string[] {
  const opts = options(args);
  const excludes = opts.filter(([n]) => n === 'exclude').flatMap(([, v]) => v.split(',')).map(pythonRegex);
  const excluded = (path: string) => excludes.some((r) => r.test(path));
  const value = (name: string) => opts.find(([n]) => n === name)?.[1];
  const uploaded = Object.keys(files).filter((f) => !excluded(f));
  for (const name of uploaded) bucket.set(name, { content: files[name], cacheControl: value('cache-control'), contentType: value('content-type') });
  if (opts.some(([n]) => n === 'delete-unmatched-destination-objects')) {
    for (const name of [...bucket.keys()]) if (!excluded(name) && !(name in files)) bucket.delete(name);
  }
  return uploaded;
}

/** What a visitor gets: the status, the object served (if any), and a redirect's target. */
export interface Answer {
  readonly status: number;
  readonly object?: string;
  readonly location?: string;
}

/** CloudFront with the viewer-request function over a private S3 bucket, 403/404 answered by `notFoundPage`. */
export function cloudFrontGet(bucket: Bucket, handler: ViewerRequestHandler, uri: string, notFoundPage?: string): Answer {
  const request = handler({ request: { uri, method: 'GET', querystring: {}, headers: {} } });
  const key = decodeURIComponent(request.uri.replace(/^\//, ''));
  if (bucket.has(key)) return { status: 200, object: key };
  // S3 answers 403 for a key it does not hold (CloudFront may not list the bucket).
  return notFoundPage && bucket.has(notFoundPage) ? { status: 404, object: notFoundPage } : { status: 403 };
}

/** A Cloud Storage bucket's website configuration answering `path`. */
export function gcsWebsiteGet(bucket: Bucket, path: string, mainPageSuffix: string, notFoundPage?: string): Answer {
  const name = decodeURIComponent(path.replace(/^\//, ''));
  const notFound = (): Answer => (notFoundPage && bucket.has(notFoundPage) ? { status: 404, object: notFoundPage } : { status: 404 });
  if (name === '' || name.endsWith('/')) {
    const index = `${name}${mainPageSuffix}`;
    return bucket.has(index) ? { status: 200, object: index } : notFound();
  }
  if (bucket.has(name)) return { status: 200, object: name };
  if (bucket.has(`${name}/${mainPageSuffix}`)) return { status: 301, location: `/${name}/` };
  return notFound();
}

/** `get`, following at most one redirect. */
export function follow(get: (path: string) => Answer, path: string): Answer & { redirected: boolean } {
  const first = get(path);
  if (first.status !== 301 || first.location === undefined) return { ...first, redirected: false };
  return { ...get(first.location), redirected: true };
}
