import { notification } from '@shopware-ag/meteor-admin-sdk';

/** A notification in the Administration's own notification centre (shown as a toast). */
export function notifyAdmin(options: {
  title: string;
  message: string;
  variant: 'success' | 'info' | 'warning' | 'error';
}): void {
  notification.dispatch(options).catch(() => {
    // A missing notification is no reason to disturb the page the merchant is working on.
  });
}
