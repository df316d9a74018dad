import { rmdirSync } from 'fs';
import { join, resolve } from 'path';
import { AnnotationMetadataEntryType, App } from 'cdktf';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../lib/config/load';
import { ValidationError } from '../lib/validation';
import { createStacks } from './app';

/**
 * cdktf records a full stack trace for every token it creates, only to word an error about an unresolvable
 * token; on these stacks that is about a tenth of the synth time. The app turns it off unless
 * CDKTF_SERVERPOD_TOKEN_TRACES=1 asks to keep them for debugging. (Library users are not affected.)
 */
function skipTokenStackTraces(): void {
  if (process.env.CDKTF_SERVERPOD_TOKEN_TRACES === '1') return;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const traces = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: () => string[] };
    traces.captureStackTrace = () => [];
  } catch {
    // A cdktf without this module: keep its default behaviour.
  }
}

/** `CDKTF_SERVERPOD_DEBUG=1` adds the stack trace to the report of an unexpected error. */
const DEBUG_VARIABLE = 'CDKTF_SERVERPOD_DEBUG';

/**
 * An error no check words for the user is a bug here, not in their file: one line that says so, with the message;
 * the stack trace only on request, for the bug report.
 */
function bugReport(err: unknown, written: boolean): string {
  const message = (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ').trim();
  const line = `A bug in cdktf-serverpod stopped the synth${written ? '' : '; nothing was written'}: ${message} (please report it; ${DEBUG_VARIABLE}=1 shows the stack trace)\n`;
  return process.env[DEBUG_VARIABLE] === '1' && err instanceof Error && err.stack ? `${line}${err.stack}\n` : line;
}

/**
 * cdktf-cli sets this for the app it runs (`cdktf synth`, `deploy`, `diff`), and then prints every annotation
 * itself, after the app's output.
 */
const CDKTF_CLI_VARIABLE = 'CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS';

/**
 * The warnings the stacks recorded, as one block to print after synthesis; empty without warnings. Run alone, the
 * app is the only one to show them. Under cdktf-cli they would otherwise be lines among its INFO notes and spinner
 * frames (on a pipe, each behind terminal control codes) and, on deploy, above Terraform's output; the block gives
 * them in one place, by stack id, before cdktf's own listing.
 */
export function warningsBlock(app: App, configFile: string, underCdktfCli = process.env[CDKTF_CLI_VARIABLE] !== undefined): string {
  const warnings = app.node
    .findAll()
    .flatMap((c) => {
      const stack = c.node.path.split('/')[0]; // '' on the app itself
      return c.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => `  - ${stack ? `${stack}: ` : ''}${String(m.data)}`);
    });
  if (warnings.length === 0) return '';
  const count = warnings.length === 1 ? '1 warning' : `${warnings.length} warnings`;
  const after = underCdktfCli ? `; cdktf repeats ${warnings.length === 1 ? 'it below as a WARN line' : 'them below as WARN lines'}` : '';
  return `\ncdktf-serverpod: ${count} about ${configFile} (the stacks were written; read before deploying${after}):\n${warnings.join('\n')}\n\n`;
}

/** Where the app's output goes: the process's streams, or a test's. */
export interface RunAppStreams {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/**
 * The cdktf app: reads the config file (`SERVERPOD_DEPLOY_CONFIG`, else `deploy.yaml` in the working directory),
 * builds every stack it enables and synthesizes them into cdktf's output folder. Returns the exit code.
 * The config is read and validated before any construct exists, so a bad file stops the run with nothing
 * written. This repository's `dist/stacks/main.js` and the package's `cdktf-serverpod synth` both run it.
 */
export function runApp(streams: RunAppStreams = process): number {
  const file = resolve(process.env.SERVERPOD_DEPLOY_CONFIG ?? DEFAULT_CONFIG_FILE);
  let config;
  try {
    config = loadConfig({ path: file });
  } catch (err) {
    streams.stderr.write(`${(err as Error).message}\n`);
    return 1;
  }
  let app: App | undefined;
  let synthesizing = false;
  try {
    skipTokenStackTraces();
    app = new App({ stackTraces: false });
    // What the constructs refuse (a connection budget that cannot fit, say) comes back as problems of the file,
    // by its fields, and is reported like a bad file: the problems, no stack trace, nothing written.
    createStacks(app, config, { configFile: file, guardrails: { print: streams.stdout } });
    synthesizing = true;
    app.synth();
  } catch (err) {
    // A construct's own check at synth (the guardrails among them) fails with cdktf's "Validation failed" error: the
    // user's to fix, like a bad file.
    const refused = err instanceof ValidationError || (err instanceof Error && err.message.startsWith('Validation failed'));
    streams.stderr.write(refused ? `${(err as Error).message}\n` : bugReport(err, synthesizing));
    // cdktf made the (empty) stacks folder when the app was created; leave no trace of a run that wrote nothing.
    if (app) {
      try {
        rmdirSync(join(app.outdir, 'stacks'));
      } catch {
        // Not there, or not empty: leave it.
      }
    }
    return 1;
  }
  // stdout, not stderr: `cdktf synth` shows the app's stdout but keeps its stderr to itself unless the app fails.
  streams.stdout.write(warningsBlock(app, file));
  return 0;
}
