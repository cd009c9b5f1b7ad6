/**
 * The body of Shopware's `POST /api/order` as the order import sends it. Shapes follow Shopware's entity definitions
 * (OrderDefinition and its aggregates) and the JSON of its price structs: `price` is a CartPrice, `shippingCosts`, line
 * item `price` and transaction `amount` are CalculatedPrices. `amountTotal`, `amountNet`, `positionPrice`, `taxStatus`
 * and `shippingTotal` are write-protected in Shopware; the database derives them from `price` and `shippingCosts`.
 */

export interface CalculatedTax {
  tax: number;
  taxRate: number;
  /** The amount the tax was computed on: gross in a gross order, net in a net order. */
  price: number;
}

export interface TaxRule {
  taxRate: number;
  /** Share of the amount taxed at this rate, in percent. */
  percentage: number;
}

export interface CalculatedPrice {
  unitPrice: number;
  quantity: number;
  totalPrice: number;
  calculatedTaxes: CalculatedTax[];
  taxRules: TaxRule[];
  referencePrice: null;
  listPrice: null;
  regulationPrice: null;
}

export type TaxStatus = 'gross' | 'net';

export interface CartPrice {
  netPrice: number;
  totalPrice: number;
  positionPrice: number;
  rawTotal: number;
  taxStatus: TaxStatus;
  calculatedTaxes: CalculatedTax[];
  taxRules: TaxRule[];
}

export interface CashRoundingConfig {
  decimals: number;
  interval: number;
  roundForNet: boolean;
}

export interface QuantityPriceDefinition {
  type: 'quantity';
  price: number;
  quantity: number;
  taxRules: TaxRule[];
  /** true: `price` is already in the order's tax status (gross in a gross order), so Shopware does not add tax again. */
  isCalculated: boolean;
}

export interface OrderAddressPayload {
  id: string;
  countryId: string;
  salutationId: string;
  firstName: string;
  lastName: string;
  street: string;
  zipcode?: string;
  city: string;
  company?: string;
  phoneNumber?: string;
  additionalAddressLine1?: string;
  additionalAddressLine2?: string;
}

export interface OrderCustomerPayload {
  id: string;
  email: string;
  salutationId: string;
  firstName: string;
  lastName: string;
  company?: string;
}

export interface OrderLineItemPayload {
  id: string;
  identifier: string;
  /** `product` lines reduce stock when written (Shopware's OrderStockSubscriber); `custom` lines do not. */
  type: 'product' | 'custom';
  referencedId?: string;
  productId?: string;
  quantity: number;
  label: string;
  position: number;
  good: boolean;
  removable: boolean;
  stackable: boolean;
  states: string[];
  price: CalculatedPrice;
  priceDefinition: QuantityPriceDefinition;
  payload: Record<string, string | number | boolean | null>;
}

export interface OrderDeliveryPayload {
  id: string;
  stateId: string;
  shippingMethodId: string;
  shippingOrderAddressId: string;
  shippingDateEarliest: string;
  shippingDateLatest: string;
  shippingCosts: CalculatedPrice;
  trackingCodes: string[];
  positions: { id: string; orderLineItemId: string; price: CalculatedPrice }[];
}

export interface OrderTransactionPayload {
  id: string;
  paymentMethodId: string;
  stateId: string;
  amount: CalculatedPrice;
}

export interface ShopwareOrderPayload {
  id: string;
  orderNumber?: string;
  salesChannelId: string;
  languageId: string;
  currencyId: string;
  currencyFactor: number;
  orderDateTime: string;
  stateId: string;
  itemRounding: CashRoundingConfig;
  totalRounding: CashRoundingConfig;
  price: CartPrice;
  shippingCosts: CalculatedPrice;
  billingAddressId: string;
  addresses: OrderAddressPayload[];
  orderCustomer: OrderCustomerPayload;
  lineItems: OrderLineItemPayload[];
  deliveries: OrderDeliveryPayload[];
  transactions: OrderTransactionPayload[];
  affiliateCode: string;
  campaignCode: string;
  customerComment: string;
  customFields: Record<string, string>;
}
