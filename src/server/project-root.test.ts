import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findProjectRoot, PROJECT_ROOT } from './project-root.ts';

describe('the project folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'project-root-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is found from the sources and from the bundle alike', () => {
    writeFileSync(join(dir, 'package.json'), '{}');
    writeFileSync(join(dir, 'manifest.xml'), '<manifest/>');
    mkdirSync(join(dir, 'src', 'server', 'shopware'), { recursive: true });
    mkdirSync(join(dir, 'dist', 'server'), { recursive: true });
    expect(findProjectRoot(join(dir, 'src', 'server', 'shopware', 'manifest.ts'))).toBe(dir);
    expect(findProjectRoot(join(dir, 'dist', 'server', 'main.js'))).toBe(dir);
    expect(PROJECT_ROOT).toBe(join(import.meta.dirname, '..', '..'));
  });

  it('is refused by name where there is none', () => {
    const stray = mkdtempSync(join(tmpdir(), 'no-project-'));
    try {
      expect(() => findProjectRoot(join(stray, 'main.js'))).toThrow(/no AmazonBridge project folder/);
    } finally {
      rmSync(stray, { recursive: true, force: true });
    }
  });
});
