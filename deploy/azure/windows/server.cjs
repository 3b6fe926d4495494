// iisnode entry for Windows App Service. iisnode starts its entry point with require(), and the relay
// is an ES module (dist/server/cli.js, package.json "type": "module"), which require() cannot load on
// Node 20; a .cjs file is always CommonJS, and import() works from it. iisnode puts a named pipe in
// PORT; the relay listens on pipes as well as TCP ports. deploy.sh --windows puts this file and
// web.config at the site root, next to dist/, package.json and node_modules/.
'use strict';

import('./dist/server/cli.js').catch((err) => {
  console.error('Parley relay failed to load dist/server/cli.js:', err);
  process.exit(1);
});
