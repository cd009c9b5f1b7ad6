import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for secrets at rest (Amazon refresh tokens, Shopware API credentials, shop secrets).
 * The stored form names the key it was sealed with (`v1.<keyId>.<iv>.<tag>.<ciphertext>`), so a new key can be
 * introduced while old rows are still readable with the retired one.
 */
export class SecretBox {
  readonly keyId: string;
  readonly #keys = new Map<string, Buffer>();
  readonly #current: Buffer;

  constructor(key: Buffer, retiredKeys: Buffer[] = []) {
    if (key.length !== 32) throw new Error('ENCRYPTION_KEY must be 32 bytes (base64-encoded)');
    this.#current = key;
    this.keyId = SecretBox.keyIdOf(key);
    for (const retired of retiredKeys) this.#keys.set(SecretBox.keyIdOf(retired), retired);
    this.#keys.set(this.keyId, key);
  }

  static keyIdOf(key: Buffer): string {
    return createHash('sha256').update(key).digest('hex').slice(0, 8);
  }

  static fromBase64(base64: string): SecretBox {
    return new SecretBox(Buffer.from(base64, 'base64'));
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#current, iv);
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      'v1',
      this.keyId,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      ciphertext.toString('base64url'),
    ].join('.');
  }

  open(sealed: string): string {
    const [version, keyId, iv, tag, ciphertext] = sealed.split('.');
    if (version !== 'v1' || !keyId || !iv || !tag || ciphertext === undefined) throw new Error('not a sealed secret');
    const key = this.#keys.get(keyId);
    if (!key) throw new Error(`secret sealed with unknown key ${keyId}`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }
}
