/**
 * The GSM 03.38 (3GPP TS 23.038) default alphabet: the basic set (one septet each) and its extension
 * table (two septets each, after an escape). A body made only of these characters can go out as GSM-7
 * (Vonage's default `type=text`); any other character needs UCS-2 (Vonage's `type=unicode`), or it
 * would arrive garbled.
 */
export const GSM7_CHARSET = Object.freeze({
  basic:
    '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
  extension: '\f^{}\\[~]|€',
});

const GSM7 = new Set([...GSM7_CHARSET.basic, ...GSM7_CHARSET.extension]);

/** True when every character of the text is in the GSM-7 basic set or its extension table. */
export function isGsm7(text: string): boolean {
  for (const character of text) if (!GSM7.has(character)) return false;
  return true;
}
