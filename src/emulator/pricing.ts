import { createHash } from 'node:crypto';
import type { CallContext, HandlerTable } from './handler.js';
import { marketplaceById } from './marketplaces.js';
import { checkBody, enumParam, marketplaceParam } from './product-query.js';
import { availabilityOf, priceIn, quantityOf, valuesIn } from './product-store.js';
import type { CatalogEntry, Listing } from './product-store.js';
import { inRegion } from './regional-hosts.js';
import { invalidInput, notFound } from './replies.js';
import type { Reply } from './replies.js';

/*
 * Product Pricing over the product store: v0 getItemOffers / getListingOffers and 2022-05-01
 * getFeaturedOfferExpectedPriceBatch / getCompetitiveSummary. An ASIN's offers are the caller's
 * buyable listings of it (their purchasable_offer price, in the marketplace's currency) and, for
 * the generated catalogue, one competing FBA offer a few percent above the catalogue price. The
 * featured offer (Buy Box) is the lowest landed price, so a seller who patches their price below
 * the competitor's wins it, and one who raises it above loses it.
 */

const V0 = 'productPricingV0';
const V2022 = 'productPricing_2022-05-01';
const CONDITIONS = ['New', 'Used', 'Collectible', 'Refurbished', 'Club'] as const;
type Condition = (typeof CONDITIONS)[number];
const FOEP_URI = '/products/pricing/2022-05-01/offer/featuredOfferExpectedPrice';
const SUMMARY_URI = '/products/pricing/2022-05-01/items/competitiveSummary';
// "a batched list of up to 40 requests" (the model's getFeaturedOfferExpectedPriceBatch text).
const MAX_FOEP_REQUESTS = 40;

interface MarketOffer {
  sellerId: string;
  sku?: string;
  mine: boolean;
  condition: Condition;
  subCondition: string;
  price: number;
  shipping: number;
  currencyCode: string;
  fba: boolean;
}

/** condition_type (new_new, used_like_new…) as v0's condition and sub-condition. */
function conditionOf(listing: Listing, marketplaceId: string): { condition: Condition; subCondition: string } {
  const value = String(valuesIn(listing.attributes, 'condition_type', marketplaceId)[0]?.['value'] ?? 'new_new');
  const [group = 'new', sub = 'new'] = value.split('_', 2);
  const condition = (CONDITIONS.find((c) => c.toLowerCase() === group) ?? 'New') as Condition;
  const subs: Record<string, string> = { new: 'New', open: 'OpenBox', oem: 'OEM', like: 'Mint', very: 'VeryGood', good: 'Good', acceptable: 'Acceptable', refurbished: 'Refurbished', club: 'Club' };
  return { condition, subCondition: subs[sub] ?? 'Other' };
}

function competitorId(asin: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const digest = createHash('sha256').update(`competitor\n${asin}`).digest();
  return `A${[...digest.subarray(0, 13)].map((byte) => alphabet.charAt(byte % alphabet.length)).join('')}`;
}

/** Every offer on the ASIN in the marketplace: the caller's buyable listings and the seeded competitor. */
function offersFor(ctx: CallContext, entry: CatalogEntry, marketplaceId: string): MarketOffer[] {
  const sellerId = ctx.caller.sellingPartnerId;
  const offers: MarketOffer[] = [];
  for (const listing of ctx.state.products.listings(sellerId).values()) {
    if (listing.asin !== entry.asin || !listing.marketplaceIds.includes(marketplaceId) || quantityOf(listing) === 0) continue;
    const price = priceIn(listing, marketplaceId);
    if (!price) continue;
    const fba = availabilityOf(listing).some((a) => a.fulfillmentChannelCode.startsWith('AMAZON'));
    offers.push({ sellerId, sku: listing.sku, mine: true, ...conditionOf(listing, marketplaceId), price: price.amount, shipping: 0, currencyCode: price.currencyCode, fba });
  }
  const reference = entry.rank > 0 ? priceIn(entry, marketplaceId) : undefined;
  if (reference) {
    const digest = createHash('sha256').update(`competitor price\n${entry.asin}\n${marketplaceId}`).digest();
    const factor = 1.02 + ((digest[0] ?? 0) / 255) * 0.1;
    const decimals = reference.currencyCode === 'JPY' ? 0 : 2;
    const price = Number((reference.amount * factor).toFixed(decimals));
    offers.push({ sellerId: competitorId(entry.asin), mine: false, condition: 'New', subCondition: 'New', price, shipping: 0, currencyCode: reference.currencyCode, fba: true });
  }
  return offers.sort((a, b) => a.price + a.shipping - (b.price + b.shipping) || Number(b.fba) - Number(a.fba) || Number(a.mine) - Number(b.mine));
}

function money(amount: number, currencyCode: string): { CurrencyCode: string; Amount: number } {
  return { CurrencyCode: currencyCode, Amount: amount };
}

function v0Payload(ctx: CallContext, entry: CatalogEntry, marketplaceId: string, itemCondition: Condition, sku?: string): Record<string, unknown> {
  const all = offersFor(ctx, entry, marketplaceId).filter((offer) => offer.condition === itemCondition);
  const winner = all[0];
  const country = marketplaceById(marketplaceId)?.countryCode ?? 'US';
  const channel = (offer: MarketOffer): string => (offer.fba ? 'Amazon' : 'Merchant');
  const counts = new Map<string, number>();
  for (const offer of all) counts.set(channel(offer), (counts.get(channel(offer)) ?? 0) + 1);
  const lowest = [...counts.keys()].map((fulfillmentChannel) => {
    const offer = all.find((o) => channel(o) === fulfillmentChannel);
    if (!offer) throw new Error('unreachable: a counted channel has an offer');
    return {
      condition: itemCondition.toLowerCase(),
      fulfillmentChannel,
      LandedPrice: money(offer.price + offer.shipping, offer.currencyCode),
      ListingPrice: money(offer.price, offer.currencyCode),
      Shipping: money(offer.shipping, offer.currencyCode),
    };
  });
  const numberOfOffers = [...counts].map(([fulfillmentChannel, OfferCount]) => ({ condition: itemCondition.toLowerCase(), fulfillmentChannel, OfferCount }));
  return {
    marketplaceId,
    ASIN: entry.asin,
    ...(sku !== undefined ? { SKU: sku } : {}),
    ItemCondition: itemCondition,
    status: 'Success',
    Identifier: { MarketplaceId: marketplaceId, ASIN: entry.asin, ...(sku !== undefined ? { SellerSKU: sku } : {}), ItemCondition: itemCondition },
    Summary: {
      TotalOfferCount: all.length,
      NumberOfOffers: numberOfOffers,
      LowestPrices: lowest,
      BuyBoxPrices: winner
        ? [{ condition: itemCondition, offerType: 'B2C', LandedPrice: money(winner.price + winner.shipping, winner.currencyCode), ListingPrice: money(winner.price, winner.currencyCode), Shipping: money(winner.shipping, winner.currencyCode), sellerId: winner.sellerId }]
        : [],
      BuyBoxEligibleOffers: numberOfOffers,
    },
    Offers: all.slice(0, 20).map((offer) => ({
      MyOffer: offer.mine,
      offerType: 'B2C',
      SubCondition: offer.subCondition.toLowerCase(),
      SellerId: offer.sellerId,
      SellerFeedbackRating: offer.mine ? { SellerPositiveFeedbackRating: 97, FeedbackCount: 1342 } : { SellerPositiveFeedbackRating: 92, FeedbackCount: 518 },
      ShippingTime: offer.fba ? { minimumHours: 0, maximumHours: 0, availabilityType: 'NOW' } : { minimumHours: 24, maximumHours: 48, availabilityType: 'NOW' },
      ListingPrice: money(offer.price, offer.currencyCode),
      Shipping: money(offer.shipping, offer.currencyCode),
      ...(offer.fba ? {} : { ShipsFrom: { Country: country } }),
      IsFulfilledByAmazon: offer.fba,
      PrimeInformation: { IsPrime: offer.fba, IsNationalPrime: offer.fba },
      IsBuyBoxWinner: offer === winner,
      IsFeaturedMerchant: true,
    })),
  };
}

/** A marketplace the emulated seller sells in and the host serves, or 400. */
function sellingMarketplace(ctx: CallContext, marketplaceId: string, parameter: string): void {
  if (!marketplaceById(marketplaceId)) throw invalidInput(`${parameter} ${marketplaceId} is not a marketplace the seller sells in.`);
  if (!inRegion(marketplaceId, ctx.region)) throw invalidInput('The marketplaces you provided are not valid for region.', `${parameter}: ${marketplaceId}`);
}

function getItemOffers(ctx: CallContext): Reply {
  const marketplaceId = marketplaceParam(ctx, 'MarketplaceId');
  const condition = enumParam(ctx, 'ItemCondition', CONDITIONS, true) ?? 'New';
  enumParam(ctx, 'CustomerType', ['Consumer', 'Business'], false);
  const asin = ctx.pathParams['Asin'] ?? '';
  const entry = ctx.state.products.catalogItem(asin);
  if (!entry) throw notFound(`ASIN ${asin} was not found in marketplace ${marketplaceId}.`);
  return { status: 200, body: { payload: v0Payload(ctx, entry, marketplaceId, condition) } };
}

function getListingOffers(ctx: CallContext): Reply {
  const marketplaceId = marketplaceParam(ctx, 'MarketplaceId');
  const condition = enumParam(ctx, 'ItemCondition', CONDITIONS, true) ?? 'New';
  enumParam(ctx, 'CustomerType', ['Consumer', 'Business'], false);
  const sku = ctx.pathParams['SellerSKU'] ?? '';
  const listing = ctx.state.products.find(ctx.caller.sellingPartnerId, sku);
  const entry = listing && listing.marketplaceIds.includes(marketplaceId) ? ctx.state.products.catalogItem(listing.asin) : undefined;
  if (!entry) throw notFound(`SellerSKU ${sku} was not found in marketplace ${marketplaceId}.`);
  return { status: 200, body: { payload: v0Payload(ctx, entry, marketplaceId, condition, sku) } };
}

function money2022(amount: number, currencyCode: string): { currencyCode: string; amount: number } {
  return { currencyCode, amount };
}

function batchRequests(ctx: CallContext, uri: string, max: number): Array<Record<string, unknown>> {
  const requests = checkBody(ctx)['requests'] as Array<Record<string, unknown>> | undefined;
  if (!requests || requests.length === 0) throw invalidInput('requests is required: a list of 1 or more requests.');
  if (requests.length > max) throw invalidInput(`requests accepts at most ${max} requests; got ${requests.length}.`);
  for (const [i, request] of requests.entries()) {
    if (request['uri'] !== uri) throw invalidInput(`requests[${i}].uri must be ${uri}; got ${JSON.stringify(request['uri'])}.`);
    if (request['method'] !== 'GET') throw invalidInput(`requests[${i}].method must be GET; got ${JSON.stringify(request['method'])}.`);
    sellingMarketplace(ctx, String(request['marketplaceId']), `requests[${i}].marketplaceId`);
  }
  return requests;
}

const OK = { statusCode: 200, reasonPhrase: 'OK' };
const NOT_FOUND = { statusCode: 404, reasonPhrase: 'Not Found' };

function getFeaturedOfferExpectedPriceBatch(ctx: CallContext): Reply {
  const sellerId = ctx.caller.sellingPartnerId;
  const responses = batchRequests(ctx, FOEP_URI, MAX_FOEP_REQUESTS).map((request) => {
    const marketplaceId = String(request['marketplaceId']);
    const sku = String(request['sku']);
    const echo = { marketplaceId, sku, ...(request['segment'] !== undefined ? { segment: request['segment'] } : {}) };
    const listing = ctx.state.products.find(sellerId, sku);
    const entry = listing && listing.marketplaceIds.includes(marketplaceId) ? ctx.state.products.catalogItem(listing.asin) : undefined;
    if (!listing || !entry) {
      return { status: NOT_FOUND, headers: {}, request: echo, body: { errors: [{ code: 'NOT_FOUND', message: `The SKU ${sku} was not found in marketplace ${marketplaceId}.` }] } };
    }
    const offers = offersFor(ctx, entry, marketplaceId).filter((offer) => offer.condition === 'New');
    const featured = offers[0];
    const mine = offers.find((offer) => offer.sku === sku);
    const competing = offers.find((offer) => !offer.mine);
    const identifier = (offer: MarketOffer) => ({ marketplaceId, sellerId: offer.sellerId, ...(offer.sku !== undefined ? { sku: offer.sku } : {}), asin: entry.asin, fulfillmentType: offer.fba ? 'AFN' : 'MFN' });
    const featuredOffer = (offer: MarketOffer) => ({
      offerIdentifier: identifier(offer),
      condition: offer.condition,
      price: { listingPrice: money2022(offer.price, offer.currencyCode), shippingPrice: money2022(offer.shipping, offer.currencyCode) },
    });
    const ownId = { marketplaceId, sellerId, sku, asin: entry.asin, fulfillmentType: availabilityOf(listing).some((a) => a.fulfillmentChannelCode.startsWith('AMAZON')) ? 'AFN' : 'MFN' };
    let result: Record<string, unknown>;
    if (!mine) result = { resultStatus: 'OFFER_NOT_ELIGIBLE' };
    else if (!competing) result = { resultStatus: 'NO_COMPETING_OFFER', ...(featured ? { currentFeaturedOffer: featuredOffer(featured) } : {}) };
    else {
      // At or below the competitor's landed price (less our shipping) the offer can expect to be featured.
      const foep = Math.max(0, competing.price + competing.shipping - mine.shipping);
      result = {
        featuredOfferExpectedPrice: { listingPrice: money2022(foep, mine.currencyCode) },
        resultStatus: 'VALID_FOEP',
        competingFeaturedOffer: featuredOffer(competing),
        ...(featured ? { currentFeaturedOffer: featuredOffer(featured) } : {}),
      };
    }
    return { status: OK, headers: {}, request: echo, body: { offerIdentifier: ownId, featuredOfferExpectedPriceResults: [result] } };
  });
  return { status: 200, body: { responses } };
}

function getCompetitiveSummary(ctx: CallContext): Reply {
  const responses = batchRequests(ctx, SUMMARY_URI, 20).map((request) => {
    const marketplaceId = String(request['marketplaceId']);
    const asin = String(request['asin']);
    const included = new Set(request['includedData'] as string[]);
    const entry = ctx.state.products.catalogItem(asin);
    if (!entry) return { status: NOT_FOUND, body: { asin, marketplaceId, errors: [{ code: 'NOT_FOUND', message: `The ASIN ${asin} was not found in marketplace ${marketplaceId}.` }] } };
    const offers = offersFor(ctx, entry, marketplaceId);
    const offer2022 = (offer: MarketOffer) => ({
      sellerId: offer.sellerId,
      condition: offer.condition,
      subCondition: offer.subCondition,
      fulfillmentType: offer.fba ? 'AFN' : 'MFN',
      listingPrice: money2022(offer.price, offer.currencyCode),
      shippingOptions: [{ shippingOptionType: 'DEFAULT', price: money2022(offer.shipping, offer.currencyCode) }],
      primeDetails: { eligibility: offer.fba ? 'NATIONAL' : 'NONE' },
    });
    const featured = offers.find((offer) => offer.condition === 'New');
    const inputs = (request['lowestPricedOffersInputs'] as Array<{ itemCondition: Condition; offerType: 'Consumer' }> | undefined) ?? [{ itemCondition: 'New', offerType: 'Consumer' }];
    const reference = priceIn(entry, marketplaceId);
    const body: Record<string, unknown> = { asin, marketplaceId };
    if (included.has('featuredBuyingOptions')) {
      body['featuredBuyingOptions'] = featured
        ? [{ buyingOptionType: 'New', segmentedFeaturedOffers: [{ ...offer2022(featured), featuredOfferSegments: [{ customerMembership: 'DEFAULT', segmentDetails: { glanceViewWeightPercentage: 100 } }] }] }]
        : [];
    }
    if (included.has('lowestPricedOffers')) {
      body['lowestPricedOffers'] = inputs.flatMap((input) => {
        const matching = offers.filter((offer) => offer.condition === input.itemCondition).slice(0, 20);
        return matching.length > 0 ? [{ lowestPricedOffersInput: input, offers: matching.map(offer2022) }] : [];
      });
    }
    if (included.has('referencePrices')) body['referencePrices'] = reference ? [{ name: 'CompetitivePriceThreshold', price: money2022(reference.amount, reference.currencyCode) }] : [];
    if (included.has('similarItems')) body['similarItems'] = [];
    return { status: OK, body };
  });
  return { status: 200, body: { responses } };
}

export const pricingHandlers: HandlerTable = {
  [`${V0}.getItemOffers`]: getItemOffers,
  [`${V0}.getListingOffers`]: getListingOffers,
  [`${V2022}.getFeaturedOfferExpectedPriceBatch`]: getFeaturedOfferExpectedPriceBatch,
  [`${V2022}.getCompetitiveSummary`]: getCompetitiveSummary,
};
