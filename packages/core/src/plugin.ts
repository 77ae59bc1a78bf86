import type * as v from 'valibot';
import type { OtpProvider } from './types.js';

/** How one environment variable becomes one option. */
export interface EnvBinding {
  /** The option it sets. */
  option: string;
  /** Turns the variable's text into the option's value. Default: the text as is. */
  parse?: (raw: string) => unknown;
}

/** A provider package's entry for configuration-driven selection. */
export interface ProviderPlugin<TOptions = unknown> {
  /** The name used in configuration: `provider: "kaleyra"`, `OTPKIT_PROVIDER=kaleyra`. */
  readonly id: string;
  /** valibot schema of the options; its messages must name the option and never echo the value. */
  readonly options: v.GenericSchema<unknown, TOptions>;
  /** Environment variables that set options, e.g. `{ KALEYRA_SID: "sid" }`. */
  readonly env?: Readonly<Record<string, string | EnvBinding>>;
  /** Builds the provider from validated options. */
  create(options: TOptions): OtpProvider;
}

/**
 * Declares a provider plugin. Typing only: it returns its argument, with `create`'s parameter typed
 * from the `options` schema.
 */
export function defineProviderPlugin<TSchema extends v.GenericSchema<unknown, unknown>>(plugin: {
  id: string;
  options: TSchema;
  env?: Readonly<Record<string, string | EnvBinding>>;
  create(options: v.InferOutput<TSchema>): OtpProvider;
}): ProviderPlugin<v.InferOutput<TSchema>> {
  return plugin as ProviderPlugin<v.InferOutput<TSchema>>;
}
