import { describe, expect, it } from 'vitest';
import { API_TOKEN, ENDPOINT, emulator } from './__fixtures__/sinch-setup.js';

const post = (body: unknown, headers: Record<string, string> = {}, url = ENDPOINT) =>
  fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
const batch = { to: ['+46700000001'], body: 'Your code is 482913', from: '+12015550100' };

describe('the Sinch emulator', () => {
  it('201 with the batch and a 26-character id; counts the recipient', async () => {
    const reply = await post(batch);
    expect(reply.status).toBe(201);
    const body = await reply.json();
    expect(body).toMatchObject({ ...batch, type: 'mt_text', canceled: false, delivery_report: 'none' });
    expect(body.id).toMatch(/^[0-9A-Z]{26}$/);
    expect(emulator.accepted('+46700000001')).toBe(1);
  });

  it('401 with no body for a wrong token; 404 for another service plan; 415 without JSON', async () => {
    const wrong = await post(batch, { authorization: 'Bearer nope' });
    expect([wrong.status, await wrong.text()]).toEqual([401, '']);
    expect((await post(batch, {}, ENDPOINT.replace('/xms/v1/', '/xms/v1/other'))).status).toBe(404);
    expect((await post(batch, { 'content-type': 'text/plain' })).status).toBe(415);
  });

  it('refuses a batch as Sinch does', async () => {
    const cases: [unknown, string][] = [
      [{ ...batch, from: undefined }, 'syntax_constraint_violation'],
      [{ ...batch, body: '' }, 'syntax_constraint_violation'],
      [{ ...batch, to: ['not a number'] }, 'syntax_invalid_parameter_format'],
      [{ ...batch, to: ['+46700000001', '+46700000002'] }, 'syntax_invalid_parameter_format'],
      [{ ...batch, delivery_report: 'always' }, 'syntax_invalid_parameter_format'],
    ];
    for (const [body, code] of cases) {
      const reply = await post(body);
      expect(reply.status).toBe(400);
      expect((await reply.json()).code).toBe(code);
    }
    expect(emulator.accepted()).toBe(0);
  });

  it('its own faults: an empty 429 with Retry-After, an empty 5xx, an error body', async () => {
    emulator.failNext({ kind: 'rate-limit', retryAfter: 2 });
    const limited = await post(batch);
    expect([limited.status, limited.headers.get('retry-after'), await limited.text()]).toEqual([
      429,
      '2',
      '',
    ]);
    emulator.failNext({ kind: 'unavailable', status: 500 });
    expect((await post(batch)).status).toBe(500);
    emulator.failNext({ kind: 'error', code: 'unknown_campaign', status: 403 });
    const refused = await post(batch);
    expect([refused.status, (await refused.json()).code]).toEqual([403, 'unknown_campaign']);
    expect(emulator.requests.every((request) => request.headers.authorization === '[redacted]')).toBe(true);
  });
});
