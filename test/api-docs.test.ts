import { join, relative, sep } from 'path';
import * as ts from 'typescript';

// What TypeDoc's notDocumented (npm run docs:api) does not check: every optional property of the public API says
// what happens without it (@default), and every pattern, where a user starts, shows its use (@example).

const ROOT = join(__dirname, '..');
const ENTRY = join(ROOT, 'lib', 'index.ts');

/**
 * The patterns: the constructs and helpers a user starts from (README, docs/perseus.md, examples/). A name here
 * that the package no longer exports fails the test, so a rename cannot drop its example unnoticed.
 */
const PATTERNS = [
  'gcp.GcpServerCluster',
  'gcp.GcpServerlessApp',
  'gcp.GcpStaticSite',
  'aws.ServerCluster',
  'aws.AwsServerCluster',
  'aws.AwsStaticSite',
  'AppProfile',
  'serverpodProfile',
  'perseusProfile',
  'customProfile',
  'choosePerseusDeployment',
  'loadConfig',
  'snapshotJson',
];

/** One documentation gap: the export path (`gcp.GcpServerClusterProps.zone`) and what is missing. */
export interface ApiDocProblem {
  readonly name: string;
  readonly file: string;
  readonly missing: '@default' | '@example' | 'export';
}

function hasTag(node: ts.Node, tag: string): boolean {
  return ts.getJSDocTags(node).some((t) => t.tagName.text === tag);
}

function isPrivate(node: ts.Node): boolean {
  const flags = ts.canHaveModifiers(node) ? ts.getCombinedModifierFlags(node as ts.Declaration) : 0;
  return (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0 || (ts.isClassElement(node) && node.name !== undefined && ts.isPrivateIdentifier(node.name));
}

function nameOf(node: ts.Node): string | undefined {
  const name = (node as { name?: ts.Node }).name;
  return name && (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name)) ? name.text : undefined;
}

/**
 * Optional property signatures without @default anywhere in a public declaration's written types: interface and
 * type-literal members, a function's parameter types, a class's public members' types, and the declarations of
 * unexported types they refer to. Bodies and initializers are implementation, not API, and are skipped.
 */
function optionalWithoutDefault(checker: ts.TypeChecker, declaration: ts.Node, exportName: string, inRoot: (node: ts.Node) => boolean, visited: Set<ts.Node>, report: (name: string, node: ts.Node) => void): void {
  const visit = (node: ts.Node, path: string): void => {
    if (isPrivate(node)) return;
    if (ts.isPropertySignature(node)) {
      const here = `${path}.${nameOf(node) ?? '?'}`;
      if (node.questionToken && !hasTag(node, 'default')) report(here, node);
      if (node.type) visit(node.type, here);
      return;
    }
    if (ts.isTypeReferenceNode(node) || ts.isExpressionWithTypeArguments(node)) {
      // A type the package uses but does not export (typedoc's notExported names it too) is checked where it is used.
      const at = ts.isTypeReferenceNode(node) ? node.typeName : node.expression;
      let symbol = checker.getSymbolAtLocation(ts.isQualifiedName(at) ? at.right : at);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
      for (const d of symbol?.declarations ?? []) {
        if (!inRoot(d) || visited.has(d) || !(ts.isInterfaceDeclaration(d) || ts.isTypeAliasDeclaration(d))) continue;
        visited.add(d);
        visit(d, `${path}<${nameOf(d)}>`);
      }
      ts.forEachChild(node, (child) => visit(child, path));
      return;
    }
    if (ts.isFunctionLike(node)) {
      const name = nameOf(node);
      const here = name === undefined || path.endsWith(`.${name}`) || path === name ? path : `${path}.${name}`;
      node.parameters.forEach((p) => p.type && visit(p.type, `${here}(${nameOf(p) ?? '…'})`));
      return; // the return type is what the library hands back: an optional field there is an absence, not a default
    }
    if (ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node)) {
      if (node.type) visit(node.type, ts.isPropertyDeclaration(node) ? `${path}.${nameOf(node)}` : path);
      return;
    }
    ts.forEachChild(node, (child) => {
      if (child !== (node as { name?: ts.Node }).name) visit(child, path);
    });
  };
  visit(declaration, exportName);
}

/** Every export of `entry` (namespaces as `ns.Name`) with its declarations in files under `root`. */
function publicDeclarations(program: ts.Program, entry: string, inRoot: (node: ts.Node) => boolean): Map<string, ts.Declaration[]> {
  const checker = program.getTypeChecker();
  const out = new Map<string, ts.Declaration[]>();
  const walk = (moduleSymbol: ts.Symbol, prefix: string) => {
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const name = `${prefix}${exported.name}`;
      // `@internal` exports are stripped from the published declarations and left out of the API reference.
      const declarations = (target.declarations ?? []).filter((d) => inRoot(d) && !hasTag(ts.isVariableDeclaration(d) ? d.parent.parent : d, 'internal'));
      if (declarations.some(ts.isSourceFile)) {
        walk(target, `${name}.`);
        continue;
      }
      if (declarations.length > 0) out.set(name, declarations);
    }
  };
  const source = program.getSourceFile(entry);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`${entry} is not a module of the program`);
  walk(moduleSymbol, '');
  return out;
}

/** The documentation gaps of the public API exported by `entry`, for declarations in files under `root`. */
export function apiDocProblems(program: ts.Program, entry: string, root: string, patterns: readonly string[]): ApiDocProblem[] {
  const problems: ApiDocProblem[] = [];
  const checker = program.getTypeChecker();
  const inRoot = (node: ts.Node) => {
    const name = node.getSourceFile().fileName;
    return !relative(root, name).startsWith('..') && !name.includes(`${sep}node_modules${sep}`);
  };
  const file = (node: ts.Node) => relative(root, node.getSourceFile().fileName);
  const exports = publicDeclarations(program, entry, inRoot);
  // Each declaration is walked once and each property reported once, under the first export that reaches it.
  const visited = new Set<ts.Node>([...exports.values()].flat());
  const reported = new Set<ts.Node>();
  for (const [name, declarations] of exports) {
    for (const declaration of declarations) {
      optionalWithoutDefault(checker, declaration, name, inRoot, visited, (path, node) => {
        if (!reported.has(node)) problems.push({ name: path, file: file(node), missing: '@default' });
        reported.add(node);
      });
    }
  }
  for (const pattern of patterns) {
    const declarations = exports.get(pattern);
    if (!declarations) problems.push({ name: pattern, file: '-', missing: 'export' });
    // A variable statement carries the comment, not the declaration inside it.
    else if (!declarations.some((d) => hasTag(ts.isVariableDeclaration(d) ? d.parent.parent : d, 'example'))) problems.push({ name: pattern, file: file(declarations[0]), missing: '@example' });
  }
  return problems;
}

function compilerOptions(): ts.CompilerOptions {
  const config = ts.readConfigFile(join(ROOT, 'tsconfig.build.json'), ts.sys.readFile);
  return ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT).options;
}

/** A program over in-memory files (name → text) under `root`, for the fixtures. */
function programOf(files: Record<string, string>, root: string): ts.Program {
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, noEmit: true, types: [] };
  const host = ts.createCompilerHost(options);
  const paths = new Map(Object.entries(files).map(([name, text]) => [join(root, name), text]));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, languageVersion, ...rest) => (paths.has(name) ? ts.createSourceFile(name, paths.get(name)!, languageVersion, true) : getSourceFile(name, languageVersion, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => paths.has(name) || fileExists(name);
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (name) => name === root || (directoryExists?.(name) ?? false);
  return ts.createProgram([...paths.keys()], options, host);
}

function describeProblems(problems: readonly ApiDocProblem[]): string {
  return problems.map((p) => (p.missing === 'export' ? `${p.name}: listed as a pattern but not exported` : `${p.name} (${p.file}): no ${p.missing}`)).join('\n');
}

describe('the check itself', () => {
  const root = join(ROOT, '.api-docs-fixture');
  const fixture = {
    'index.ts': "export * from './props';\nexport * as cloud from './cloud';\n",
    'props.ts': [
      '/** Props. */',
      'export interface WidgetProps {',
      '  /** Required, so no default. */',
      '  readonly name: string;',
      '  /** Documented default. @default 3 */',
      '  readonly size?: number;',
      '  /** No default said. */',
      '  readonly colour?: string;',
      '  /** Nested. @default - none */',
      '  readonly nested?: { /** Inner, no default. */ readonly depth?: number };',
      '}',
      '/** Options inline. */',
      // TypeScript reads a doc comment only at the start of a line (one after `{` on the same line is the brace's).
      'export function load(options: {',
      '  /** @default - the file */ path?: string; /** @default - none */ env?: string',
      '} = {}): { found?: boolean } { return { found: !!options }; }',
      'interface Hidden { quiet?: boolean }',
      '/** Uses a type that is not exported, whose optional fields are still public. */',
      'export type Loud = Hidden;',
    ].join('\n'),
    'cloud.ts': [
      '/** A pattern with an example.',
      ' * @example',
      ' * new Cluster();',
      ' */',
      'export class Cluster { /** Outputs are not props. */ readonly url?: string; private secret?: string; }',
      '/** A pattern without one. */',
      'export class Site {}',
      '/** A helper with one. @example run() */',
      'export const run = () => 1;',
    ].join('\n'),
  };
  const problems = apiDocProblems(programOf(fixture, root), join(root, 'index.ts'), root, ['cloud.Cluster', 'cloud.Site', 'cloud.run', 'cloud.Gone']);

  it('names every optional property without @default, nested, inline and behind an unexported type', () => {
    expect(problems.filter((p) => p.missing === '@default').map((p) => p.name).sort()).toEqual(['Loud<Hidden>.quiet', 'WidgetProps.colour', 'WidgetProps.nested.depth', 'load(options).env'].sort());
  });

  it('names every pattern without @example, and a listed pattern that is not exported', () => {
    expect(problems.filter((p) => p.missing !== '@default').map((p) => `${p.name} ${p.missing}`)).toEqual(['cloud.Site @example', 'cloud.Gone export']);
  });
});

describe('the public API (lib/index.ts)', () => {
  const program = ts.createProgram([ENTRY], { ...compilerOptions(), noEmit: true });
  const problems = apiDocProblems(program, ENTRY, join(ROOT, 'lib'), PATTERNS);

  it('says the @default of every optional property', () => {
    expect(describeProblems(problems.filter((p) => p.missing === '@default'))).toBe('');
  });

  it('shows an @example for every pattern, and every listed pattern is exported', () => {
    expect(describeProblems(problems.filter((p) => p.missing !== '@default'))).toBe('');
  });
});
