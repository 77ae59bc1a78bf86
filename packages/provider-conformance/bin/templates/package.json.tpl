{
  "name": "@otpkit/provider-__id__",
  "version": "0.0.0",
  "description": "__Name__ provider for otpkit: OTP SMS through __Name__'s API, error mapping, delivery reports, and an msw emulator for tests.",
  "license": "MIT",
  "type": "module",
  "keywords": [
    "otp",
    "sms",
    "__id__",
    "otpkit"
  ],
  "engines": {
    "node": ">=20.19"
  },
  "sideEffects": false,
  "exports": {
    ".": {
      "@otpkit/source": "./src/index.ts",
      "types": "./dist/index.d.ts",
      "import": "./dist/index.js"
    },
    "./testing": {
      "@otpkit/source": "./src/testing.ts",
      "types": "./dist/testing.d.ts",
      "import": "./dist/testing.js"
    },
    "./package.json": "./package.json"
  },
  "files": [
    "dist"
  ],
  "scripts": {
    "build": "tsc -b && pnpm run build:js",
    "prepack": "node ../../.ci/check-dist.mjs",
    "build:js": "node -e \"require('node:fs').rmSync('dist/chunks',{recursive:true,force:true})\" && esbuild src/index.ts src/testing.ts --bundle --format=esm --platform=node --target=node20 --packages=external --alias:valibot=./node_modules/valibot/dist/index.mjs --outdir=dist --log-level=warning --minify-syntax && node ../../.ci/prune-declarations.mjs"
  },
  "dependencies": {
    "@otpkit/core": "workspace:^",
    "ky": "__KY_VERSION__",
    "valibot": "__VALIBOT_VERSION__"
  },
  "peerDependencies": {
    "msw": "__MSW_PEER_VERSION__"
  },
  "peerDependenciesMeta": {
    "msw": {
      "optional": true
    }
  },
  "devDependencies": {
    "@otpkit/provider-conformance": "workspace:^",
    "msw": "__MSW_VERSION__",
    "vitest": "__VITEST_VERSION__"
  },
  "publishConfig": {
    "access": "public"
  }
}
