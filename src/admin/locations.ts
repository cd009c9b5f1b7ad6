/** Location ids: each one is an iframe the Administration opens on `<base-app-url>?location-id=<id>`. */
export const HIDDEN_LOCATION = 'sw-main-hidden';
export const ACCESS_DATA_LOCATION = 'amazon-bridge-access-data';
export const DASHBOARD_CARD_LOCATION = 'amazon-bridge-dashboard-card';
export const DASHBOARD_POSITION = 'sw-dashboard__before-content';
