/** The transitions of Shopware's default state machines that the app uses (technical names). */
export const STATE_MACHINES = {
  order: {
    initial: 'open',
    transitions: {
      process: { from: ['open'], to: 'in_progress' },
      complete: { from: ['in_progress'], to: 'completed' },
      cancel: { from: ['open', 'in_progress'], to: 'cancelled' },
      reopen: { from: ['cancelled', 'completed'], to: 'open' },
    },
  },
  order_delivery: {
    initial: 'open',
    transitions: {
      ship: { from: ['open', 'shipped_partially'], to: 'shipped' },
      ship_partially: { from: ['open'], to: 'shipped_partially' },
      retour: { from: ['shipped', 'shipped_partially', 'returned_partially'], to: 'returned' },
      retour_partially: { from: ['shipped', 'shipped_partially'], to: 'returned_partially' },
      cancel: { from: ['open'], to: 'cancelled' },
      reopen: { from: ['cancelled'], to: 'open' },
    },
  },
  order_transaction: {
    initial: 'open',
    transitions: {
      paid: { from: ['open', 'in_progress', 'failed', 'reminded', 'unconfirmed', 'authorized'], to: 'paid' },
      cancel: { from: ['open', 'in_progress', 'failed', 'reminded', 'unconfirmed', 'authorized'], to: 'cancelled' },
      reopen: { from: ['cancelled', 'failed'], to: 'open' },
      refund: { from: ['paid', 'paid_partially', 'refunded_partially'], to: 'refunded' },
    },
  },
} as const satisfies Record<
  string,
  { initial: string; transitions: Record<string, { from: readonly string[]; to: string }> }
>;

export type StateMachineName = keyof typeof STATE_MACHINES;

export function nextState(machine: StateMachineName, current: string, transition: string): string | null {
  const transitions = STATE_MACHINES[machine].transitions as Record<string, { from: readonly string[]; to: string }>;
  const found = transitions[transition];
  return found?.from.includes(current) ? found.to : null;
}
