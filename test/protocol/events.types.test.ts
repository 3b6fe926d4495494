/**
 * Type-level tests of the Socket.IO event maps. The expectTypeOf assertions are checked by `tsc`
 * (this file is in tsconfig.json); at run time they are no-ops, so the runtime checks below exercise
 * the narrowing the types promise.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type {
  Ack,
  AckResult,
  AnswerFn,
  Refusal,
  ChatMessage,
  ClientToServerEvents,
  ErrorBody,
  ErrorCode,
  ErrorNotice,
  HistoryRequest,
  InterServerEvents,
  LoginOk,
  LoginRequest,
  PresenceDelta,
  RoomInfo,
  RoomJoinRequest,
  RoomRef,
  RoomState,
  SendOk,
  SendRequest,
  ServerToClientEvents,
  ShutdownNotice,
  SocketData,
  TypingNotice,
  TypingRequest,
  UserNotice,
} from '../../protocol/index';

describe('ClientToServerEvents', () => {
  it("'add user' takes a nickname or a LoginRequest, and an optional Ack<LoginOk>", () => {
    type AddUser = ClientToServerEvents['add user'];
    expectTypeOf<Parameters<AddUser>[0]>().toEqualTypeOf<string | LoginRequest>();
    expectTypeOf<Parameters<AddUser>[1]>().toEqualTypeOf<AnswerFn<'add user'> | undefined>();
    expectTypeOf<AddUser>().toBeCallableWith('ana');
    expectTypeOf<AddUser>().toBeCallableWith({ username: 'ana', rooms: ['dev'], since: { lobby: 3 } }, () => {});
    expectTypeOf<AddUser>().returns.toBeVoid();
    // @ts-expect-error a number is not a nickname
    expectTypeOf<AddUser>().toBeCallableWith(42);
  });

  it("'new message' takes text or a SendRequest, and an optional Ack<SendOk>", () => {
    type NewMessage = ClientToServerEvents['new message'];
    expectTypeOf<Parameters<NewMessage>[0]>().toEqualTypeOf<string | SendRequest>();
    expectTypeOf<Parameters<NewMessage>[1]>().toEqualTypeOf<AnswerFn<'new message'> | undefined>();
    expectTypeOf<NewMessage>().toBeCallableWith('hi');
    // @ts-expect-error a SendRequest needs text
    expectTypeOf<NewMessage>().toBeCallableWith({ room: 'dev' });
  });

  it('typing events take an optional TypingRequest (classic sends nothing)', () => {
    expectTypeOf<ClientToServerEvents['typing']>().toBeCallableWith();
    expectTypeOf<ClientToServerEvents['stop typing']>().toBeCallableWith({ room: 'dev' });
    expectTypeOf<Parameters<ClientToServerEvents['typing']>>().toEqualTypeOf<[request?: TypingRequest]>();
  });

  it('Parley-only events require an acknowledgement', () => {
    expectTypeOf<Parameters<AnswerFn<'room:join'>>[0]>().toEqualTypeOf<({ ok: true } & RoomState) | Refusal<'room:join'>>();
    expectTypeOf<Parameters<ClientToServerEvents['room:join']>>().toEqualTypeOf<[request: RoomJoinRequest, ack: AnswerFn<'room:join'>]>();
    expectTypeOf<Parameters<ClientToServerEvents['room:leave']>>().toEqualTypeOf<[request: RoomRef, ack: AnswerFn<'room:leave'>]>();
    expectTypeOf<Parameters<ClientToServerEvents['room:list']>>().toEqualTypeOf<[ack: AnswerFn<'room:list'>]>();
    expectTypeOf<Parameters<ClientToServerEvents['history:fetch']>>().toEqualTypeOf<[request: HistoryRequest, ack: AnswerFn<'history:fetch'>]>();
    expectTypeOf<Parameters<ClientToServerEvents['users:list']>>().toEqualTypeOf<[request: RoomRef, ack: AnswerFn<'users:list'>]>();
    // @ts-expect-error the ack is not optional
    expectTypeOf<ClientToServerEvents['room:join']>().toBeCallableWith({ room: 'dev' });
  });

  it('has exactly the documented events', () => {
    expectTypeOf<keyof ClientToServerEvents>().toEqualTypeOf<
      'add user' | 'new message' | 'typing' | 'stop typing' | 'room:join' | 'room:leave' | 'room:list' | 'history:fetch' | 'users:list' | 'read' | 'receipts:list' | 'message:edit' | 'message:delete' | 'search' | 'upload:token' | 'file:url'
    >();
  });
});

describe('ServerToClientEvents', () => {
  it("'new message' carries a ChatMessage", () => {
    expectTypeOf<Parameters<ServerToClientEvents['new message']>>().toEqualTypeOf<[message: ChatMessage]>();
    expectTypeOf<ChatMessage['seq']>().toBeNumber();
    expectTypeOf<ChatMessage['clientId']>().toEqualTypeOf<string | undefined>();
  });

  it('classic events keep their classic payloads', () => {
    expectTypeOf<Parameters<ServerToClientEvents['login']>[0]>().toEqualTypeOf<{ numUsers: number }>();
    expectTypeOf<Parameters<ServerToClientEvents['user joined']>[0]>().toEqualTypeOf<UserNotice>();
    expectTypeOf<Parameters<ServerToClientEvents['user left']>[0]>().toEqualTypeOf<UserNotice>();
    expectTypeOf<Parameters<ServerToClientEvents['typing']>[0]>().toEqualTypeOf<TypingNotice>();
    expectTypeOf<Parameters<ServerToClientEvents['stop typing']>[0]>().toEqualTypeOf<TypingNotice>();
    // Classic clients read only username/message: those stay required strings.
    expectTypeOf<Pick<ChatMessage, 'username' | 'message'>>().toEqualTypeOf<{ username: string; message: string }>();
  });

  it('Parley events carry their payload types', () => {
    expectTypeOf<Parameters<ServerToClientEvents['presence']>[0]>().toEqualTypeOf<PresenceDelta>();
    expectTypeOf<Parameters<ServerToClientEvents['room:created']>[0]>().toEqualTypeOf<RoomInfo>();
    expectTypeOf<Parameters<ServerToClientEvents['parley:error']>[0]>().toEqualTypeOf<ErrorNotice>();
    expectTypeOf<Parameters<ServerToClientEvents['server:shutdown']>[0]>().toEqualTypeOf<ShutdownNotice>();
    expectTypeOf<ErrorNotice>().toExtend<ErrorBody>();
  });
});

describe('InterServerEvents and SocketData', () => {
  it('purges presence by instance id', () => {
    expectTypeOf<Parameters<InterServerEvents['presence:purge']>>().toEqualTypeOf<[instanceId: string]>();
  });

  it('distinguishes Parley and classic sockets', () => {
    expectTypeOf<SocketData['kind']>().toEqualTypeOf<'parley' | 'classic'>();
    expectTypeOf<SocketData['username']>().toEqualTypeOf<string | undefined>();
  });
});

describe('AckResult', () => {
  type Res = AckResult<SendOk>;

  it('is a success with the payload fields or a failure with an ErrorBody', () => {
    expectTypeOf<Extract<Res, { ok: true }>>().toEqualTypeOf<{ ok: true } & SendOk>();
    expectTypeOf<Extract<Res, { ok: false }>>().toEqualTypeOf<{ ok: false } & ErrorBody>();
    expectTypeOf<Res['ok']>().toEqualTypeOf<boolean>();
  });

  it('discriminates on ok', () => {
    const describeResult = (res: Res): string => {
      if (res.ok) {
        expectTypeOf(res).toEqualTypeOf<{ ok: true } & SendOk>();
        expectTypeOf(res.seq).toBeNumber();
        // @ts-expect-error a success has no error code
        void res.code;
        return `stored #${res.seq}`;
      }
      expectTypeOf(res.code).toEqualTypeOf<ErrorCode>();
      expectTypeOf(res.retryAfterMs).toEqualTypeOf<number | undefined>();
      // @ts-expect-error a failure has no seq
      void res.seq;
      return `failed: ${res.code}`;
    };
    expect(describeResult({ ok: true, id: '01J', seq: 7, ts: 0, room: 'lobby', duplicate: false })).toBe('stored #7');
    expect(describeResult({ ok: false, code: 'RATE_LIMITED', message: 'slow down', retryAfterMs: 100 })).toBe('failed: RATE_LIMITED');
  });

  it('rejects a success without the payload, or a failure without a code', () => {
    // @ts-expect-error SendOk fields are required on success
    const missing: Res = { ok: true };
    // @ts-expect-error an unknown code is not an ErrorCode
    const wrongCode: Res = { ok: false, code: 'NOPE', message: 'x' };
    expect([missing, wrongCode]).toHaveLength(2);
  });

  it('Ack is a callback taking an AckResult', () => {
    expectTypeOf<Ack<LoginOk>>().toEqualTypeOf<(result: AckResult<LoginOk>) => void>();
    expectTypeOf<Ack<LoginOk>>().parameter(0).toEqualTypeOf<AckResult<LoginOk>>();
  });
});
