/** Builds the client of a given kind. */
import { SioIoClient } from './sio-io';
import { SioLiteClient } from './sio-lite';
import type { BenchClient, ClientKind, ClientSink, ClientSpec } from './types';
import { WsLiteClient } from './ws-lite';

export function createClient(kind: ClientKind, spec: ClientSpec, sink: ClientSink): BenchClient {
  switch (kind) {
    case 'parley-lite':
      return new SioLiteClient(spec, true, sink);
    case 'classic-lite':
      return new SioLiteClient(spec, false, sink);
    case 'ws-lite':
      return new WsLiteClient(spec, sink);
    case 'parley-io':
      return new SioIoClient(spec, 'parley', sink);
    case 'classic-io':
      return new SioIoClient(spec, 'classic', sink);
    case 'classic-io-ws':
      return new SioIoClient(spec, 'classic-ws', sink);
  }
}
