import type { Region } from '../../amazon/regions.ts';

/** An Amazon marketplace as the offer sync needs it: where it is served and which currency its prices are in. */
export interface AmazonMarketplace {
  id: string;
  countryCode: string;
  currency: string;
  region: Region;
}

/** Amazon's marketplace ids and their default currencies (developer-docs.amazon.com/sp-api/docs/marketplace-ids). */
export const AMAZON_MARKETPLACES: ReadonlyMap<string, AmazonMarketplace> = new Map(
  (
    [
      ['na', 'ATVPDKIKX0DER', 'US', 'USD'],
      ['na', 'A2EUQ1WTGCTBG2', 'CA', 'CAD'],
      ['na', 'A1AM78C64UM0Y8', 'MX', 'MXN'],
      ['na', 'A2Q3Y263D00KWC', 'BR', 'BRL'],
      ['eu', 'A1PA6795UKMFR9', 'DE', 'EUR'],
      ['eu', 'A13V1IB3VIYZZH', 'FR', 'EUR'],
      ['eu', 'APJ6JRA9NG5V4', 'IT', 'EUR'],
      ['eu', 'A1RKKUPIHCS9HS', 'ES', 'EUR'],
      ['eu', 'A1805IZSGTT6HS', 'NL', 'EUR'],
      ['eu', 'AMEN7PMS3EDWL', 'BE', 'EUR'],
      ['eu', 'A28R8C7NBKEWEA', 'IE', 'EUR'],
      ['eu', 'A1F83G8C2ARO7P', 'GB', 'GBP'],
      ['eu', 'A2NODRKZP88ZB9', 'SE', 'SEK'],
      ['eu', 'A1C3SOZRARQ6R3', 'PL', 'PLN'],
      ['eu', 'A33AVAJ2PDY3EV', 'TR', 'TRY'],
      ['eu', 'A2VIGQ35RCS4UG', 'AE', 'AED'],
      ['eu', 'A17E79C6D8DWNP', 'SA', 'SAR'],
      ['eu', 'ARBP9OOSHTCHU', 'EG', 'EGP'],
      ['eu', 'A21TJRUUN4KGV', 'IN', 'INR'],
      ['eu', 'AE08WJ6YKNBMC', 'ZA', 'ZAR'],
      ['fe', 'A1VC38T7YXB528', 'JP', 'JPY'],
      ['fe', 'A39IBJ37TRP1C6', 'AU', 'AUD'],
      ['fe', 'A19VAU5U5O7RUS', 'SG', 'SGD'],
    ] as const
  ).map(([region, id, countryCode, currency]) => [id, { id, countryCode, currency, region }]),
);

export function amazonMarketplace(id: string): AmazonMarketplace | undefined {
  return AMAZON_MARKETPLACES.get(id);
}
