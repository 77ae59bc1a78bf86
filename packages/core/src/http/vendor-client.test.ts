import { describe, expect, it } from 'vitest';
import { createVendorClient, formOf, type KyLike, trimBaseUrl } from '../http.js';

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
});
