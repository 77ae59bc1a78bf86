{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": {
    "rootDir": "src",
    "outDir": "dist",
    "tsBuildInfoFile": "tsconfig.tsbuildinfo",
    "emitDeclarationOnly": true
  },
  "include": ["src"],
  "exclude": ["src/**/*.test.ts", "src/**/__fixtures__"],
  "references": [
    {
      "path": "../core"
    }
  ]
}
