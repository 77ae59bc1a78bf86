import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DISPATCHER_DEFAULTS } from './dispatcher-options.js';
import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_REQUEST_TIMEOUT_MS } from './http/request-context.js';

// The `@default` tags are the one statement of each option's default: this test holds them to the code
// (the values the options resolve to) and to the tables of the reference docs, so the three cannot drift.

const source = (file: string) => readFileSync(new URL(file, import.meta.url), 'utf8');

/** `@default` tags of one interface, by field name. */
function defaultTags(text: string, interfaceName: string): Map<string, string> {
  const start = text.indexOf(`export interface ${interfaceName} `);
  if (start === -1) throw new Error(`no interface ${interfaceName}`);
  const body = text.slice(start, text.indexOf('\n}\n', start));
  const tags = new Map<string, string>();
  for (const match of body.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*(\w+)\??:/g)) {
    const tag = /@default\s+(.+)/.exec(match[1]!);
    if (tag) tags.set(match[2]!, tag[1]!.trim());
  }
  return tags;
}

/** Compares defaults written in different notations: spacing, quotes, backticks, `_` and list order aside. */
function normal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(normal).sort().join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value)
      .map(([key, item]) => `${key}:${normal(item)}`)
      .sort()
      .join(',')}}`;
  }
  const text = String(value).replace(/[`\s"'_]/g, '');
  const list = /^\[(.*)\]$/.exec(text);
  if (list) return `[${list[1]!.split(',').filter(Boolean).sort().join(',')}]`;
  const object = /^\{(.*)\}$/.exec(text);
  if (object) return `{${object[1]!.split(',').filter(Boolean).sort().join(',')}}`;
  return text;
}

/** The default column of a reference table, by option name (`retry.retries`). */
function docDefaults(markdown: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of markdown.split('\n')) {
    const cells = /^\|\s*`([\w.]+)`\s*\|[^|]*\|\s*([^|]+?)\s*\|/.exec(line);
    if (cells) rows.set(cells[1]!, cells[2]!);
  }
  return rows;
}

describe('@default tags, the code and the docs agree', () => {
  const options = source('./dispatcher-options.ts');
  const dispatcherTags = defaultTags(options, 'DispatcherOptions');
  const retryTags = defaultTags(options, 'RetryOptions');
  const breakerTags = defaultTags(source('./breaker.ts'), 'BreakerOptions');
  const tags = new Map<string, string>([
    ...dispatcherTags,
    ...[...retryTags].map(([key, value]) => [`retry.${key}`, value] as const),
    ...[...breakerTags].map(([key, value]) => [`breaker.${key}`, value] as const),
  ]);

  it('every dispatcher option with a default has a tag', () => {
    const expected = [
      'timeoutMs',
      'deadlineMs',
      'breaker',
      'failFastOn',
      'concurrency',
      'maxQueue',
      ...Object.keys(DISPATCHER_DEFAULTS.retry).map((key) => `retry.${key}`),
      ...Object.keys(DISPATCHER_DEFAULTS.breaker).map((key) => `breaker.${key}`),
    ];
    expect([...tags.keys()].sort()).toEqual(expected.sort());
  });

  it('each tag is the value the option resolves to', () => {
    for (const [name, tag] of tags) {
      const value = name
        .split('.')
        .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], DISPATCHER_DEFAULTS);
      expect(normal(tag), name).toBe(normal(value));
    }
  });

  it("each tag is the docs' default, in docs/reference/dispatcher.md", () => {
    const docs = docDefaults(source('../../../docs/reference/dispatcher.md'));
    for (const [name, tag] of tags) {
      expect(docs.has(name), `${name} has a row in the options table`).toBe(true);
      expect(normal(docs.get(name)), name).toBe(normal(tag));
    }
  });

  it("the shared HTTP path's defaults are its tags", () => {
    const context = defaultTags(source('./http/request-context.ts'), 'RequestContext');
    expect(normal(context.get('timeoutMs'))).toBe(String(DEFAULT_REQUEST_TIMEOUT_MS));
    expect(normal(context.get('maxResponseBytes'))).toBe(String(DEFAULT_MAX_RESPONSE_BYTES));
  });
});
