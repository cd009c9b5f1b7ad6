import { REGIONS, type Region } from '../http/ui-contract.ts';

export { REGIONS, type Region };

export function isRegion(value: unknown): value is Region {
  return typeof value === 'string' && (REGIONS as readonly string[]).includes(value);
}
