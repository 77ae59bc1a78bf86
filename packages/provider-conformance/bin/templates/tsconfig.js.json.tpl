{
  "extends": "./tsconfig.json",
  "compilerOptions": {
    "composite": false,
    "declaration": false,
    "incremental": false,
    "removeComments": true,
    "customConditions": []
  },
  "include": ["src"],
  "exclude": ["src/**/*.test.ts", "src/**/__fixtures__"]
}
