/**
 * `freePort`, the one copy: the local cluster, the tests (test/helpers/net.ts) and the benchmarks all
 * pick ports with it. It lives in deploy/ because that is the folder all three may import.
 */
import { createServer } from 'node:net';

/** A TCP port free on 127.0.0.1 a moment ago (the OS picks it; the caller binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    // A caller that gives up must not be held open by the probe.
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('the OS gave no port'))));
    });
  });
}
