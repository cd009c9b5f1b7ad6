import type { ShopInterface } from '@shopware-ag/app-server-sdk';
import { type Clock, systemClock } from '../clock/clock.ts';

/** A Shopware shop that installed the app, as the SDK's registration and request verification need it. */
export interface ShopRecord {
  shopId: string;
  shopUrl: string;
  shopSecret: string;
  previousShopSecret: string | null;
  pendingShopSecret: string | null;
  pendingShopUrl: string | null;
  secretsRotatedAt: Date | null;
  apiClientId: string | null;
  apiClientSecret: string | null;
  active: boolean;
  registrationConfirmed: boolean;
  verifiedDoubleSignature: boolean;
}

export class Shop implements ShopInterface {
  constructor(
    readonly record: ShopRecord,
    private readonly clock: Clock = systemClock,
  ) {}

  getShopId() {
    return this.record.shopId;
  }
  getShopUrl() {
    return this.record.shopUrl;
  }
  setShopUrl(url: string) {
    this.record.shopUrl = url;
  }
  getShopSecret() {
    return this.record.shopSecret;
  }
  setShopSecret(secret: string) {
    this.record.shopSecret = secret;
  }
  getPreviousShopSecret() {
    return this.record.previousShopSecret;
  }
  setPreviousShopSecret(secret: string | null) {
    this.record.previousShopSecret = secret;
  }
  getPendingShopSecret() {
    return this.record.pendingShopSecret;
  }
  setPendingShopSecret(secret: string | null) {
    this.record.pendingShopSecret = secret;
  }
  getPendingShopUrl() {
    return this.record.pendingShopUrl;
  }
  setPendingShopUrl(url: string | null) {
    this.record.pendingShopUrl = url;
  }
  getSecretsRotatedAt() {
    return this.record.secretsRotatedAt;
  }
  /** The SDK stamps a rotation with the wall clock; the grace period is checked on the app's clock, so stamp with that. */
  setSecretsRotatedAt(rotatedAt: Date | null) {
    this.record.secretsRotatedAt = rotatedAt === null ? null : this.clock.now();
  }
  getShopClientId() {
    return this.record.apiClientId;
  }
  getShopClientSecret() {
    return this.record.apiClientSecret;
  }
  setShopCredentials(clientId: string, clientSecret: string) {
    this.record.apiClientId = clientId;
    this.record.apiClientSecret = clientSecret;
  }
  getShopActive() {
    return this.record.active;
  }
  setShopActive(active: boolean) {
    this.record.active = active;
  }
  isRegistrationConfirmed() {
    return this.record.registrationConfirmed;
  }
  setRegistrationConfirmed() {
    this.record.registrationConfirmed = true;
  }
  setVerifiedWithDoubleSignature() {
    this.record.verifiedDoubleSignature = true;
  }
  hasVerifiedWithDoubleSignature() {
    return this.record.verifiedDoubleSignature;
  }
}
