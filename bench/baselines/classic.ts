/** Baseline 1: the classic Socket.IO chat server (classic-app.ts) as a benchmark server process. */
import { announce, BENCH_HOST, exitWhenDone, requestedPort } from '../servers/entry';
import { startClassicChat } from './classic-app';

exitWhenDone();
const chat = await startClassicChat({ port: requestedPort(), host: BENCH_HOST });
announce(chat.port);
