import { createHash, randomUUID } from 'node:crypto';

/** Shopware ids: 32 lowercase hex characters. */
export function shopwareId(): string {
  return randomUUID().replace(/-/g, '');
}

export interface Currency {
  id: string;
  isoCode: string;
  factor: number;
  symbol: string;
  decimalPrecision: number;
}

export interface ProductPrice {
  currencyId: string;
  gross: number;
  net: number;
  linked: boolean;
}

export interface Product {
  id: string;
  parentId: string | null;
  productNumber: string;
  name: string | null;
  active: boolean;
  stock: number | null;
  availableStock: number | null;
  price: ProductPrice[] | null;
  taxId: string | null;
  customFields: Record<string, unknown> | null;
  updatedAt: string | null;
  createdAt: string;
}

export interface Tax {
  id: string;
  name: string;
  taxRate: number;
}

/** The demo shop's reference data, with stable ids so tests and the demo can name them. */
export function demoCatalogue(now: Date) {
  const eur: Currency = {
    id: 'b7d2554b0ce847cd82f3ac9bd1c0dfca',
    isoCode: 'EUR',
    factor: 1,
    symbol: '€',
    decimalPrecision: 2,
  };
  const currencies: Currency[] = [
    eur,
    { id: '1e8f1e1a2c3b4d5e6f708192a3b4c5d6', isoCode: 'GBP', factor: 0.86, symbol: '£', decimalPrecision: 2 },
    { id: '2f9a2b3c4d5e6f708192a3b4c5d6e7f8', isoCode: 'USD', factor: 1.08, symbol: '$', decimalPrecision: 2 },
    { id: '3a0b3c4d5e6f708192a3b4c5d6e7f809', isoCode: 'PLN', factor: 4.3, symbol: 'zł', decimalPrecision: 2 },
    { id: '4b1c4d5e6f708192a3b4c5d6e7f8091a', isoCode: 'SEK', factor: 11.2, symbol: 'kr', decimalPrecision: 2 },
  ];
  const taxes: Tax[] = [
    { id: 'c1a0000000000000000000000000019a', name: 'Standard rate', taxRate: 19 },
    { id: 'c1a0000000000000000000000000007a', name: 'Reduced rate', taxRate: 7 },
  ];
  const standard = taxes[0] as Tax;
  const product = (productNumber: string, name: string, stock: number, gross: number): Product => ({
    id: shopwareId(),
    parentId: null,
    productNumber,
    name,
    active: true,
    stock,
    availableStock: stock,
    price: [{ currencyId: eur.id, gross, net: Math.round((gross / 1.19) * 100) / 100, linked: true }],
    taxId: standard.id,
    customFields: null,
    updatedAt: null,
    createdAt: now.toISOString(),
  });
  const products: Product[] = [
    product('AB-1001', 'Espresso cup, stoneware', 42, 12.9),
    product('AB-1002', 'Pour-over kettle 1 l', 7, 49.95),
    product('AB-1003', 'Coffee beans, 1 kg, medium roast', 120, 24.5),
    product('AB-1004', 'Hand grinder, ceramic burr', 0, 89),
    product('AB-1005', 'Milk jug 350 ml', 15, 17.99),
  ];
  return {
    currencies,
    taxes,
    products,
    languageId: '2fbb5fe2e29a4d70aa5854ce7ce3e20b',
    salesChannel: { id: '98432def39fc4624b33213a56b8c944d', name: 'Amazon', currencyId: eur.id },
    countries: [
      { id: 'd0c0000000000000000000000000de01', iso: 'DE', name: 'Germany' },
      { id: 'd0c0000000000000000000000000fa01', iso: 'FR', name: 'France' },
      { id: 'd0c0000000000000000000000000ab01', iso: 'GB', name: 'United Kingdom' },
      { id: 'd0c0000000000000000000000000ea01', iso: 'ES', name: 'Spain' },
      { id: 'd0c0000000000000000000000000aa01', iso: 'IT', name: 'Italy' },
      { id: 'd0c0000000000000000000000000ed01', iso: 'NL', name: 'Netherlands' },
      { id: 'd0c0000000000000000000000000a501', iso: 'US', name: 'United States' },
    ],
    paymentMethods: [{ id: 'e0e00000000000000000000000000001', name: 'Amazon Pay (marketplace)' }],
    shippingMethods: [{ id: 'f0f00000000000000000000000000001', name: 'Standard' }],
    salutations: [{ id: 'a0a00000000000000000000000000001', salutationKey: 'not_specified' }],
    states: [
      ...['open', 'in_progress', 'completed', 'cancelled'].map((name) => state('order.state', name)),
      ...['open', 'shipped', 'shipped_partially', 'returned', 'returned_partially', 'cancelled'].map((name) =>
        state('order_delivery.state', name),
      ),
      ...['open', 'paid', 'cancelled', 'refunded', 'in_progress', 'failed'].map((name) =>
        state('order_transaction.state', name),
      ),
    ],
  };
}

/** A state machine state with an id derived from its machine and name, so it is the same in every run. */
function state(machine: string, technicalName: string) {
  const id = createHash('md5').update(`${machine}.${technicalName}`).digest('hex');
  return { id, technicalName, stateMachine: { technicalName: machine } };
}
