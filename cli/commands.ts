import { CliIo, packageJson } from './io';

/**
 * One subcommand of `cdktf-serverpod`. Each loads its implementation only when run, so `init` and `--help` do not
 * pay for the stacks and providers `synth` loads.
 */
interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  readonly usage: () => string;
  readonly run: (args: readonly string[], io: CliIo) => number;
}

const SYNTH_USAGE = `Usage: cdktf-serverpod synth

The cdktf app of the bundled stacks: reads deploy.yaml (or the file SERVERPOD_DEPLOY_CONFIG names), applies the
SERVERPOD_DEPLOY_* overrides, and writes one Terraform stack per enabled entry into cdktf's output folder
(CDKTF_OUTDIR, else cdktf.out). cdktf.json runs it for \`npx cdktf synth\` and \`npx cdktf deploy <stack>\`; run it
directly to check deploy.yaml. A bad file stops it with every problem listed and nothing written (exit 1).
`;

/* eslint-disable @typescript-eslint/no-require-imports */
const COMMANDS: readonly Command[] = [
  {
    name: 'init',
    summary: 'write a commented deploy.yaml, a cdktf.json that runs the bundled stacks, and .gitignore lines here',
    usage: () => (require('./init') as typeof import('./init')).INIT_USAGE,
    run: (args, io) => (require('./init') as typeof import('./init')).init(args, io),
  },
  {
    name: 'synth',
    summary: 'synthesize the stacks deploy.yaml enables (the app cdktf.json runs)',
    usage: () => SYNTH_USAGE,
    run: (args, io) => {
      if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
        io.stdout.write(SYNTH_USAGE);
        return 0;
      }
      if (args.length > 0) {
        io.stderr.write(`cdktf-serverpod synth: takes no arguments, got ${args.join(' ')}\n\n${SYNTH_USAGE}`);
        return 2;
      }
      return (require('../stacks/run') as typeof import('../stacks/run')).runApp(io);
    },
  },
  {
    name: 'cost',
    summary: 'estimate what each synthesized stack costs a month, offline, per environment and resource',
    usage: () => (require('./cost') as typeof import('./cost')).COST_USAGE,
    run: (args, io) => (require('./cost') as typeof import('./cost')).cost(args, io),
  },
  {
    name: 'diagram',
    summary: 'draw each synthesized stack as an architecture diagram (SVG, PNG, Mermaid, DOT)',
    usage: () => (require('./diagram') as typeof import('./diagram')).DIAGRAM_USAGE,
    run: (args, io) => (require('./diagram') as typeof import('./diagram')).diagram(args, io),
  },
];
/* eslint-enable @typescript-eslint/no-require-imports */

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), 'help'.length) + 3;
  const list = [...COMMANDS.map((c) => [c.name, c.summary]), ['help', "this text, or a command's: help <command>"]].map(([name, summary]) => `  ${name.padEnd(width)}${summary}`);
  return `Usage: cdktf-serverpod <command> [options]

The stacks bundled in cdktf-serverpod (cluster-gcp, cluster-aws, serverless-gcp), from one deploy.yaml.

Commands:
${list.join('\n')}

Options:
  -h, --help      this text
  -v, --version   the package version

Start with \`npx cdktf-serverpod init\`, edit deploy.yaml, then \`npx cdktf synth\` and \`npx cdktf deploy <stack>\`.
`;
}

/** Runs `cdktf-serverpod <args>` and returns the exit code: 0 done, 1 refused or failed, 2 a usage error. */
export function runCli(args: readonly string[], io: CliIo): number {
  const [name, ...rest] = args;
  if (name === '--help' || name === '-h') {
    io.stdout.write(usage());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${packageJson().version}\n`);
    return 0;
  }
  if (name === 'help') {
    const topic = rest[0] === undefined ? undefined : COMMANDS.find((c) => c.name === rest[0]);
    if (rest.length > 1 || (rest.length === 1 && !topic)) {
      io.stderr.write(`cdktf-serverpod help: no command ${JSON.stringify(rest.join(' '))}\n\n${usage()}`);
      return 2;
    }
    io.stdout.write(topic ? topic.usage() : usage());
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`${name === undefined ? 'cdktf-serverpod: no command given' : `cdktf-serverpod: unknown command ${JSON.stringify(name)}`}\n\n${usage()}`);
    return 2;
  }
  try {
    return command.run(rest, io);
  } catch (err) {
    // A file that cannot be read or written, say: one line, not a stack trace.
    io.stderr.write(`cdktf-serverpod ${command.name}: ${(err as Error).message}\n`);
    return 1;
  }
}
