// Every package with a vitest.config.ts is a test project; tests run from sources (no build first).
export default ['packages/*/vitest.config.ts'];
