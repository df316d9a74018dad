import { mkdirSync, writeFileSync } from 'fs';
import { dirname, isAbsolute, join, relative } from 'path';
import { parseArgs } from 'util';
import { DIAGRAM_EXTENSIONS, DIAGRAM_FORMATS, DiagramFormat, buildDiagram, drawDiagram } from '../lib/diagram';
import { loadSynthesizedStacks } from '../lib/model/stack-model';
import { CliIo } from './io';

export const DIAGRAM_USAGE = `Usage: cdktf-serverpod diagram [<stack>...] [--format svg|png|mermaid|dot] [--out <path>] [--details] [--width <px>]

Draws each synthesized stack as an architecture diagram: the internet and DNS, certificates and the load balancer
or CDN, then per environment the server group or Cloud Run services with their host names and ports, and the
database, Redis, buckets, secrets and scheduler they use, inside their network (VPC, private zone). Supporting
resources (IAM grants, DNS records, firewall rules, health checks, target groups, generated passwords...) fold into
the box they serve; --details lists them. It reads what \`npx cdktf synth\` wrote (cdktf.out/stacks/<stack>/
cdk.tf.json, or under CDKTF_OUTDIR), so your own stacks get a diagram too; a resource type it does not know is
drawn as a plain box. Without stack names, every synthesized stack is drawn.

Options:
  --format <f>   svg, png, mermaid (.mmd, for a README on GitHub) or dot; a comma list or repeated;
                 all four by default
  --out <path>   the folder to write into (cdktf.out/diagrams by default); with one stack and one format, a
                 file name; - writes one stack's mermaid or dot text to standard output
  --details      also list the resources folded into each box and group
  --width <px>   width of the PNG (by default the SVG's own size)
  -h, --help     show this text
`;

const FORMAT_NAMES: Readonly<Record<string, DiagramFormat>> = { svg: 'svg', png: 'png', mermaid: 'mermaid', mmd: 'mermaid', dot: 'dot' };

/** `cdktf-serverpod diagram`: returns the exit code (0 written, 1 nothing to draw or a failure, 2 usage). */
export function diagram(args: readonly string[], io: CliIo): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: {
        format: { type: 'string', multiple: true },
        out: { type: 'string' },
        details: { type: 'boolean' },
        width: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    return usageError(io, (err as Error).message);
  }
  const { values, positionals: stacks } = parsed;
  if (values.help) {
    io.stdout.write(DIAGRAM_USAGE);
    return 0;
  }
  const requested = (values.format ?? []).flatMap((f) => f.split(',')).map((f) => f.trim().toLowerCase()).filter(Boolean);
  const unknown = requested.filter((f) => FORMAT_NAMES[f] === undefined);
  if (unknown.length > 0) return usageError(io, `unknown format ${unknown.map((f) => JSON.stringify(f)).join(', ')}; expected svg, png, mermaid or dot`);
  const formats = requested.length > 0 ? [...new Set(requested.map((f) => FORMAT_NAMES[f]))] : [...DIAGRAM_FORMATS];
  let width: number | undefined;
  if (values.width !== undefined) {
    width = Number(values.width);
    if (!/^\d+$/.test(values.width) || width < 16 || width > 4000) return usageError(io, `--width must be a whole number of pixels from 16 to 4000, got ${JSON.stringify(values.width)}`);
  }
  const outdir = process.env.CDKTF_OUTDIR ?? 'cdktf.out';
  const appOut = isAbsolute(outdir) ? outdir : join(io.cwd, outdir);
  let models;
  try {
    models = loadSynthesizedStacks(appOut, stacks);
  } catch (err) {
    io.stderr.write(`cdktf-serverpod diagram: ${(err as Error).message}\n`);
    return 1;
  }

  const single = models.length === 1 && formats.length === 1;
  if (values.out === '-') {
    if (!single || formats[0] === 'png' || formats[0] === 'svg') return usageError(io, '--out - writes the mermaid or dot text of one stack: name one stack and one of those formats');
  } else if (values.out !== undefined && !single && /\.(svg|png|mmd|dot)$/i.test(values.out)) {
    return usageError(io, `--out ${values.out} names a file, but ${models.length} stacks × ${formats.length} formats are drawn: give a folder`);
  }
  const fileOut = values.out !== undefined && values.out !== '-' && single && /\.(svg|png|mmd|dot)$/i.test(values.out);
  const folder = values.out === undefined ? join(appOut, 'diagrams') : values.out === '-' || fileOut ? undefined : isAbsolute(values.out) ? values.out : join(io.cwd, values.out);

  const written: string[] = [];
  for (const model of models) {
    const built = buildDiagram(model);
    for (const format of formats) {
      const drawn = drawDiagram(built, format, { details: values.details ?? false, width });
      if (values.out === '-') {
        io.stdout.write(drawn as string);
        continue;
      }
      const file = fileOut ? (isAbsolute(values.out!) ? values.out! : join(io.cwd, values.out!)) : join(folder!, `${model.name}.${DIAGRAM_EXTENSIONS[format]}`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, drawn);
      written.push(relative(io.cwd, file) || file);
    }
    const notes: string[] = [];
    if (built.unknownTypes.length > 0) notes.push(`drawn as plain boxes (no table knows them): ${built.unknownTypes.join(', ')}`);
    if (model.resources.length === 0) notes.push('the stack has no resources: the diagram is empty');
    else if (built.nodes.every((n) => n.kind === 'resource' || n.kind === 'internet')) notes.push('no resource type of the stack is known: every resource is drawn as a plain box');
    const summary = `${model.name}: ${built.nodes.length} boxes, ${built.edges.length} edges, ${model.resources.length} resources`;
    (values.out === '-' ? io.stderr : io.stdout).write(`${[summary, ...notes.map((n) => `  ${n}`)].join('\n')}\n`);
  }
  if (written.length > 0) io.stdout.write(`Wrote ${written.join(', ')}\n`);
  return 0;
}

function usageError(io: CliIo, message: string): number {
  io.stderr.write(`cdktf-serverpod diagram: ${message}\n\n${DIAGRAM_USAGE}`);
  return 2;
}
