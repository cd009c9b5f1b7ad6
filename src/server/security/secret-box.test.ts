import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box.ts';

describe('SecretBox', () => {
  it('seals to a form that does not contain the secret and opens it again', () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = box.seal('Atzr|refresh-token-value');
    expect(sealed).not.toContain('refresh-token-value');
    expect(sealed.startsWith(`v1.${box.keyId}.`)).toBe(true);
    expect(box.open(sealed)).toBe('Atzr|refresh-token-value');
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('refuses tampered ciphertext and unknown keys, and reads secrets sealed with a retired key', () => {
    const oldKey = randomBytes(32);
    const sealedWithOld = new SecretBox(oldKey).seal('secret');
    const tampered = `${sealedWithOld.slice(0, -2)}AA`;
    expect(() => new SecretBox(oldKey).open(tampered)).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealedWithOld)).toThrow(/unknown key/);
    expect(new SecretBox(randomBytes(32), [oldKey]).open(sealedWithOld)).toBe('secret');
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(/32 bytes/);
  });
});
