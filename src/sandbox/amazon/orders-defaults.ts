import type { CustomerAddress } from '../../server/sync/orders/amazon-order.ts';

/**
 * Realistic defaults for orders created on the Orders stand-in: a buyer and a delivery address in the marketplace's
 * country, and its standard VAT/GST/sales-tax rate. Names and addresses are well-known placeholder identities.
 */
export interface CountryDefaults {
  /** Standard tax rate in percent that Amazon adds to the item and shipping amounts. */
  taxRate: number;
  buyerName: string;
  address: CustomerAddress;
  /** Order-id prefix of Amazon's 3-7-7 order ids in this marketplace. */
  orderIdPrefix: string;
}

const DEFAULTS: Record<string, CountryDefaults> = {
  DE: {
    taxRate: 19,
    buyerName: 'Erika Mustermann',
    address: { addressLine1: 'Heidestraße 17', city: 'Köln', postalCode: '51147', phone: '+49 221 4710815' },
    orderIdPrefix: '302',
  },
  FR: {
    taxRate: 20,
    buyerName: 'Marie Dupont',
    address: { addressLine1: '12 Rue de Rivoli', city: 'Paris', postalCode: '75001', phone: '+33 1 42 60 00 00' },
    orderIdPrefix: '402',
  },
  IT: {
    taxRate: 22,
    buyerName: 'Mario Rossi',
    address: { addressLine1: 'Via Roma 1', city: 'Milano', postalCode: '20121', stateOrRegion: 'MI' },
    orderIdPrefix: '403',
  },
  ES: {
    taxRate: 21,
    buyerName: 'Juan Pérez',
    address: { addressLine1: 'Calle Mayor 5', city: 'Madrid', postalCode: '28013', stateOrRegion: 'Madrid' },
    orderIdPrefix: '404',
  },
  NL: {
    taxRate: 21,
    buyerName: 'Jan Jansen',
    address: { addressLine1: 'Damrak 1', city: 'Amsterdam', postalCode: '1012 LG' },
    orderIdPrefix: '405',
  },
  BE: {
    taxRate: 21,
    buyerName: 'Jan Peeters',
    address: { addressLine1: 'Grote Markt 1', city: 'Brussel', postalCode: '1000' },
    orderIdPrefix: '406',
  },
  GB: {
    taxRate: 20,
    buyerName: 'Sarah Thompson',
    address: { addressLine1: '45 Oak Avenue', addressLine2: 'Flat 2A', city: 'London', postalCode: 'SW1A 1AA' },
    orderIdPrefix: '202',
  },
  SE: {
    taxRate: 25,
    buyerName: 'Anna Andersson',
    address: { addressLine1: 'Drottninggatan 1', city: 'Stockholm', postalCode: '111 51' },
    orderIdPrefix: '407',
  },
  PL: {
    taxRate: 23,
    buyerName: 'Jan Kowalski',
    address: { addressLine1: 'ul. Marszałkowska 1', city: 'Warszawa', postalCode: '00-624' },
    orderIdPrefix: '408',
  },
  US: {
    taxRate: 7.25,
    buyerName: 'Jane Doe',
    address: { addressLine1: '410 Terry Ave N', city: 'Seattle', stateOrRegion: 'WA', postalCode: '98109' },
    orderIdPrefix: '113',
  },
  CA: {
    taxRate: 5,
    buyerName: 'Jean Tremblay',
    address: { addressLine1: '100 Queen St W', city: 'Toronto', stateOrRegion: 'ON', postalCode: 'M5H 2N2' },
    orderIdPrefix: '702',
  },
  JP: {
    taxRate: 10,
    buyerName: 'Taro Yamada',
    address: { addressLine1: '1-1 Chiyoda', city: 'Chiyoda-ku', stateOrRegion: 'Tokyo', postalCode: '100-0001' },
    orderIdPrefix: '250',
  },
  AU: {
    taxRate: 10,
    buyerName: 'John Citizen',
    address: { addressLine1: '1 George St', city: 'Sydney', stateOrRegion: 'NSW', postalCode: '2000' },
    orderIdPrefix: '249',
  },
};

const FALLBACK: CountryDefaults = {
  taxRate: 0,
  buyerName: 'Alex Example',
  address: { addressLine1: 'Main Street 1', city: 'Capital', postalCode: '1000' },
  orderIdPrefix: '171',
};

export function countryDefaults(countryCode: string): CountryDefaults {
  return DEFAULTS[countryCode] ?? FALLBACK;
}
