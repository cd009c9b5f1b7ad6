import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

describe('createLogger', () => {
  it('writes JSON lines with secrets redacted at any of the logged depths', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger('info', sink);
    logger.info(
      {
        refreshToken: 'Atzr|top-secret',
        lwa: { access_token: 'Atza|also-secret', refresh_token: 'Atzr|x' },
        headers: { authorization: 'Bearer abc', 'x-amz-access-token': 'Atza|y' },
        shop: { shopId: 'shop-1' },
      },
      'stored authorization',
    );
    const entry = JSON.parse(lines[0] ?? '{}');
    expect(entry.msg).toBe('stored authorization');
    expect(entry.shop.shopId).toBe('shop-1');
    expect(lines.join('')).not.toMatch(/top-secret|also-secret|Atzr\|x|Bearer abc|Atza\|y/);
    expect(entry.refreshToken).toBe('[redacted]');
  });
});
