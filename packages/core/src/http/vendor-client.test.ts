import { describe, expect, it } from 'vitest';
import { createVendorClient, formOf, isSuccess, type KyLike, requestContext, trimBaseUrl } from '../http.js';

describe('createVendorClient', () => {
  it('creates ky with retry 0, no thrown HTTP errors, the base URL trimmed, accept JSON and the fetch', () => {
    const calls: unknown[] = [];
    const ky: KyLike = {
      create(options) {
        calls.push(options);
        return { post: () => Promise.resolve(new Response(null)) };
      },
    };
    const fetch = () => Promise.resolve(new Response(null));
    createVendorClient({ ky, baseUrl: 'https://api.example.com/v2//', headers: { 'api-key': 'k' }, fetch });
    createVendorClient({ ky, baseUrl: 'https://api.example.com' });
    expect(calls).toEqual([
      {
        prefixUrl: 'https://api.example.com/v2',
        headers: { accept: 'application/json', 'api-key': 'k' },
        retry: 0,
        throwHttpErrors: false,
        fetch,
      },
      {
        prefixUrl: 'https://api.example.com',
        headers: { accept: 'application/json' },
        retry: 0,
        throwHttpErrors: false,
      },
    ]);
  });

  it('trimBaseUrl drops trailing slashes only', () => {
    expect(trimBaseUrl('https://a.example/x///')).toBe('https://a.example/x');
    expect(trimBaseUrl('https://a.example')).toBe('https://a.example');
  });

  it('formOf keeps the fields in their order and leaves out the undefined ones', () => {
    expect(formOf({ to: '+1', type: 'OTP', sender: undefined, body: 'a b&c' }).toString()).toBe(
      'to=%2B1&type=OTP&body=a+b%26c',
    );
  });

  it('requestContext takes the options a request needs and the attempt; isSuccess is a 2xx', () => {
    const signal = new AbortController().signal;
    const fetch = () => Promise.resolve(new Response(null));
    const options = { apiKey: 'k', timeoutMs: 500, maxResponseBytes: 2048, fetch };
    expect(requestContext('acme', options, { signal, attempt: 2, deadline: 99 })).toEqual({
      provider: 'acme',
      signal,
      deadline: 99,
      timeoutMs: 500,
      maxResponseBytes: 2048,
      fetch,
    });
    const reply = (status: number) => ({ status, headers: new Headers(), json: undefined, isJson: false });
    expect([199, 200, 204, 299, 300, 404].map((status) => isSuccess(reply(status)))).toEqual([
      false,
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});
