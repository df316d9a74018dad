import { StackJson } from './synth';

/** Roots of Terraform expressions that are not references to something the stack declares. */
const BUILTIN_ROOTS = new Set(['each', 'count', 'self', 'path', 'terraform', 'module']);

/** What a stack declares that expressions may refer to, as `type.name`, `data.type.name`, `var.x`, `local.x`. */
export function declaredAddresses(json: StackJson): Set<string> {
  const declared = new Set<string>();
  for (const [type, byName] of Object.entries<Record<string, unknown>>(json.resource ?? {})) {
    for (const name of Object.keys(byName)) declared.add(`${type}.${name}`);
  }
  for (const [type, byName] of Object.entries<Record<string, unknown>>(json.data ?? {})) {
    for (const name of Object.keys(byName)) declared.add(`data.${type}.${name}`);
  }
  for (const name of Object.keys(json.variable ?? {})) declared.add(`var.${name}`);
  for (const name of Object.keys(json.locals ?? {})) declared.add(`local.${name}`);
  return declared;
}

/** The addresses one `${...}` expression refers to. Quoted literals inside it are skipped. */
export function referencesIn(expression: string): string[] {
  const code = expression.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const refs: string[] = [];
  const pattern = /(?<![\w.])(data\.[a-z0-9_]+\.[A-Za-z0-9_-]+|var\.[A-Za-z0-9_-]+|local\.[A-Za-z0-9_-]+|[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z_][A-Za-z0-9_-]*)/g;
  for (const m of code.matchAll(pattern)) {
    const root = m[1].split('.')[0];
    if (BUILTIN_ROOTS.has(root)) continue;
    // A function call such as `element(...)` is not followed by a dot; `foo_bar.baz` is.
    refs.push(m[1]);
  }
  return refs;
}

/** Every `${...}` expression in a value, with the JSON path where it sits. */
function* expressions(value: unknown, path: string): Generator<{ path: string; expression: string }> {
  if (typeof value === 'string') {
    for (const m of value.matchAll(/\$\{((?:[^{}]|\{[^{}]*\})*)\}/g)) yield { path, expression: m[1] };
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* expressions(value[i], `${path}[${i}]`);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '//') continue;
      yield* expressions(v, path ? `${path}.${k}` : k);
    }
  }
}

/**
 * Lists every broken reference in a synthesized stack: an expression naming an undeclared resource, data
 * source, variable or local; a `depends_on` entry naming nothing; a resource `provider` naming an undeclared
 * provider alias. An empty list means the stack's wiring is whole.
 */
export function danglingReferences(json: StackJson): string[] {
  const declared = declaredAddresses(json);
  const problems: string[] = [];
  for (const { path, expression } of expressions(json, '')) {
    for (const ref of referencesIn(expression)) {
      if (!declared.has(ref)) problems.push(`${path}: \${${expression}} refers to ${ref}, which the stack does not declare`);
    }
  }
  const providers = new Set<string>();
  for (const [name, configs] of Object.entries<Record<string, unknown>[]>(json.provider ?? {})) {
    for (const config of configs) providers.add(config.alias ? `${name}.${config.alias}` : name);
  }
  for (const kind of ['resource', 'data'] as const) {
    for (const [type, byName] of Object.entries<Record<string, any>>(json[kind] ?? {})) {
      for (const [name, body] of Object.entries<Record<string, any>>(byName)) {
        const where = `${kind === 'data' ? 'data.' : ''}${type}.${name}`;
        for (const dep of body.depends_on ?? []) {
          if (!declared.has(String(dep).replace(/^\$\{|\}$/g, ''))) problems.push(`${where}.depends_on: ${dep} names nothing the stack declares`);
        }
        if (body.provider !== undefined && !providers.has(String(body.provider))) {
          problems.push(`${where}.provider: ${body.provider} is not a declared provider`);
        }
        const providerName = type.split('_')[0];
        if (body.provider === undefined && !providers.has(providerName)) {
          problems.push(`${where}: no default ${providerName} provider is declared`);
        }
      }
    }
  }
  return problems;
}
