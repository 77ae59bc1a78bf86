export { createFakePlugin, FakeOptionsSchema, fakePlugin } from './fake-plugin.js';
export type { FakeMatcher, FakeMessage, FakeProvider, FakeProviderOptions } from './fake-provider.js';
export { createFakeProvider } from './fake-provider.js';
