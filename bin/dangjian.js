#!/usr/bin/env node
// The CLI runs the TypeScript sources directly through tsx, so `npx dangjian` works right after
// `npm install` with no build step. Lambda bundles are built separately by esbuild.
// The SDK warns that Node 20 support ends in 2027 (Lambda runs nodejs22.x); the name of the switch
// changed between SDK releases, so set both.
process.env.AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING ??= "1";
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const { register } = await import("tsx/esm/api");
register();
const { main } = await import("../scripts/cli.ts");
process.exitCode = await main(process.argv);
