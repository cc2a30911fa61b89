import { beforeAll, describe, expect, it } from 'vitest';
import { sellerAccessToken, useEmulator } from '../helpers/emulator.js';
import { callValidated } from '../helpers/validated.js';

/*
 * Product Pricing against the emulator over HTTP: v0 getItemOffers / getListingOffers and
 * 2022-05-01 getFeaturedOfferExpectedPriceBatch / getCompetitiveSummary answer from the product
 * store's prices in the marketplace's currency, and follow a price patched through the Listings
 * Items API (the Buy Box moves). Every answer fits the model.
 */

const SELLER_ID = 'AEMULATORSELLER';
const US = 'ATVPDKIKX0DER';
const DE = 'A1PA6795UKMFR9';
const JP = 'A1VC38T7YXB528';
const FOEP_URI = '/products/pricing/2022-05-01/offer/featuredOfferExpectedPrice';
const SUMMARY_URI = '/products/pricing/2022-05-01/items/competitiveSummary';

interface Money {
  CurrencyCode: string;
  Amount: number;
}
interface Offer {
  MyOffer: boolean;
  SellerId: string;
  ListingPrice: Money;
  IsBuyBoxWinner: boolean;
  IsFulfilledByAmazon: boolean;
}
interface Offers {
  payload: {
    ASIN: string;
    SKU?: string;
    status: string;
    Summary: { TotalOfferCount: number; BuyBoxPrices?: Array<{ ListingPrice: Money; sellerId?: string }> };
    Offers: Offer[];
  };
}
interface Foep {
  responses: Array<{
    status: { statusCode: number };
    request: { sku: string; marketplaceId: string };
    body: {
      offerIdentifier?: { asin: string; sku?: string };
      featuredOfferExpectedPriceResults?: Array<{
        resultStatus: string;
        featuredOfferExpectedPrice?: { listingPrice: { currencyCode: string; amount: number } };
        currentFeaturedOffer?: { offerIdentifier: { sellerId?: string } };
        competingFeaturedOffer?: { offerIdentifier: { sellerId?: string }; price: { listingPrice: { amount: number } } };
      }>;
      errors?: Array<{ code: string }>;
    };
  }>;
}
interface Summary {
  responses: Array<{
    status: { statusCode: number };
    body: {
      asin: string;
      featuredBuyingOptions?: Array<{ segmentedFeaturedOffers: Array<{ sellerId: string; listingPrice: { amount: number; currencyCode: string } }> }>;
      lowestPricedOffers?: Array<{ offers: Array<{ sellerId: string; listingPrice: { amount: number } }> }>;
      referencePrices?: Array<{ name: string; price: { amount: number } }>;
      errors?: Array<{ code: string }>;
    };
  }>;
}
interface Listing {
  summaries: Array<{ asin: string }>;
  offers: Array<{ price: { currencyCode: string; amount: string } }>;
}
interface Errors {
  errors: Array<{ code: string; message: string }>;
}

describe('Product Pricing emulation', () => {
  const emulator = useEmulator({ rateScale: 100_000 });
  let token = '';
  beforeAll(async () => {
    token = await sellerAccessToken(emulator());
  });
  const call = <T>(qualified: string, method: string, path: string, body?: unknown) => callValidated<T>(emulator(), token, qualified, method, path, body);
  const listing = (sku: string, marketplaceId: string) =>
    call<Listing>('listingsItems_2021-08-01.getListingsItem', 'GET', `/listings/2021-08-01/items/${SELLER_ID}/${sku}?marketplaceIds=${marketplaceId}&includedData=summaries,offers`);
  const setPrice = async (sku: string, amount: number) => {
    const reply = await call<{ status: string }>('listingsItems_2021-08-01.patchListingsItem', 'PATCH', `/listings/2021-08-01/items/${SELLER_ID}/${sku}?marketplaceIds=${US}`, {
      productType: 'PRODUCT',
      patches: [{ op: 'merge', path: '/attributes/purchasable_offer', value: [{ marketplace_id: US, currency: 'USD', our_price: [{ schedule: [{ value_with_tax: amount }] }] }] }],
    });
    expect(reply.body.status).toBe('ACCEPTED');
  };
  const setQuantity = async (sku: string, quantity: number) => {
    const reply = await call<{ status: string }>('listingsItems_2021-08-01.patchListingsItem', 'PATCH', `/listings/2021-08-01/items/${SELLER_ID}/${sku}?marketplaceIds=${US}`, {
      productType: 'PRODUCT',
      patches: [{ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity }] }],
    });
    expect(reply.body.status).toBe('ACCEPTED');
  };
  const foep = (requests: Array<{ sku: string; marketplaceId: string }>) =>
    call<Foep>('productPricing_2022-05-01.getFeaturedOfferExpectedPriceBatch', 'POST', '/batches/products/pricing/2022-05-01/offer/featuredOfferExpectedPrice', {
      requests: requests.map((r) => ({ uri: FOEP_URI, method: 'GET', ...r })),
    });

  it('getItemOffers and getListingOffers show the listing price in the marketplace currency', async () => {
    await setQuantity('EMU-SKU-010', 12);
    for (const [marketplaceId, currency] of [[US, 'USD'], [DE, 'EUR'], [JP, 'JPY']] as const) {
      const item = await listing('EMU-SKU-010', marketplaceId);
      const asin = item.body.summaries[0]?.asin ?? '';
      const price = Number(item.body.offers[0]?.price.amount);
      expect(item.body.offers[0]?.price.currencyCode).toBe(currency);
      const offers = await call<Offers>('productPricingV0.getItemOffers', 'GET', `/products/pricing/v0/items/${asin}/offers?MarketplaceId=${marketplaceId}&ItemCondition=New`);
      expect(offers.status).toBe(200);
      expect(offers.body.payload).toMatchObject({ ASIN: asin, status: 'Success' });
      const mine = offers.body.payload.Offers.find((o) => o.MyOffer);
      expect(mine?.ListingPrice).toEqual({ CurrencyCode: currency, Amount: price });
      expect(mine?.SellerId).toBe(SELLER_ID);
      // The generated catalogue has one competing FBA offer.
      expect(offers.body.payload.Summary.TotalOfferCount).toBe(2);
      expect(offers.body.payload.Offers.filter((o) => o.IsBuyBoxWinner)).toHaveLength(1);
      const byListing = await call<Offers>('productPricingV0.getListingOffers', 'GET', `/products/pricing/v0/listings/EMU-SKU-010/offers?MarketplaceId=${marketplaceId}&ItemCondition=New`);
      expect(byListing.body.payload.SKU).toBe('EMU-SKU-010');
      expect(byListing.body.payload.Offers).toEqual(offers.body.payload.Offers);
    }
    const used = await call<Offers>('productPricingV0.getListingOffers', 'GET', `/products/pricing/v0/listings/EMU-SKU-010/offers?MarketplaceId=${US}&ItemCondition=Used`);
    expect(used.body.payload.Offers).toEqual([]);
  });

  it('the Buy Box and the featured offer expected price follow a patched price', async () => {
    const sku = 'EMU-SKU-011';
    await setQuantity(sku, 5);
    const asin = (await listing(sku, US)).body.summaries[0]?.asin ?? '';
    const competitor = async () => {
      const offers = await call<Offers>('productPricingV0.getItemOffers', 'GET', `/products/pricing/v0/items/${asin}/offers?MarketplaceId=${US}&ItemCondition=New`);
      return { offers: offers.body.payload, other: offers.body.payload.Offers.find((o) => !o.MyOffer) };
    };
    const { other } = await competitor();
    const theirs = other?.ListingPrice.Amount ?? 0;
    expect(theirs).toBeGreaterThan(0);

    await setPrice(sku, Number((theirs - 1).toFixed(2)));
    const cheaper = await competitor();
    expect(cheaper.offers.Offers.find((o) => o.MyOffer)?.IsBuyBoxWinner).toBe(true);
    expect(cheaper.offers.Summary.BuyBoxPrices?.[0]?.sellerId).toBe(SELLER_ID);
    const winning = await foep([{ sku, marketplaceId: US }]);
    const won = winning.body.responses[0]?.body.featuredOfferExpectedPriceResults?.[0];
    expect(won?.resultStatus).toBe('VALID_FOEP');
    expect(won?.featuredOfferExpectedPrice?.listingPrice).toEqual({ currencyCode: 'USD', amount: theirs });
    expect(won?.currentFeaturedOffer?.offerIdentifier.sellerId).toBe(SELLER_ID);

    await setPrice(sku, Number((theirs + 5).toFixed(2)));
    const dearer = await competitor();
    expect(dearer.offers.Offers.find((o) => o.MyOffer)?.IsBuyBoxWinner).toBe(false);
    expect(dearer.offers.Offers[0]?.MyOffer).toBe(false);
    const losing = await foep([{ sku, marketplaceId: US }]);
    expect(losing.body.responses[0]?.body.featuredOfferExpectedPriceResults?.[0]?.currentFeaturedOffer?.offerIdentifier.sellerId).toBe(other?.SellerId);

    const summary = await call<Summary>('productPricing_2022-05-01.getCompetitiveSummary', 'POST', '/batches/products/pricing/2022-05-01/items/competitiveSummary', {
      requests: [
        { asin, marketplaceId: US, includedData: ['featuredBuyingOptions', 'lowestPricedOffers', 'referencePrices'], method: 'GET', uri: SUMMARY_URI },
        { asin: 'B0NOTHERE0', marketplaceId: US, includedData: ['featuredBuyingOptions'], method: 'GET', uri: SUMMARY_URI },
      ],
    });
    const [found, missing] = summary.body.responses;
    expect(found?.status.statusCode).toBe(200);
    expect(found?.body.featuredBuyingOptions?.[0]?.segmentedFeaturedOffers[0]).toMatchObject({ sellerId: other?.SellerId, listingPrice: { amount: theirs, currencyCode: 'USD' } });
    expect(found?.body.lowestPricedOffers?.[0]?.offers.map((o) => o.listingPrice.amount)).toEqual([theirs, Number((theirs + 5).toFixed(2))]);
    expect(found?.body.referencePrices?.[0]?.name).toBe('CompetitivePriceThreshold');
    expect(missing?.status.statusCode).toBe(404);
    expect(missing?.body.errors?.[0]?.code).toBe('NOT_FOUND');
  });

  it('an out-of-stock listing has no offer, and an unknown SKU is a 404 in the batch', async () => {
    await setQuantity('EMU-SKU-012', 0);
    const batch = await foep([{ sku: 'EMU-SKU-012', marketplaceId: US }, { sku: 'NO-SUCH-SKU', marketplaceId: US }]);
    expect(batch.status).toBe(200);
    expect(batch.body.responses.map((r) => r.status.statusCode)).toEqual([200, 404]);
    expect(batch.body.responses[0]?.body.featuredOfferExpectedPriceResults?.[0]?.resultStatus).toBe('OFFER_NOT_ELIGIBLE');
    expect(batch.body.responses[1]?.request.sku).toBe('NO-SUCH-SKU');
    const asin = (await listing('EMU-SKU-012', US)).body.summaries[0]?.asin ?? '';
    const offers = await call<Offers>('productPricingV0.getItemOffers', 'GET', `/products/pricing/v0/items/${asin}/offers?MarketplaceId=${US}&ItemCondition=New`);
    expect(offers.body.payload.Offers.some((o) => o.MyOffer)).toBe(false);
  });

  it('refuses bad requests with the error list', async () => {
    const cases: Array<[string, string, string, unknown, number]> = [
      ['productPricingV0.getItemOffers', 'GET', `/products/pricing/v0/items/B0NOTHERE0/offers?MarketplaceId=${US}&ItemCondition=New`, undefined, 404],
      ['productPricingV0.getItemOffers', 'GET', `/products/pricing/v0/items/B0NOTHERE0/offers?MarketplaceId=${US}`, undefined, 400],
      ['productPricingV0.getListingOffers', 'GET', `/products/pricing/v0/listings/NO-SUCH-SKU/offers?MarketplaceId=${US}&ItemCondition=New`, undefined, 404],
      ['productPricingV0.getListingOffers', 'GET', `/products/pricing/v0/listings/EMU-SKU-001/offers?ItemCondition=New`, undefined, 400],
      ['productPricing_2022-05-01.getFeaturedOfferExpectedPriceBatch', 'POST', '/batches/products/pricing/2022-05-01/offer/featuredOfferExpectedPrice', { requests: [{ uri: '/wrong', method: 'GET', marketplaceId: US, sku: 'EMU-SKU-001' }] }, 400],
      ['productPricing_2022-05-01.getFeaturedOfferExpectedPriceBatch', 'POST', '/batches/products/pricing/2022-05-01/offer/featuredOfferExpectedPrice', { requests: [] }, 400],
      ['productPricing_2022-05-01.getCompetitiveSummary', 'POST', '/batches/products/pricing/2022-05-01/items/competitiveSummary', { requests: [{ asin: 'B0X', marketplaceId: US, method: 'GET', uri: SUMMARY_URI }] }, 400],
    ];
    for (const [qualified, method, path, body, status] of cases) {
      const reply = await call<Errors>(qualified, method, path, body);
      expect(reply.status, path).toBe(status);
      expect(reply.body.errors[0]?.message).toBeTruthy();
    }
    const many = Array.from({ length: 41 }, () => ({ sku: 'EMU-SKU-001', marketplaceId: US }));
    expect((await foep(many)).status).toBe(400);
  });
});
