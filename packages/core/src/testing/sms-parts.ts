import { GSM7_CHARSET } from '../http/gsm7.js';

const EXTENSION = new Set(GSM7_CHARSET.extension);

/**
 * How many SMS parts a text takes, as vendors count them: GSM-7 septets (extension characters count
 * two), 160 in one part and 153 per part beyond; with `unicode`, UCS-2 units, 70 and 67.
 */
export function smsParts(text: string, unicode: boolean): number {
  let size = 0;
  if (unicode) size = text.length;
  else for (const character of text) size += EXTENSION.has(character) ? 2 : 1;
  const [single, each] = unicode ? [70, 67] : [160, 153];
  return size <= single ? 1 : Math.ceil(size / each);
}
