import { createDispatcher, isOtpError, type OtpError, type OtpMessage } from '@otpkit/core';
import { describe, expect, it } from 'vitest';
import { assertNoSecrets, sendExpectingFailure, within } from './assertions.js';
import type { ConformanceHarness } from './conformance.js';

/** The statuses a redirect comes with; none is followed. */
export const REDIRECT_STATUSES = [301, 302, 303, 307, 308] as const;

/**
 * The cases of a vendor that answers as an attacker would (a compromised DNS entry, a captive proxy,
 * a misconfigured load balancer, a vendor bug): redirects, replies too large, endless, dribbling or
 * cut off, error replies that echo the credentials or the code, and base URLs carrying a password.
 * Each runs when the harness offers what it needs (`respond`, `create`, `echoError`).
 */
export function describeHostileVendor(
  getHarness: () => ConformanceHarness,
  message: OtpMessage,
  abortWithinMs: number,
): void {
  const context = (signal: AbortSignal = new AbortController().signal) => ({ signal, attempt: 1 });
  const code = /\d{4,10}/.exec(message.body)?.[0];
  const secretsOf = (harness: ConformanceHarness) => [
    ...harness.secrets,
    message.body,
    ...(code === undefined ? [] : [code]),
  ];
  /** Runs a case when the harness can script it, else skips it visibly. */
  const when = <K extends 'respond' | 'create' | 'echoError'>(
    needs: readonly K[],
    test: (harness: ConformanceHarness & Required<Pick<ConformanceHarness, K>>) => Promise<void>,
  ) => {
    return async (ctx: { skip(): void }) => {
      const harness = getHarness();
      if (needs.some((need) => harness[need] === undefined)) {
        ctx.skip();
        return;
      }
      await test(harness as ConformanceHarness & Required<Pick<ConformanceHarness, K>>);
    };
  };

  describe('a hostile vendor', () => {
    for (const status of REDIRECT_STATUSES) {
      it(
        `never follows a ${status} redirect: INVALID_RESPONSE naming the status, never the location`,
        when(['respond'], async (harness) => {
          // To the request's own URL, with the credentials in the query: followed, the emulator would
          // answer it (a POST again, or a GET) and the send would not end as below.
          const secret = encodeURIComponent(harness.secrets[0] ?? 'x');
          const redirect = (request: Request) =>
            new Response(null, { status, headers: { location: `${request.url}?steal=${secret}` } });
          await harness.respond(redirect);
          const error = await sendExpectingFailure(harness.provider, message, context());
          expect(error.code).toBe('INVALID_RESPONSE');
          expect(error.status).toBe(status);
          expect(error.message).toContain(`HTTP ${status}`);
          expect(error.message).toContain('redirect');
          expect(error.message).not.toContain('steal');
          assertNoSecrets(error, secretsOf(harness));

          // Under a dispatcher too (its deadline path), with a failed event and no retry.
          await harness.respond(redirect);
          const dispatcher = createDispatcher({ providers: [harness.provider], retry: { retries: 0 } });
          const failed: OtpError[] = [];
          dispatcher.on('failed', (event) => failed.push(event.error));
          const viaDispatcher = await dispatcher.send(message).then(
            () => undefined,
            (caught: unknown) => caught as OtpError,
          );
          await dispatcher.close();
          expect(viaDispatcher?.code).toBe('INVALID_RESPONSE');
          expect(failed.map((failure) => failure.code)).toEqual(['INVALID_RESPONSE']);
        }),
      );
    }

    it(
      'refuses a reply over maxResponseBytes (default 64 KiB): INVALID_RESPONSE, nothing kept',
      when(['respond'], async (harness) => {
        const huge = JSON.stringify({ id: 'x', padding: 'x'.repeat(1_000_000) });
        await harness.respond(() => new Response(huge, { status: 200 }));
        const error = await sendExpectingFailure(harness.provider, message, context());
        expect(error.code).toBe('INVALID_RESPONSE');
        expect(error.message).toContain('65536 bytes');
        assertNoSecrets(error, secretsOf(harness));
      }),
    );

    it(
      'cancels an endless reply once past the cap',
      when(['respond'], async (harness) => {
        let pulled = 0;
        await harness.respond(
          () =>
            new Response(
              new ReadableStream<Uint8Array>({
                pull(controller) {
                  pulled++;
                  controller.enqueue(new Uint8Array(16_384).fill(0x20));
                },
              }),
              { status: 200 },
            ),
        );
        const error = await within(
          sendExpectingFailure(harness.provider, message, context()),
          abortWithinMs,
          'an endless reply was not cut off',
        );
        expect(error.code).toBe('INVALID_RESPONSE');
        // Read up to the cap and a little more, then no more: not read on and on. (Whether the cancel
        // reaches the source depends on the transport: msw tees the body; on a socket it closes.)
        const pulledAtFailure = pulled;
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(pulled).toBeLessThanOrEqual(pulledAtFailure + 2);
        expect(pulled).toBeLessThan(64);
      }),
    );

    it(
      'takes a smaller maxResponseBytes from the options',
      when(['respond', 'create'], async (harness) => {
        const provider = harness.create({ maxResponseBytes: 1024 });
        await harness.respond(
          () => new Response(JSON.stringify({ padding: 'x'.repeat(2048) }), { status: 200 }),
        );
        const error = await sendExpectingFailure(provider, message, context());
        expect(error.code).toBe('INVALID_RESPONSE');
        expect(error.message).toContain('1024 bytes');
      }),
    );

    it(
      'ends a dribbling body with TIMEOUT by its own timeoutMs when used without a dispatcher',
      when(['respond', 'create'], async (harness) => {
        const provider = harness.create({ timeoutMs: 300 });
        let timer: ReturnType<typeof setInterval> | undefined;
        await harness.respond(
          () =>
            new Response(
              new ReadableStream<Uint8Array>({
                start(controller) {
                  controller.enqueue(new TextEncoder().encode('{"padding":"'));
                  timer = setInterval(() => controller.enqueue(new Uint8Array([0x78])), 50);
                },
                cancel() {
                  clearInterval(timer);
                },
              }),
              { status: 200 },
            ),
        );
        try {
          const error = await within(
            sendExpectingFailure(provider, message, context()),
            300 + abortWithinMs,
            'a dribbling body outlived the time limit',
          );
          expect(error.code).toBe('TIMEOUT');
          assertNoSecrets(error, secretsOf(harness));
        } finally {
          clearInterval(timer);
        }
      }),
    );

    it(
      'classes a reply cut off after its status as INVALID_RESPONSE (the vendor may have taken it), not NETWORK',
      when(['respond'], async (harness) => {
        await harness.respond(
          () =>
            new Response(
              new ReadableStream<Uint8Array>({
                start(controller) {
                  controller.enqueue(new TextEncoder().encode('{"id":"'));
                  controller.error(new TypeError('terminated'));
                },
              }),
              { status: 200 },
            ),
        );
        const error = await sendExpectingFailure(harness.provider, message, context());
        expect(error.code).toBe('INVALID_RESPONSE');
        expect(error.retryable).toBe(false);
      }),
    );

    it(
      'refuses a baseUrl with user:password@, ?query or #fragment (INVALID_CONFIG), never echoing it',
      when(['create'], async (harness) => {
        for (const baseUrl of [
          'https://user:hunter2-password@api.vendor.example',
          'https://api.vendor.example/?token=hunter2-password',
          'https://api.vendor.example/#hunter2-password',
        ]) {
          let thrown: unknown;
          try {
            harness.create({ baseUrl });
          } catch (error) {
            thrown = error;
          }
          expect(isOtpError(thrown, 'INVALID_CONFIG'), baseUrl).toBe(true);
          assertNoSecrets(thrown, ['hunter2-password']);
        }
      }),
    );

    it(
      "redacts the credentials and the code from the vendor's code and text, on every status",
      when(['echoError'], async (harness) => {
        const secret = harness.secrets[0] ?? 'no-secret';
        const spaced = message.body.replace(/ /g, '  ');
        for (const status of harness.echoStatuses ?? [400, 503]) {
          for (const echo of [
            { code: secret, text: `key ${secret} refused` },
            { code: 'E413', text: `text containing ${code ?? ''} is not allowed` },
            { code: 'E413', text: `body "${spaced}" refused` },
            { code: `${secret}-${'x'.repeat(500)}`, text: 'long code' },
            { code: `E1\r\n${code ?? ''}`, text: 'code with a line break' },
          ]) {
            await harness.echoError({ ...echo, status });
            const error = await sendExpectingFailure(harness.provider, message, context());
            const seen = `HTTP ${status}, code ${JSON.stringify(echo.code.slice(0, 20))}`;
            assertNoSecrets(error, secretsOf(harness));
            if (error.providerCode !== undefined) {
              expect(error.providerCode.length, seen).toBeLessThanOrEqual(64);
              expect(error.providerCode, seen).toMatch(/^[\w.:\-[\]]+$/);
            }
          }
        }
      }),
    );
    it(
      'any status, body and Retry-After ends the send with a receipt or an OtpError that leaks no secret and pollutes no prototype',
      when(['respond'], async (harness) => {
        const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
        const secret = harness.secrets[0] ?? 'no-secret';
        const bodies = [
          '{"__proto__":{"polluted":"yes"}}',
          '{"constructor":{"prototype":{"polluted":"yes"}}}',
          '{"code":"__proto__","message":"x"}',
          '{"code":"constructor","message":"x"}',
          '{"code":"toString","message":"x"}',
          JSON.stringify({ code: 'E413', message: `${message.body} and key ${secret}` }),
          JSON.stringify({ code: secret, message: `"${message.body}" refused` }),
          'null',
          '[]',
          '"ok"',
          '',
          '<html>502</html>',
          '{"id":',
          JSON.stringify({ padding: 'x'.repeat(5000) }),
        ];
        const statuses = [200, 201, 202, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 599];
        const retryAfters = [
          '0',
          '1.5',
          '-1',
          'NaN',
          '1e9',
          '99999999999999999999',
          'Wed, 21 Oct 2015 07:28:00 GMT',
          '',
        ];
        let index = 0;
        for (const status of statuses) {
          for (const body of bodies) {
            const retryAfter = retryAfters[index++ % (retryAfters.length + 1)];
            const headers = new Headers({ 'content-type': 'application/json' });
            if (retryAfter !== undefined) headers.set('retry-after', retryAfter);
            await harness.respond(() => new Response(body, { status, headers }));
            const seen = `HTTP ${status}, body ${body.slice(0, 40)}, Retry-After ${String(retryAfter)}`;
            let outcome: unknown;
            try {
              const receipt = await within(harness.provider.send(message, context()), abortWithinMs, seen);
              expect(status, seen).toBeGreaterThanOrEqual(200);
              expect(status, seen).toBeLessThan(300);
              expect(receipt.messageId.length, seen).toBeGreaterThan(0);
              expect(Number.isNaN(receipt.acceptedAt.getTime()), seen).toBe(false);
            } catch (error) {
              outcome = error;
            }
            if (outcome !== undefined) {
              expect(isOtpError(outcome), `${seen}: ${String(outcome)}`).toBe(true);
              assertNoSecrets(outcome, secretsOf(harness));
              const { retryAfterMs } = outcome as OtpError;
              if (retryAfterMs !== undefined) {
                expect(Number.isFinite(retryAfterMs) && retryAfterMs >= 0, seen).toBe(true);
              }
            }
            expect(Object.getOwnPropertyNames(Object.prototype).sort(), seen).toEqual(prototypeKeys);
            expect(({} as Record<string, unknown>).polluted, seen).toBeUndefined();
          }
        }
      }),
    );
  });
}
