import { rmdirSync } from 'fs';
import { join, resolve } from 'path';
import { App } from 'cdktf';
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

// The cdktf app (`cdktf.json` runs the compiled dist/stacks/main.js). The config is read and validated
// before any construct exists, so a bad file stops the run with nothing written.
function main(): void {
  const file = resolve(process.env.SERVERPOD_DEPLOY_CONFIG ?? DEFAULT_CONFIG_FILE);
  let config;
  try {
    config = loadConfig({ path: file });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
  let app: App | undefined;
  let synthesizing = false;
  try {
    skipTokenStackTraces();
    app = new App({ stackTraces: false });
    // What the constructs refuse (a connection budget that cannot fit, say) comes back as problems of the file,
    // by its fields, and is reported like a bad file: the problems, no stack trace, nothing written.
    createStacks(app, config, { configFile: file });
    synthesizing = true;
    app.synth();
  } catch (err) {
    process.stderr.write(err instanceof ValidationError ? `${err.message}\n` : bugReport(err, synthesizing));
    // cdktf made the (empty) stacks folder when the app was created; leave no trace of a run that wrote nothing.
    if (app) {
      try {
        rmdirSync(join(app.outdir, 'stacks'));
      } catch {
        // Not there, or not empty: leave it.
      }
    }
    process.exit(1);
  }
}

main();
