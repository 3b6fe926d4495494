/**
 * The client → relay registry (protocol/requests.ts) and what derives from it must agree exactly:
 * the runtime schemas, the runtime error table, the Socket.IO event map, the relay's routes and the
 * client's request arguments. The expectTypeOf and @ts-expect-error lines are checked by `tsc`
 * (npm run typecheck); the runtime tests check the tables the relay reads at run time.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type * as z from 'zod';
import {
  COMMON_ERRORS,
  declaresError,
  ErrorCode,
  CLIENT_EVENTS,
  type Answer,
  type ClientEvent,
  type ClientRequests,
  type ClientToServerEvents,
  type ErrorsOf,
  type OkOf,
  type RequestArgs,
  type RequestOf,
  type SendOk,
} from '../../protocol/index';
import { REQUEST_SCHEMAS } from '../../protocol/schemas';
import type { ParleySocket } from '../../server/chat/context';
import { route } from '../../server/chat/guard';

type SchemaOutputs = { [E in ClientEvent]: z.output<(typeof REQUEST_SCHEMAS)[E]> };
type ContractRequests = { [E in ClientEvent]: RequestOf<E> };
type TableErrors = { [E in ClientEvent]: (typeof CLIENT_EVENTS)[E]['errors'][number] };
type ContractErrors = { [E in ClientEvent]: ClientRequests[E]['errors'] };

describe('the registry and its derivations agree', () => {
  it('every schema parses to exactly the request type of its event', () => {
    expectTypeOf<SchemaOutputs>().toEqualTypeOf<ContractRequests>();
    expectTypeOf<keyof typeof REQUEST_SCHEMAS>().toEqualTypeOf<ClientEvent>();
  });

  it('the runtime table has a row for exactly the registry events, and the contract takes its codes from it', () => {
    expectTypeOf<keyof typeof CLIENT_EVENTS>().toEqualTypeOf<ClientEvent>();
    expectTypeOf<TableErrors>().toEqualTypeOf<ContractErrors>();
  });

  it('the Socket.IO event map has exactly the registry events', () => {
    expectTypeOf<keyof ClientToServerEvents>().toEqualTypeOf<ClientEvent>();
  });
});

describe('mismatches do not compile', () => {
  it('refuses a misspelt event, a wrong request field and a wrong ack payload in a route', () => {
    // @ts-expect-error no such event
    route('room:joinn', {}, async () => undefined);
    // @ts-expect-error a RoomJoinRequest has no `rooom`
    route('room:join', {}, async (_conn, req) => void req.rooom);
    // @ts-expect-error room:leave answers { room }, not { rooom }
    route('room:leave', {}, async () => ({ rooom: 'x' }));
    // @ts-expect-error new message answers a SendOk (id, seq, ts, room, duplicate)
    route('new message', {}, async () => ({ id: 'x' }));
    expect(true).toBe(true);
  });

  it('refuses a socket.on listener for a client event on the relay (it would never fire: routes handle them)', () => {
    const listen = (socket: ParleySocket) => {
      socket.on('disconnect', () => {});
      // @ts-expect-error client events are routed, not listened to
      socket.on('room:join', () => {});
    };
    expect(typeof listen).toBe('function');
  });

  it('types the arguments a client passes to request()', () => {
    expectTypeOf<RequestArgs<'room:list'>>().toEqualTypeOf<[]>();
    expectTypeOf<RequestArgs<'room:join'>>().toEqualTypeOf<[request: RequestOf<'room:join'>]>();
    const join: RequestArgs<'room:join'> = [{ room: 'dev', create: true }];
    // @ts-expect-error `room` is required
    const missing: RequestArgs<'room:join'> = [{ create: true }];
    // @ts-expect-error typing has no ack, so it is not a request
    type NoAck = RequestArgs<'typing'>;
    expect([join, missing, null as unknown as NoAck]).toHaveLength(3);
  });

  it('narrows a failure to the codes the event declares', () => {
    expectTypeOf<ErrorsOf<'room:list'>>().toEqualTypeOf<(typeof COMMON_ERRORS)[number] | 'NOT_LOGGED_IN'>();
    expectTypeOf<Extract<ErrorsOf<'add user'>, 'NOT_LOGGED_IN'>>().toBeNever();
    expectTypeOf<OkOf<'new message'>>().toEqualTypeOf<SendOk>();
    // @ts-expect-error room:leave cannot fail with TOO_LARGE
    const wrong: Answer<'room:leave'> = { ok: false, code: 'TOO_LARGE', message: 'x' };
    const right: Answer<'room:leave'> = { ok: false, code: 'CANNOT_LEAVE_LOBBY', message: 'x' };
    expect([wrong, right]).toHaveLength(2);
  });
});

describe('runtime tables', () => {
  it('has a schema for every event of the table, and no other', () => {
    expect(Object.keys(REQUEST_SCHEMAS).sort()).toEqual(Object.keys(CLIENT_EVENTS).sort());
  });

  it('declares common codes for every event, NOT_LOGGED_IN only after login, and the rest per event', () => {
    for (const event of Object.keys(CLIENT_EVENTS) as ClientEvent[]) {
      for (const code of COMMON_ERRORS) expect(declaresError(event, code)).toBe(true);
      expect(declaresError(event, ErrorCode.NOT_LOGGED_IN)).toBe(CLIENT_EVENTS[event].needsLogin);
    }
    expect(declaresError('room:leave', ErrorCode.CANNOT_LEAVE_LOBBY)).toBe(true);
    expect(declaresError('room:leave', ErrorCode.TOO_LARGE)).toBe(false);
    expect(declaresError('add user', ErrorCode.NICKNAME_TAKEN)).toBe(true);
  });

  it('every declared code is a real ErrorCode', () => {
    const known = new Set(Object.values(ErrorCode));
    for (const { errors } of Object.values(CLIENT_EVENTS)) for (const code of errors) expect(known.has(code)).toBe(true);
  });
});
