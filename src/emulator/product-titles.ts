import type { CharsetEncoding } from './charsets.js';

/*
 * Product titles in the language of the marketplace, as sellers list them there. They carry the
 * characters that break integrations: umlauts, the euro sign, dashes and ™ (outside Latin-1, in
 * Windows-1252), Polish letters (outside Windows-1252, so a Cp1252 document shows `?`), and
 * Japanese with ソ, whose second Shift_JIS byte is 0x5C, the backslash. Everything here is the
 * emulator's own invention; only the character repertoire is the point.
 */

/** The English words the generated catalogue is made of (order-data.ts picks one of each). */
export const ADJECTIVES = ['Stainless', 'Bamboo', 'Wireless', 'Organic', 'Compact', 'Heavy-Duty', 'Foldable', 'Insulated'] as const;
export const NOUNS = ['Water Bottle', 'Cutting Board', 'Phone Charger', 'Tea Sampler', 'Desk Lamp', 'Tool Kit', 'Yoga Mat', 'Lunch Box'] as const;

type Words = readonly [string, string, string, string, string, string, string, string];

interface Language {
  adjectives: Words;
  nouns: Words;
  title(adjective: string, noun: string): string;
}

// The seller's house brand, with an umlaut in every market.
export const BRAND = 'Müller Home';

const LANGUAGES = {
  en: { adjectives: ADJECTIVES, nouns: NOUNS, title: (a: string, n: string) => `${a} ${n} – ${BRAND}™` },
  de: {
    adjectives: ['Edelstahl', 'Bambus', 'Kabellos', 'Bio', 'Kompakt', 'Robust', 'Faltbar', 'Isoliert'],
    nouns: ['Trinkflasche', 'Schneidebrett', 'Ladegerät', 'Teeprobierset', 'Schreibtischlampe', 'Werkzeugsatz', 'Yogamatte', 'Brotdose'],
    title: (a: string, n: string) => `${n} „${a}“ – ${BRAND}, Größe M, 10 €`,
  },
  fr: {
    adjectives: ['inox', 'en bambou', 'sans fil', 'bio', 'compact', 'renforcé', 'pliable', 'isotherme'],
    nouns: ['Gourde', 'Planche à découper', 'Chargeur', 'Coffret de thés', 'Lampe de bureau', 'Boîte à outils', 'Tapis de yoga', 'Boîte à déjeuner'],
    title: (a: string, n: string) => `${n} ${a} – ${BRAND}, cœur d’été, 10 €`,
  },
  es: {
    adjectives: ['de acero', 'de bambú', 'inalámbrico', 'ecológico', 'compacto', 'resistente', 'plegable', 'térmico'],
    nouns: ['Botella', 'Tabla de cortar', 'Cargador', 'Surtido de tés', 'Lámpara de escritorio', 'Caja de herramientas', 'Esterilla de yoga', 'Fiambrera'],
    title: (a: string, n: string) => `${n} ${a} – ${BRAND}, tamaño pequeño`,
  },
  it: {
    adjectives: ['in acciaio', 'di bambù', 'senza fili', 'biologico', 'compatto', 'robusto', 'pieghevole', 'termico'],
    nouns: ['Borraccia', 'Tagliere', 'Caricatore', 'Assortimento di tè', 'Lampada da scrivania', 'Cassetta degli attrezzi', 'Tappetino yoga', 'Portapranzo'],
    title: (a: string, n: string) => `${n} ${a} – ${BRAND}, qualità €`,
  },
  nl: {
    adjectives: ['rvs', 'bamboe', 'draadloos', 'biologisch', 'compact', 'stevig', 'opvouwbaar', 'geïsoleerd'],
    nouns: ['Drinkfles', 'Snijplank', 'Oplader', 'Theeproeverij', 'Bureaulamp', 'Gereedschapsset', 'Yogamat', 'Broodtrommel'],
    title: (a: string, n: string) => `${n} ${a} – ${BRAND}, één maat`,
  },
  pl: {
    adjectives: ['stalowa', 'bambusowa', 'bezprzewodowa', 'ekologiczna', 'kompaktowa', 'wytrzymała', 'składana', 'izolowana'],
    nouns: ['Butelka', 'Deska do krojenia', 'Ładowarka', 'Zestaw herbat', 'Lampka biurkowa', 'Zestaw narzędzi', 'Mata do jogi', 'Śniadaniówka'],
    title: (a: string, n: string) => `${n} ${a} – ${BRAND}, żółty`,
  },
  ja: {
    adjectives: ['ステンレス', '竹製', 'ワイヤレス', 'オーガニック', 'コンパクト', '頑丈な', '折りたたみ式', '保温'],
    nouns: ['水筒', 'まな板', '充電器', '紅茶セット', 'デスクライト', '工具セット', 'ヨガマット', '弁当箱'],
    title: (a: string, n: string) => `${a}${n} ミュラーホーム（ソフトケース付き）`,
  },
} satisfies Record<string, Language>;

type LanguageCode = keyof typeof LANGUAGES;

// By marketplace id (spapi-facts §2.2); the rest list in English.
const LANGUAGE_BY_MARKETPLACE: Readonly<Record<string, LanguageCode>> = {
  A1PA6795UKMFR9: 'de',
  A13V1IB3VIYZZH: 'fr',
  AMEN7PMS3EDWL: 'fr',
  A1RKKUPIHCS9HS: 'es',
  A1AM78C64UM0Y8: 'es',
  APJ6JRA9NG5V4: 'it',
  A1805IZSGTT6HS: 'nl',
  A1C3SOZRARQ6R3: 'pl',
  A1VC38T7YXB528: 'ja',
};

/** Which words of the catalogue a product is made of (indexes into ADJECTIVES and NOUNS). */
export interface TitleWords {
  adjective: number;
  noun: number;
}

/** The product's title on `marketplaceId`. */
export function productTitle(words: TitleWords, marketplaceId: string): string {
  return titleIn(LANGUAGE_BY_MARKETPLACE[marketplaceId] ?? 'en', words);
}

/** A title in the language a charset is typically used for (synthetic documents have no marketplace). */
export function titleForCharset(words: TitleWords, encoding: CharsetEncoding): string {
  return titleIn(encoding === 'shift_jis' ? 'ja' : encoding === 'windows-1252' ? 'de' : 'en', words);
}

function titleIn(code: LanguageCode, words: TitleWords): string {
  const language: Language = LANGUAGES[code];
  return language.title(language.adjectives[words.adjective % 8] ?? '', language.nouns[words.noun % 8] ?? '');
}
