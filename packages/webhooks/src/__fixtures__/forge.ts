import { computeTwilioSignature } from '@otpkit/provider-twilio/testing';
import { signVonageParams } from '@otpkit/provider-vonage';
import { KALEYRA_TOKEN, TWILIO_AUTH_TOKEN, type Vendor, VONAGE_SIGNATURE_SECRET } from './rig.js';

/** How a forged or real callback is made: as the vendor would, or broken in one way. */
export type ForgeMode = 'good' | 'tampered' | 'wrong-secret' | 'missing';

/** A receipt for `messageId` in the vendor's shape (no signature yet). */
export function receiptFields(vendor: Vendor, messageId: string, status: string): Record<string, string> {
  if (vendor === 'kaleyra') return { message_id: messageId, status, recipient: '14155550123' };
  if (vendor === 'twilio') return { MessageSid: messageId, MessageStatus: status, To: '+14155550123' };
  return { messageId, status, msisdn: '14155550123', 'err-code': '0', to: 'Acme' };
}

/** The `fetch` arguments of a callback to `url` carrying `fields`, made as `mode` says. */
export function forge(vendor: Vendor, url: string, fields: Record<string, string>, mode: ForgeMode) {
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  if (vendor === 'kaleyra') {
    const target = new URL(url);
    if (mode !== 'missing') {
      const token =
        mode === 'good' ? KALEYRA_TOKEN : mode === 'tampered' ? `${KALEYRA_TOKEN}x` : 'w'.repeat(32);
      target.searchParams.set('otpkit_token', token);
    }
    return {
      url: target.toString(),
      init: { method: 'POST', headers: form, body: new URLSearchParams(fields).toString() },
    };
  }
  if (vendor === 'twilio') {
    const signature = computeTwilioSignature(
      mode === 'wrong-secret' ? 'not-the-token' : TWILIO_AUTH_TOKEN,
      url,
      fields,
    );
    const sent = mode === 'tampered' ? { ...fields, MessageStatus: `${fields.MessageStatus}x` } : fields;
    const headers: Record<string, string> = { ...form };
    if (mode !== 'missing') headers['x-twilio-signature'] = signature;
    return { url, init: { method: 'POST', headers, body: new URLSearchParams(sent).toString() } };
  }
  const signed: Record<string, string> = {
    ...fields,
    timestamp: String(Math.floor(Date.now() / 1000)),
    nonce: 'n-1',
  };
  signed.sig = signVonageParams(signed, {
    secret: mode === 'wrong-secret' ? 'another-secret' : VONAGE_SIGNATURE_SECRET,
  });
  if (mode === 'tampered') signed.status = `${signed.status}x`;
  if (mode === 'missing') delete signed.sig;
  return {
    url,
    init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(signed) },
  };
}
