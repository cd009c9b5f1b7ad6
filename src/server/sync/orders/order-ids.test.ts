import { describe, expect, it } from 'vitest';
import { orderPartId, shopwareOrderId, uuidV5 } from './order-ids.ts';

describe('deterministic order ids', () => {
  it('computes RFC 9562 version-5 UUIDs (the DNS-namespace test vector)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657de927568b95e12665a8aea6a2');
  });

  it('gives the same Shopware id for the same shop and Amazon order, and different ids otherwise', () => {
    const id = shopwareOrderId('shop-1', '302-1234567-7654321');
    expect(id).toMatch(/^[0-9a-f]{12}5[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
    expect(shopwareOrderId('shop-1', '302-1234567-7654321')).toBe(id);
    expect(shopwareOrderId('shop-2', '302-1234567-7654321')).not.toBe(id);
    expect(shopwareOrderId('shop-1', '302-1234567-7654322')).not.toBe(id);
    expect(orderPartId(id, 'address')).not.toBe(orderPartId(id, 'delivery'));
    expect(orderPartId(id, 'address')).toBe(orderPartId(id, 'address'));
  });

  it('refuses a namespace that is not a UUID', () => {
    expect(() => uuidV5('x', 'not-a-uuid')).toThrow(/namespace/);
  });
});
