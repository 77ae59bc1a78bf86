// One app process of the cross-process test: its own client, store, dispatcher (the fake provider)
// and verifier, all on the Redis the parent names. Bundled by the test with esbuild and run by node;
// it answers the parent's requests over IPC.
import { createDispatcher, isOtpError } from '@otpkit/core';
import { createFakeProvider } from '@otpkit/provider-fake';
import { createVerifier } from '@otpkit/verify';
import { createRedisStore } from '../redis-store.js';
import { type ClientKind, openClient } from './clients.js';

export type ChildCommand =
  | { op: 'start'; to: string }
  | { op: 'check'; to: string; code: string; times: number }
  | { op: 'exit' };
export type ChildRequest = ChildCommand & { id: number };

export interface ChildReply {
  id: number;
  /** start: the code the fake provider got, or the error code. */
  code?: string;
  error?: string;
  /** check: the status of each check, in the order made. */
  statuses?: string[];
}

const kind = process.env.CHILD_CLIENT as ClientKind;
const open = await openClient(kind, Number(process.env.CHILD_REDIS_PORT));
const store = createRedisStore({ client: open.client, prefix: process.env.CHILD_PREFIX! });
const fake = createFakeProvider();
const dispatcher = createDispatcher({ providers: [fake] });
const verifier = createVerifier({
  dispatcher,
  secret: process.env.CHILD_SECRET,
  store,
  resendAfterMs: 0,
  maxSends: { count: 5, windowMs: 600_000 },
  maxAttempts: 5,
});

const reply = (message: ChildReply) => process.send!(message);

process.on('message', async (request: ChildRequest) => {
  if (request.op === 'exit') {
    await dispatcher.close();
    await open.close();
    process.disconnect();
    return;
  }
  if (request.op === 'start') {
    try {
      await verifier.start({ to: request.to });
      reply({ id: request.id, code: fake.lastCode(request.to)! });
    } catch (error) {
      reply({ id: request.id, error: isOtpError(error) ? error.code : String(error) });
    }
    return;
  }
  const checks = Array.from({ length: request.times }, () =>
    verifier.check({ to: request.to, code: request.code }).then(
      (result) => result.status,
      (error: unknown) => (isOtpError(error) ? error.code : String(error)),
    ),
  );
  reply({ id: request.id, statuses: await Promise.all(checks) });
});
reply({ id: 0 });
