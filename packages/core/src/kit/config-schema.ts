import * as v from 'valibot';
import {
  DISPATCHER_SETTING_KEYS,
  DispatcherSettingEntries,
  retryBoundsIssue,
} from '../dispatcher-options.js';
import type { OtpIssue } from '../errors.js';
import type { ProviderPlugin } from '../plugin.js';
import { ROUTE_PREFIX, ROUTE_PREFIX_MESSAGE, routedTwice } from '../route-rules.js';
import { toOtpIssues } from '../validation.js';
import { registered, unknownProvider } from './plugins.js';

// The whole otpkit config as one valibot schema, built for the plugins at hand: its shape (lists,
// route prefixes, the dispatcher's own setting entries), then the rules across fields (ids known and
// each once in its list, no prefix routed twice, each provider's options by its plugin's schema, retry
// bounds). Every rule runs even when another part is wrong, so one error lists every problem.

type Registry = ReadonlyMap<string, ProviderPlugin>;
type Path = [v.IssuePathItem, ...v.IssuePathItem[]];
type AddIssue = (info: { message: string; path: Path }) => void;

/** A path of keys, as valibot reports one. */
function at(keys: readonly (string | number)[]): Path {
  return keys.map((key) => ({ type: 'object', origin: 'value', input: {}, key, value: undefined })) as never;
}

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

const RetrySchema = v.object({ retry: DispatcherSettingEntries.retry });

const PrefixSchema = v.pipe(v.string(ROUTE_PREFIX_MESSAGE), v.regex(ROUTE_PREFIX, ROUTE_PREFIX_MESSAGE));

const RouteSchema = v.looseObject(
  {
    // A missing prefix or provider is told by the rules below, in the words of a wrong one.
    prefix: v.optional(PrefixSchema),
    provider: v.optional(v.unknown()),
    fallback: v.optional(v.array(v.unknown(), 'expected a list of provider ids')),
  },
  'expected { prefix, provider, fallback? }',
);

/** The top-level keys a config may have. */
export const CONFIG_KEYS: readonly string[] = [
  'provider',
  'fallback',
  'providers',
  'routes',
  ...DISPATCHER_SETTING_KEYS,
];

/** The ids a config names, checked in its order; `used` gets each that may be built. */
class IdRules {
  readonly used: string[] = [];
  readonly order: string[] = [];

  constructor(
    private readonly registry: Registry,
    private readonly addIssue: AddIssue,
  ) {}

  /** One id at `path`, in `list` (the failover order or one route), where a repeat is told `repeat`. */
  check(id: unknown, path: (string | number)[], list: string[], repeat: string): void {
    const issue = (message: string) => this.addIssue({ message, path: at(path) });
    if (typeof id !== 'string' || id === '') issue('expected a provider id');
    else if (!this.registry.has(id)) issue(unknownProvider(id, this.registry as Map<string, unknown>));
    else if (list.includes(id)) issue(`"${id}" ${repeat}`);
    else {
      list.push(id);
      if (!this.used.includes(id)) this.used.push(id);
    }
  }
}

function checkIds(registry: Registry, config: Record<string, unknown>, addIssue: AddIssue): string[] {
  const ids = new IdRules(registry, addIssue);
  const { provider, fallback, routes } = config;
  if (typeof provider !== 'string' || provider === '') {
    const known = registered(registry as Map<string, unknown>);
    addIssue({ message: `expected the id of a provider (${known})`, path: at(['provider']) });
  } else ids.check(provider, ['provider'], ids.order, 'is already in the failover order');
  if (Array.isArray(fallback)) {
    fallback.forEach((id: unknown, index) => {
      ids.check(id, ['fallback', index], ids.order, 'is already in the failover order');
    });
  }
  if (!Array.isArray(routes)) return ids.used;
  const prefixes = new Set<string>();
  routes.forEach((input: unknown, index) => {
    const route = record(input);
    if (route === undefined) return;
    const { prefix } = route;
    if (prefix === undefined)
      addIssue({ message: ROUTE_PREFIX_MESSAGE, path: at(['routes', index, 'prefix']) });
    else if (v.is(PrefixSchema, prefix)) {
      const twice = routedTwice(prefix, prefixes, `routes.${index}.prefix`);
      if (twice) addIssue({ message: twice.message, path: at(['routes', index, 'prefix']) });
    }
    const list: string[] = [];
    ids.check(route.provider, ['routes', index, 'provider'], list, 'is already in this route');
    if (Array.isArray(route.fallback)) {
      route.fallback.forEach((id: unknown, position) => {
        ids.check(id, ['routes', index, 'fallback', position], list, 'is already in this route');
      });
    }
  });
  return ids.used;
}

/** The schema of an otpkit config whose providers come from `registry`'s plugins. */
export function otpKitConfigSchema(registry: Registry) {
  return v.pipe(
    v.looseObject(
      {
        // Provider ids are checked by the rules below, against the registry, in the config's order.
        provider: v.optional(v.unknown()),
        fallback: v.optional(v.array(v.unknown(), 'expected a list of provider ids')),
        routes: v.optional(v.array(RouteSchema, 'expected a list of { prefix, provider, fallback? }')),
        providers: v.optional(
          v.custom<Record<string, unknown>>(
            (value) => record(value) !== undefined,
            'expected an object of options by provider id',
          ),
        ),
        ...DispatcherSettingEntries,
      },
      'expected a config object with at least "provider"',
    ),
    v.rawCheck(({ dataset, addIssue }) => {
      const config = record(dataset.value);
      if (config === undefined) return;
      for (const key of Object.keys(config)) {
        if (CONFIG_KEYS.includes(key)) continue;
        addIssue({ message: `unknown setting (known: ${CONFIG_KEYS.join(', ')})`, path: at([key]) });
      }
      const used = checkIds(registry, config, addIssue);
      const options = record(config.providers) ?? {};
      for (const id of Object.keys(options)) {
        if (registry.has(id)) continue;
        addIssue({
          message: unknownProvider(id, registry as Map<string, unknown>),
          path: at(['providers', id]),
        });
      }
      // Each provider's options by its plugin's schema, under `providers.<id>`: its issues in the words
      // they have for that provider alone (with what the value was taken out).
      for (const id of used) {
        const result = v.safeParse(registry.get(id)!.options, options[id] ?? {});
        for (const { path, message } of result.success ? [] : toOtpIssues(result.issues)) {
          addIssue({ message, path: at(['providers', id, ...(path === '' ? [] : path.split('.'))]) });
        }
      }
    }),
    v.rawCheck(({ dataset, addIssue }) => {
      // The one rule between two settings: a retry's bounds, once both are valid (given or default).
      const config = record(dataset.value);
      if (config === undefined || !v.is(RetrySchema, { retry: config.retry })) return;
      const bounds = retryBoundsIssue(config.retry as never);
      if (bounds) addIssue({ message: bounds.message, path: at(['retry', 'maxDelayMs']) });
    }),
  );
}

const GROUPS = ['provider', 'fallback', 'routes', 'providers'];
const ROUTE_FIELDS = ['prefix', 'provider', 'fallback'];

/**
 * Issues in the config's order (unknown settings, then provider, fallback, routes, providers, the
 * dispatcher's settings; by position within a list), whichever rule found them.
 */
export function inConfigOrder(issues: readonly OtpIssue[]): OtpIssue[] {
  const rank = (top: string) => {
    if (!CONFIG_KEYS.includes(top)) return 0;
    const group = GROUPS.indexOf(top);
    return group === -1 ? GROUPS.length + 1 : group + 1;
  };
  const weigh = (segment: string) =>
    /^\d+$/.test(segment)
      ? Number(segment)
      : ROUTE_FIELDS.includes(segment)
        ? ROUTE_FIELDS.indexOf(segment)
        : -1;
  const compare = (a: OtpIssue, b: OtpIssue) => {
    const left = a.path.split('.');
    const right = b.path.split('.');
    const byGroup = rank(left[0]!) - rank(right[0]!);
    if (byGroup !== 0 || left[0] === 'providers' || rank(left[0]!) > GROUPS.length) return byGroup;
    for (let i = 1; i < Math.min(left.length, right.length); i++) {
      const x = weigh(left[i]!);
      const y = weigh(right[i]!);
      if (x !== y) return x - y;
    }
    return 0;
  };
  return [...issues].sort(compare);
}
