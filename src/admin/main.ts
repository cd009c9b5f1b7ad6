import { HIDDEN_LOCATION } from './locations.ts';

/**
 * One entry for every location the Administration opens. It stays tiny: the hidden location (loaded on every admin
 * page) and the views (Vue + component library) are separate chunks, fetched only where they are used.
 */
const locationId = new URLSearchParams(window.location.search).get('location-id');

if (locationId === HIDDEN_LOCATION) {
  void import('./hidden/bootstrap.ts').then(({ registerAdminExtensions }) => registerAdminExtensions());
} else {
  void import('./views/mount.ts').then(({ mountLocation }) => mountLocation(locationId ?? ''));
}
