import { join } from 'path';
import * as ts from 'typescript';

// lib/config/types.ts writes the config's types out (documented, and free of zod, so the package's declarations
// need no zod); the schema infers them. Here they must be the same shapes: the same fields at every depth, each
// optional on both sides or on neither, and the leaves mutually assignable.

const ROOT = join(__dirname, '..');

/** Every difference between two types, by dotted path: a field on one side only, optional on one side only, or leaves that differ. */
export function typeDifferences(checker: ts.TypeChecker, a: ts.Type, b: ts.Type, path = '', depth = 0): string[] {
  const same = checker.isTypeAssignableTo(a, b) && checker.isTypeAssignableTo(b, a);
  const objectLike = (t: ts.Type) => {
    const plain = checker.getNonNullableType(t);
    return !!(plain.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection)) && !checker.isArrayType(plain) && checker.getIndexInfosOfType(plain).length === 0 && checker.getPropertiesOfType(plain).length > 0;
  };
  if (depth > 8 || !objectLike(a) || !objectLike(b)) {
    return same ? [] : [`${path || '(top)'}: ${checker.typeToString(a)} here, ${checker.typeToString(b)} in the schema`];
  }
  const props = (t: ts.Type) => new Map(checker.getPropertiesOfType(checker.getNonNullableType(t)).map((p) => [p.name, p] as const));
  const pa = props(a);
  const pb = props(b);
  const out: string[] = [];
  for (const name of new Set([...pa.keys(), ...pb.keys()])) {
    const at = path ? `${path}.${name}` : name;
    const x = pa.get(name);
    const y = pb.get(name);
    if (!x) out.push(`${at}: only in the schema`);
    else if (!y) out.push(`${at}: only in types.ts`);
    else {
      const optional = (s: ts.Symbol) => (s.flags & ts.SymbolFlags.Optional) !== 0;
      if (optional(x) !== optional(y)) out.push(`${at}: ${optional(x) ? 'optional' : 'required'} in types.ts, ${optional(y) ? 'optional' : 'required'} in the schema`);
      out.push(...typeDifferences(checker, checker.getNonNullableType(checker.getTypeOfSymbol(x)), checker.getNonNullableType(checker.getTypeOfSymbol(y)), at, depth + 1));
    }
  }
  return out;
}

/** A program over one extra source at the repository root, and the types its aliases name. */
function typesOf(source: string, names: readonly string[]): { checker: ts.TypeChecker; types: Record<string, ts.Type> } {
  const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const options = { ...ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT).options, noEmit: true };
  const file = join(ROOT, '__config_types.ts');
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) => (name === file ? ts.createSourceFile(name, source, version, true) : getSourceFile(name, version, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  const checker = program.getTypeChecker();
  const aliases = program.getSourceFile(file)!.statements.filter(ts.isTypeAliasDeclaration);
  return { checker, types: Object.fromEntries(names.map((n) => [n, checker.getTypeAtLocation(aliases.find((a) => a.name.text === n)!.name)])) };
}

describe('the comparison itself', () => {
  it('names a missing field, an optional-only-here field and a leaf that differs', () => {
    const { checker, types } = typesOf(
      'type A = { a: string; b?: number; c: { d: "x" | "y" } & { f?: 1 } };\ntype B = { a: string; b: number; c: { d: "x" }; e: boolean };\n',
      ['A', 'B'],
    );
    expect(typeDifferences(checker, types.A, types.B).sort()).toEqual(['b: optional in types.ts, required in the schema', 'c.d: "x" | "y" here, "x" in the schema', 'c.f: only in types.ts', 'e: only in the schema']);
  });
});

describe('lib/config/types.ts', () => {
  const { checker, types } = typesOf(
    [
      "import type { z } from 'zod';",
      "import type { deployConfigSchema } from './lib/config/schema';",
      "import type { DeployConfig, DeployConfigInput } from './lib/config/types';",
      'type Output = z.output<typeof deployConfigSchema>;',
      'type Input = z.input<typeof deployConfigSchema>;',
      'type Written = DeployConfig;',
      'type WrittenInput = DeployConfigInput;',
    ].join('\n'),
    ['Output', 'Input', 'Written', 'WrittenInput'],
  );

  it('compares real types (a failed import would make both any, and equal)', () => {
    for (const t of Object.values(types)) expect(checker.getPropertiesOfType(t).map((p) => p.name)).toEqual(expect.arrayContaining(['domain', 'stacks', 'app']));
  });

  it('DeployConfig is the schema\'s output, field for field', () => {
    expect(typeDifferences(checker, types.Written, types.Output)).toEqual([]);
  });

  it('DeployConfigInput is the schema\'s input, field for field', () => {
    expect(typeDifferences(checker, types.WrittenInput, types.Input)).toEqual([]);
  });
});
