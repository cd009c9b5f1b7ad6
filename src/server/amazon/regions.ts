/** SP-API regions: one authorization covers every marketplace of its region. */
export type Region = 'na' | 'eu' | 'fe';
export const REGIONS: readonly Region[] = ['na', 'eu', 'fe'];

export function isRegion(value: unknown): value is Region {
  return typeof value === 'string' && (REGIONS as readonly string[]).includes(value);
}
