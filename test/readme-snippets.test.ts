import { readFileSync, readdirSync, statSync } from 'fs';
import { join, relative } from 'path';
import * as ts from 'typescript';

// The TypeScript a user copies compiles in the project they would paste it into: every ```ts block of README.md
// and every ```ts block of an @example in lib/, against the built declarations (dist/lib, `npm test` builds
// first) under the compiler options `cdktf init --template=typescript` writes, with skipLibCheck off so every
// declaration the package exposes is checked too (a third-party type leaking through it fails here).

const ROOT = join(__dirname, '..');
const TEMPLATE = join(ROOT, 'node_modules/cdktf-cli/bundle/templates/typescript/tsconfig.json');

/** compilerOptions of cdktf-cli 0.21.0's TypeScript template, as `cdktf init` writes them. */
const CDKTF_INIT_OPTIONS = {
  alwaysStrict: true,
  declaration: true,
  experimentalDecorators: true,
  inlineSourceMap: true,
  inlineSources: true,
  lib: ['es2018'],
  module: 'CommonJS',
  noEmitOnError: true,
  noFallthroughCasesInSwitch: true,
  noImplicitAny: true,
  noImplicitReturns: true,
  noImplicitThis: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  resolveJsonModule: true,
  strict: true,
  strictNullChecks: true,
  strictPropertyInitialization: true,
  stripInternal: true,
  target: 'ES2018',
  incremental: true,
  skipLibCheck: true,
};

/** One snippet: where it is, and its code. */
interface Snippet {
  readonly name: string;
  readonly code: string;
}

/** The ```ts blocks of a Markdown text. */
export function markdownSnippets(file: string, text: string): Snippet[] {
  return [...text.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((m) => ({ name: `${file}:${text.slice(0, m.index).split('\n').length}`, code: m[1] }));
}

/** The ```ts blocks inside the doc comments (`@example`) of a TypeScript source. */
export function docCommentSnippets(file: string, text: string): Snippet[] {
  const snippets: Snippet[] = [];
  for (const comment of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const body = comment[0].split('\n').map((line) => line.replace(/^\s*\*( |$)/, '')).join('\n');
    for (const m of body.matchAll(/^```ts\n([\s\S]*?)^```/gm)) {
      const line = text.slice(0, comment.index! + comment[0].indexOf('```ts')).split('\n').length;
      snippets.push({ name: `${file}:${line}`, code: m[1] });
    }
  }
  return snippets;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/**
 * Type-checks each snippet as its own module in a project at the repository root (so `cdktf`, `constructs` and
 * `@types/*` resolve from node_modules, as in a `cdktf init` project), with `cdktf-serverpod` mapped to the
 * built declarations. Returns the diagnostics, formatted, per snippet that has any.
 */
export function snippetDiagnostics(snippets: readonly Snippet[], options: Record<string, unknown>): Record<string, string> {
  const converted = ts.convertCompilerOptionsFromJson(
    { ...options, noEmit: true, incremental: false, baseUrl: '.', paths: { 'cdktf-serverpod': ['dist/lib/index'] } },
    ROOT,
  );
  if (converted.errors.length) throw new Error(ts.flattenDiagnosticMessageText(converted.errors[0].messageText, '\n'));
  const files = new Map(snippets.map((s, i) => [join(ROOT, `__snippet_${i}.ts`), s]));
  const host = ts.createCompilerHost(converted.options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, languageVersion, ...rest) => {
    const snippet = files.get(name);
    return snippet ? ts.createSourceFile(name, snippet.code, languageVersion, true) : getSourceFile(name, languageVersion, ...rest);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => files.has(name) || fileExists(name);
  host.getCurrentDirectory = () => ROOT;
  const program = ts.createProgram([...files.keys()], converted.options, host);
  const format: ts.FormatDiagnosticsHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' };
  const out: Record<string, string> = {};
  const add = (name: string, text: string) => (out[name] = out[name] ? `${out[name]}\n${text}` : text);
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const snippet = d.file && files.get(d.file.fileName);
    // A declaration file's problem is the package's, whichever snippet loaded it.
    add(snippet ? snippet.name : d.file ? relative(ROOT, d.file.fileName) : 'options', ts.formatDiagnostic(d, format).trim());
  }
  return out;
}

describe('the snippet check itself', () => {
  it('finds README-style and @example blocks, and reports a snippet that does not compile', () => {
    const markdown = markdownSnippets('x.md', "text\n```ts\nconst a: number = 'no';\nexport { a };\n```\n```sh\nls\n```\n");
    const comments = docCommentSnippets('x.ts', "/**\n * Doc.\n * @example\n * ```ts\n * export const b: string = 1;\n * ```\n */\nexport class X {}\n");
    expect(markdown).toEqual([{ name: 'x.md:2', code: "const a: number = 'no';\nexport { a };\n" }]);
    expect(comments).toEqual([{ name: 'x.ts:4', code: 'export const b: string = 1;\n' }]);
    const unused = { name: 'unused', code: "import { aws } from 'cdktf-serverpod';\n" };
    const result = snippetDiagnostics([...markdown, ...comments, unused], CDKTF_INIT_OPTIONS);
    expect(result['x.md:2']).toMatch(/TS2322/);
    expect(result['x.ts:4']).toMatch(/TS2322/);
    // The template's noUnusedLocals holds for snippets too.
    expect(result.unused).toMatch(/TS6133/);
  });
});

describe('TypeScript a user copies', () => {
  it('the copied options are cdktf-cli\'s TypeScript template\'s', () => {
    expect(JSON.parse(readFileSync(TEMPLATE, 'utf8')).compilerOptions).toEqual(CDKTF_INIT_OPTIONS);
  });

  it('every ```ts block of README.md and of an @example in lib/ compiles under `cdktf init` options, skipLibCheck off', () => {
    const snippets = [
      ...markdownSnippets('README.md', readFileSync(join(ROOT, 'README.md'), 'utf8')),
      ...sources(join(ROOT, 'lib')).flatMap((file) => docCommentSnippets(relative(ROOT, file), readFileSync(file, 'utf8'))),
    ];
    expect(snippets.length).toBeGreaterThan(5);
    const result = snippetDiagnostics(snippets, { ...CDKTF_INIT_OPTIONS, skipLibCheck: false });
    expect(Object.entries(result).map(([name, text]) => `${name}:\n${text}`).join('\n\n')).toBe('');
  });
});
