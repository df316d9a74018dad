import { rmdirSync } from 'fs';
import { join } from 'path';
import { App } from 'cdktf';
import { loadConfig } from '../lib/config/load';
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

// The cdktf app (`cdktf.json` runs the compiled dist/stacks/main.js). The config is read and validated
// before any construct exists, so a bad file stops the run with nothing written.
function main(): void {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
  skipTokenStackTraces();
  const app = new App({ stackTraces: false });
  try {
    createStacks(app, config);
  } catch (err) {
    // What the constructs refuse (a connection budget that cannot fit, say) is reported like a bad file: the
    // problems, no stack trace, nothing written.
    if (!(err instanceof ValidationError)) throw err;
    process.stderr.write(`${err.message}\n`);
    // cdktf made the (empty) stacks folder when the app was created; leave no trace of a run that wrote nothing.
    try {
      rmdirSync(join(app.outdir, 'stacks'));
    } catch {
      // Not there, or not empty: leave it.
    }
    process.exit(1);
  }
  app.synth();
}

main();
