/** How much of the shop's stock is offered on Amazon. */
export interface QuantityRule {
  /** Units kept back for the shop's own customers. */
  buffer: number;
  /** Never offer more than this many units; null or undefined for no cap. */
  cap?: number | null;
}

/** Stock minus the buffer, never below 0, at most the cap; whole units only. */
export function offerQuantity(stock: number, rule: QuantityRule): number {
  const available = Math.floor(Number.isFinite(stock) ? stock : 0) - Math.max(0, Math.ceil(rule.buffer));
  const capped = rule.cap === null || rule.cap === undefined ? available : Math.min(available, Math.floor(rule.cap));
  return Math.max(0, capped);
}
