// Cache-Control of a static export's files, shared by the AWS and GCP upload scripts (docs/perseus.md, "Caching: a release at a time").
//
// A release's pages, code and data must reach a browser together. Perseus names them the same in every release
// (`/.perseus/bundle.js`, `bundle.wasm`, `translations/<locale>`, `page/<locale>/<path>.json`), so a browser that
// kept yesterday's bundle for an hour would run it against today's pages: those files are revalidated on every
// use. Everything else (images, fonts, media) may be cached for an hour.

/** Extensions whose files are revalidated on every use: pages, code, styles, data, Wasm. */
export const REVALIDATED_EXTENSIONS: readonly string[] = ['html', 'js', 'mjs', 'css', 'json', 'wasm'];

/** The top-level folder whose files are all revalidated: Perseus' assets, some without an extension. */
export const REVALIDATED_FOLDER = '.perseus';

/**
 * Cache-Control of revalidated files. Behind a CDN that the upload script invalidates: browsers revalidate on
 * every use (`max-age=0, must-revalidate`, a 304 from the edge when nothing changed) while the edge keeps its copy
 * for an hour or until the invalidation (`s-maxage`), since `no-cache` would send every request on to the bucket
 * (Cloud CDN does not store such answers; CloudFront keeps them for its minimum TTL, a second). Without a CDN,
 * `no-cache`.
 */
export function revalidatedCacheControl(cdn: boolean): string {
  return cdn ? 'public, max-age=0, s-maxage=3600, must-revalidate' : 'no-cache';
}

/** Cache-Control of every other file: an hour, for browsers and the CDN alike (Cloud Storage's default for public objects). */
export const CACHED_CACHE_CONTROL = 'public, max-age=3600';

/** Whether the file at `path` (relative to the export's root, `/`-separated) is revalidated on every use. */
export function isRevalidated(path: string): boolean {
  if (path.startsWith(`${REVALIDATED_FOLDER}/`)) return true;
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot >= 0 && REVALIDATED_EXTENSIONS.includes(name.slice(dot + 1));
}
