// Lets Node `require` the repository's .ts sources outside Jest (which compiles them itself), each file compiled
// by swc with the repository's .swcrc. Used by the docs scripts that run the sources without a build.
'use strict';
const fs = require('fs');
const path = require('path');

function registerTypeScript() {
  if (process.env.JEST_WORKER_ID !== undefined || require.extensions['.ts']) return;
  const { transformSync } = require('@swc/core');
  const options = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '.swcrc'), 'utf8'));
  delete options.$schema;
  require.extensions['.ts'] = (module, filename) => {
    const { code } = transformSync(fs.readFileSync(filename, 'utf8'), { ...options, filename, sourceMaps: false });
    module._compile(code, filename);
  };
}

module.exports = { registerTypeScript };
