/**
 * The upload baseline: a plain Node HTTP server that writes each PUT body to a new file in a
 * temporary folder, as little as a server can do to take a file, with no resumability, no checks and
 * no sniffing. What Parley's tus endpoint does beyond this is what the upload benchmark prices.
 */
import { createServer } from 'node:http';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { announce, BENCH_HOST, exitWhenDone, requestedPort } from '../servers/entry';

const dir = mkdtempSync(join(tmpdir(), 'plain-upload-'));
process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
exitWhenDone();
let next = 0;
const server = createServer((req, res) => {
  if (req.method !== 'PUT') return void res.writeHead(405).end();
  pipeline(req, createWriteStream(join(dir, String(next++))))
    .then(() => res.writeHead(204).end())
    .catch(() => res.destroy());
});
server.listen(requestedPort(), BENCH_HOST, () => {
  const address = server.address();
  announce(typeof address === 'object' && address ? address.port : undefined);
});
