import { describe, expect, it } from 'vitest';
import { charsetByLabel, encodedLength, encodeText } from '../../src/emulator/charsets.js';

/* The emulator's document encoders: bytes pinned from the Windows-1252 and Shift_JIS (cp932) tables, `?` for what a charset lacks. */

describe('document charsets', () => {
  it.each<[string, 'utf-8' | 'windows-1252' | 'shift_jis', number[]]>([
    ['Müller – 10 €™', 'windows-1252', [0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72, 0x20, 0x96, 0x20, 0x31, 0x30, 0x20, 0x80, 0x99]],
    ['„cœur“ ’', 'windows-1252', [0x84, 0x63, 0x9c, 0x75, 0x72, 0x93, 0x20, 0x92]],
    // Polish ż and ł are not in Windows-1252; ó is.
    ['żółty', 'windows-1252', [0x3f, 0xf3, 0x3f, 0x74, 0x79]],
    ['ソ水筒（', 'shift_jis', [0x83, 0x5c, 0x90, 0x85, 0x93, 0x9b, 0x81, 0x69]],
    ['ｱ\\~', 'shift_jis', [0xb1, 0x5c, 0x7e]],
    // cp932 has no umlauts or ™.
    ['ü™', 'shift_jis', [0x3f, 0x3f]],
    ['ü', 'utf-8', [0xc3, 0xbc]],
  ])('%s in %s', (text, encoding, bytes) => {
    expect([...encodeText(text, encoding)]).toEqual(bytes);
    expect(encodedLength(text, encoding)).toBe(bytes.length);
  });

  it('finds the labels Amazon sends, in any case, and nothing else', () => {
    expect(charsetByLabel('cp1252')).toEqual({ label: 'Cp1252', encoding: 'windows-1252' });
    expect(charsetByLabel('WINDOWS-31J')).toEqual({ label: 'windows-31j', encoding: 'shift_jis' });
    expect(charsetByLabel('shift_jis')?.label).toBe('Shift_JIS');
    expect(charsetByLabel('utf8')).toBeUndefined();
    expect(charsetByLabel('latin1')).toBeUndefined();
  });
});
