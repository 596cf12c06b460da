#!/usr/bin/env node
// The CLI runs the TypeScript sources directly through tsx, so `npx dangjian` works right after
// `npm install` with no build step. Lambda bundles are built separately by esbuild.
process.env.AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING ??= "1";
const { register } = await import("tsx/esm/api");
register();
const { main } = await import("../scripts/cli.ts");
process.exitCode = await main(process.argv);
