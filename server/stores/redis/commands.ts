/** Registers Parley's Lua scripts on a connection (EVALSHA with automatic EVAL fallback). */
import type { Redis } from 'ioredis';
import { CONNECT, DISCONNECT, ENSURE, MEMBERSHIP, PURGE, SNAPSHOT } from './presence-lua';
import { APPEND, CHANGE, SUBMIT } from './history-lua';
import { ADVANCE_CURSOR, CREATE_ROOM, EXPIRE_CONVERSATION, ROOM_TOKENS } from './misc-lua';
import { QUOTA_RELEASE, QUOTA_RESERVE } from './file-quota-lua';

type Script = (...args: (string | number)[]) => Promise<unknown>;

export interface ParleyCommands {
  parleyConnect: Script;
  parleyDisconnect: Script;
  parleyMembership: Script;
  parleySnapshot: Script;
  parleyPurge: Script;
  parleyEnsure: Script;
  parleyAppend: Script;
  parleySubmit: Script;
  parleyCreateRoom: Script;
  parleyExpire: Script;
  parleyRoomTokens: Script;
  parleyAdvanceCursor: Script;
  parleyChange: Script;
  parleyQuotaReserve: Script;
  parleyQuotaRelease: Script;
}

export function defineCommands(client: Redis): Redis & ParleyCommands {
  const scripts: Record<keyof ParleyCommands, string> = {
    parleyConnect: CONNECT,
    parleyDisconnect: DISCONNECT,
    parleyMembership: MEMBERSHIP,
    parleySnapshot: SNAPSHOT,
    parleyPurge: PURGE,
    parleyEnsure: ENSURE,
    parleyAppend: APPEND,
    parleySubmit: SUBMIT,
    parleyCreateRoom: CREATE_ROOM,
    parleyExpire: EXPIRE_CONVERSATION,
    parleyRoomTokens: ROOM_TOKENS,
    parleyAdvanceCursor: ADVANCE_CURSOR,
    parleyChange: CHANGE,
    parleyQuotaReserve: QUOTA_RESERVE,
    parleyQuotaRelease: QUOTA_RELEASE,
  };
  for (const [name, lua] of Object.entries(scripts)) client.defineCommand(name, { numberOfKeys: 0, lua });
  return client as Redis & ParleyCommands;
}
