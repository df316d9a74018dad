import { mkdirSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';

// The folder `perseus deploy -e` leaves in pkg/, derived from Perseus' source at v0.4.2 (framesurge/perseus):
// - packages/perseus/src/turbine/build.rs, `build_template_or_capsule`: the render configuration maps each page
//   path to its template: the template's path (`index` is "", template/core/getters.rs) joined with each build
//   path, outer slashes stripped; a capsule's path is `__capsule/<name>`;
// - packages/perseus/src/turbine/export.rs, `export_path`: per page path, `<path>/index.html` (or `<path>.html`
//   when the path ends in `index`): with i18n a locale-redirection page there and the page itself under each
//   locale (`<locale>/<path>/index.html`), without i18n the page itself; the page's data at
//   `.perseus/page/<locale>/<path>.json` (locale `xx-XX` without i18n; the index page's is `<locale>/.json`);
//   capsules get the data only. `create_translation_file`: `.perseus/translations/<locale>`, no extension.
//   `copy_static_aliases`: each alias at its own path; `copy_static_dir`: static/ under `.perseus/static/`;
// - packages/perseus-cli/src/export.rs, `finalize_export`: `.perseus/bundle.js`, `.perseus/bundle.wasm`, and
//   wasm-bindgen's snippets under `.perseus/snippets/`; packages/perseus-cli/src/deploy.rs, `deploy_export`: all
//   of dist/exported copied into pkg/ as files (the bundle minified);
// - `perseus export-error-page --code 404 --output pkg/404.html` (perseus-cli/src/export_error_page.rs,
//   turbine/export_error_page.rs): the 404 page, written where the user says.
// The immutable store writes `exported/<name>` with `format!("{}/{}")`, so an empty path gives `exported//index.html`,
// which the filesystem reads as `exported/index.html` (stores/immutable.rs); `normalize` does the same.

/** A Perseus app as its export sees it. */
export interface PerseusAppShape {
  /** Each template's path as given to `Template::build` (`index` for the root), with its build paths, or `null` without. */
  readonly templates: Readonly<Record<string, readonly string[] | null>>;
  /** Capsule names (`Capsule::build`). */
  readonly capsules?: readonly string[];
  /** The app's locales, the default first; none: no i18n. */
  readonly locales?: readonly string[];
  /** Files of the app's static/ folder. */
  readonly staticFiles?: readonly string[];
  /** Static aliases: URL path (with its leading slash) → file in the project. */
  readonly staticAliases?: Readonly<Record<string, string>>;
  /** wasm-bindgen snippet files (`<crate>-<hash>/inline0.js`). */
  readonly snippets?: readonly string[];
}

/** A URL a visitor or Perseus' router loads as a page, and the exported file that must answer it. */
export interface PageUrl {
  readonly url: string;
  readonly file: string;
}

/** What `perseus deploy -e` and `perseus export-error-page --code 404 --output pkg/404.html` leave in pkg/. */
export interface PerseusExport {
  /** Every file, relative to pkg/, with a content unique to it. */
  readonly files: Readonly<Record<string, string>>;
  /** Every page URL, with and without its trailing slash where both lead to the page, and the file answering it. */
  readonly pages: readonly PageUrl[];
  /** Every URL the client fetches by name (bundle, translations, page data, static files), each a file as it is. */
  readonly assets: readonly string[];
  /** The exported 404 page. */
  readonly notFoundPage: string;
}

/** A path as the filesystem reads it: empty segments (`//`, a leading `/`) gone. */
function normalize(path: string): string {
  return path.split('/').filter(Boolean).join('/');
}

/** The render configuration's page paths, each with whether it is a capsule (turbine/build.rs). */
function renderConfig(app: PerseusAppShape): { path: string; capsule: boolean }[] {
  const paths: { path: string; capsule: boolean }[] = [];
  for (const [template, buildPaths] of Object.entries(app.templates)) {
    const root = template === 'index' ? '' : template;
    for (const page of buildPaths ?? ['']) {
      const full = `${root}/${page.replace(/^\//, '')}`.replace(/\/$/, '').replace(/^\//, '');
      paths.push({ path: full, capsule: false });
    }
  }
  for (const name of app.capsules ?? []) paths.push({ path: `__capsule/${name}`, capsule: true });
  return paths;
}

/** The export of `app`, as v0.4.2 writes it. */
export function perseusExport(app: PerseusAppShape): PerseusExport {
  const files: Record<string, string> = {};
  const pages: PageUrl[] = [];
  const assets: string[] = [];
  const write = (name: string, content: string) => {
    const path = normalize(name);
    if (path in files) throw new Error(`the export writes ${path} twice`);
    files[path] = content;
  };
  const i18n = (app.locales ?? []).length > 0;
  const locales = i18n ? app.locales! : ['xx-XX'];
  /** The page URLs of an initial-load file: with and without the trailing slash, unless the page is `<path>.html`. */
  const urls = (urlPath: string, file: string, indexFile: boolean): void => {
    const path = normalize(urlPath);
    if (path === '') {
      pages.push({ url: '/', file });
      return;
    }
    pages.push({ url: `/${path}`, file });
    if (indexFile) pages.push({ url: `/${path}/`, file });
  };

  for (const { path, capsule } of renderConfig(app)) {
    // export.rs: `if path.ends_with("index") { path } else { format!("{}/index", &path) }`, then `.html`.
    const indexFile = !path.endsWith('index');
    const initialLoadPath = indexFile ? `${path}/index` : path;
    if (i18n && !capsule) {
      const file = normalize(`${initialLoadPath}.html`);
      write(file, `<html><!-- locale redirection to /${locales[0]}/${path} --></html>`);
      urls(path, file, indexFile);
    }
    for (const locale of locales) {
      if (!capsule) {
        const file = normalize(i18n ? `${locale}/${initialLoadPath}.html` : `${initialLoadPath}.html`);
        write(file, `<html lang="${locale}"><!-- page ${path || '(index)'} --></html>`);
        urls(i18n ? `${locale}/${path}` : path, file, indexFile);
      }
      // The page data keeps the path as it is: the index page's is `<locale>/.json`.
      const data = `.perseus/page/${locale}/${path}.json`;
      write(data, JSON.stringify({ state: null, head: `<title>${path}</title>` }));
      assets.push(`/${data}`);
    }
  }
  if (i18n) {
    for (const locale of locales) {
      write(`.perseus/translations/${locale}`, `greeting = Hello (${locale})`);
      assets.push(`/.perseus/translations/${locale}`);
    }
  }
  for (const [alias, from] of Object.entries(app.staticAliases ?? {})) {
    write(alias, `alias of ${from}`);
    assets.push(`/${normalize(alias)}`);
  }
  for (const file of app.staticFiles ?? []) {
    write(`.perseus/static/${file}`, `static ${file}`);
    assets.push(`/.perseus/static/${file}`);
  }
  write('.perseus/bundle.js', 'export default function init() {}');
  write('.perseus/bundle.wasm', '\0asm');
  assets.push('/.perseus/bundle.js', '/.perseus/bundle.wasm');
  for (const snippet of app.snippets ?? []) {
    write(`.perseus/snippets/${snippet}`, `// snippet ${snippet}`);
    assets.push(`/.perseus/snippets/${snippet}`);
  }
  write('404.html', '<html><!-- error 404 --></html>');
  return { files, pages, assets, notFoundPage: '404.html' };
}

/** Writes an export's files under `dir`. */
export function writeExport(dir: string, exported: PerseusExport): void {
  for (const [name, content] of Object.entries(exported.files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
}

/**
 * A blog with the features that shape an export: an index page, a plain page, a template whose build paths nest
 * (`post/second/part`), a template that is itself a page and has pages under it, one of which ends in `index` (so
 * Perseus writes it as `docs/search-index.html`), a capsule, static files, static aliases and a snippet.
 */
export const BLOG: PerseusAppShape = {
  templates: { index: null, about: null, post: ['first', 'second/part'], docs: ['', 'intro', 'search-index'] },
  capsules: ['greeting'],
  staticFiles: ['style.css', 'logo.png'],
  staticAliases: { '/robots.txt': 'static/robots.txt', '/favicon.ico': 'static/favicon.ico' },
  snippets: ['perseus-blog-0123abcd/inline0.js'],
};

/** The blog in two locales, `en-US` the default. */
export const BLOG_I18N: PerseusAppShape = { ...BLOG, locales: ['en-US', 'fr-FR'] };
