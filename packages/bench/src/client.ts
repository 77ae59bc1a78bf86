// One client in a fresh process: N sends at concurrency C against the vendor-like server, printing a
// JSON line with throughput, latency percentiles and CPU time per send. Usage:
//   node client.js <kind> <baseUrl> <n> <concurrency>
import type { OtpProvider } from '@otpkit/core';
import type { FetchFunction } from '@otpkit/core/http';
import { percentile } from './stats.js';

type Send = (index: number) => Promise<unknown>;
/** The part of the official Twilio SDK the benchmark uses. */
type TwilioFactory = (
  accountSid: string,
  authToken: string,
) => {
  api: { baseUrl: string };
  messages: { create(params: { to: string; from: string; body: string }): Promise<{ sid: string }> };
};

const [kind = 'fetch', baseUrl = 'http://127.0.0.1:0', nText = '20000', cText = '64'] = process.argv.slice(2);
const n = Number(nText);
const concurrency = Number(cText);
const SID = 'HXBENCH001IN';
const API_KEY = 'bench-api-key';
const TWILIO_SID = `AC${'0'.repeat(32)}`;
const TWILIO_TOKEN = 'bench-auth-token';
const TWILIO_FROM = '+15005550006';
const JSON_KEY = 'KEYbench';
const JSON_FROM = '+15005550006';
const path = `/v1/${SID}/messages`;
const phone = (index: number) => `+1415${String(5_000_000 + (index % 4_000_000)).padStart(7, '0')}`;
const body = (index: number) => `Your login code is ${String(100_000 + (index % 900_000))}`;
const form = (index: number) =>
  new URLSearchParams({ to: phone(index), type: 'OTP', sender: 'KLRHXA', body: body(index) }).toString();
const headers = {
  'api-key': API_KEY,
  'content-type': 'application/x-www-form-urlencoded',
  accept: 'application/json',
};

/** otpkit's dispatcher over one provider, on the global fetch or (with `undici`) the undici transport. */
async function otpkitSender(
  undici: boolean,
  provider: (fetch: FetchFunction | undefined) => OtpProvider,
): Promise<{ send: Send; close: () => Promise<void> }> {
  const { createDispatcher } = await import('@otpkit/core');
  const fetch = undici ? (await import('@otpkit/core/undici')).createUndiciFetch() : undefined;
  const dispatcher = createDispatcher({ providers: [provider(fetch)], concurrency });
  return {
    send: (index) => dispatcher.send({ to: phone(index), body: body(index) }),
    close: async () => {
      await dispatcher.close();
      await fetch?.close();
    },
  };
}

async function makeSender(): Promise<{ send: Send; close?: () => Promise<void> }> {
  switch (kind) {
    case 'undici': {
      const { Agent, request } = await import('undici');
      const dispatcher = new Agent({ connections: concurrency, keepAliveTimeout: 60_000, pipelining: 1 });
      return {
        send: async (index) => {
          const response = await request(`${baseUrl}${path}`, {
            method: 'POST',
            headers,
            body: form(index),
            dispatcher,
          });
          const json = (await response.body.json()) as { data: { message_id: string }[] };
          if (response.statusCode !== 200 || !json.data[0]?.message_id) throw new Error('bad reply');
        },
        close: () => dispatcher.close(),
      };
    }
    case 'fetch':
      return {
        send: async (index) => {
          const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers, body: form(index) });
          const json = (await response.json()) as { data: { message_id: string }[] };
          if (response.status !== 200 || !json.data[0]?.message_id) throw new Error('bad reply');
        },
      };
    case 'ky': {
      const { default: ky } = await import('ky');
      const client = ky.create({
        prefixUrl: baseUrl,
        retry: 0,
        timeout: 10_000,
        throwHttpErrors: false,
        headers,
      });
      return {
        send: async (index) => {
          const response = await client.post(path.slice(1), { body: form(index) });
          const json = (await response.json()) as { data: { message_id: string }[] };
          if (response.status !== 200 || !json.data[0]?.message_id) throw new Error('bad reply');
        },
      };
    }
    case 'otpkit':
    case 'otpkit-undici': {
      const { createKaleyraProvider } = await import('@otpkit/provider-kaleyra');
      return otpkitSender(kind === 'otpkit-undici', (fetch) =>
        createKaleyraProvider({
          sid: SID,
          apiKey: API_KEY,
          sender: 'KLRHXA',
          baseUrl,
          ...(fetch ? { fetch } : {}),
        }),
      );
    }
    case 'twilio-sdk': {
      // Loaded by name, so the SDK's own type declarations (which do not compile with skipLibCheck
      // off) stay out of this project.
      const specifier = 'twilio';
      const { default: twilio } = (await import(specifier)) as { default: TwilioFactory };
      const client = twilio(TWILIO_SID, TWILIO_TOKEN);
      client.api.baseUrl = baseUrl;
      return {
        send: async (index) => {
          const message = await client.messages.create({
            to: phone(index),
            from: TWILIO_FROM,
            body: body(index),
          });
          if (!message.sid) throw new Error('bad reply');
        },
      };
    }
    case 'otpkit-twilio':
    case 'otpkit-twilio-undici': {
      const { createTwilioProvider } = await import('@otpkit/provider-twilio');
      return otpkitSender(kind === 'otpkit-twilio-undici', (fetch) =>
        createTwilioProvider({
          accountSid: TWILIO_SID,
          authToken: TWILIO_TOKEN,
          from: TWILIO_FROM,
          baseUrl,
          ...(fetch ? { fetch } : {}),
        }),
      );
    }
    case 'ky-json': {
      const { default: ky } = await import('ky');
      const client = ky.create({
        prefixUrl: baseUrl,
        retry: 0,
        timeout: 10_000,
        throwHttpErrors: false,
        headers: { authorization: `Bearer ${JSON_KEY}`, accept: 'application/json' },
      });
      return {
        send: async (index) => {
          const response = await client.post('v2/messages', {
            json: { from: JSON_FROM, to: phone(index), text: body(index) },
          });
          const json = (await response.json()) as { data?: { id?: string } };
          if (response.status !== 200 || !json.data?.id) throw new Error('bad reply');
        },
      };
    }
    case 'otpkit-telnyx':
    case 'otpkit-telnyx-undici': {
      const { createTelnyxProvider } = await import('@otpkit/provider-telnyx');
      return otpkitSender(kind === 'otpkit-telnyx-undici', (fetch) =>
        createTelnyxProvider({ apiKey: JSON_KEY, from: JSON_FROM, baseUrl, ...(fetch ? { fetch } : {}) }),
      );
    }
    default:
      throw new Error(`unknown client kind ${kind}`);
  }
}

async function run(send: Send, count: number, latencies?: number[]): Promise<number> {
  let next = 0;
  let errors = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const started = performance.now();
      try {
        await send(index);
      } catch {
        errors++;
      }
      latencies?.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return errors;
}

const { send, close } = await makeSender();
await run(send, Math.min(500, n));
const latencies: number[] = [];
const cpuBefore = process.cpuUsage();
const started = performance.now();
const errors = await run(send, n, latencies);
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
await close?.();
latencies.sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({
    kind,
    n,
    concurrency,
    seconds,
    throughput: n / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    cpuUsPerSend: (cpu.user + cpu.system) / n,
    errors,
  })}\n`,
);
process.exit(0);
