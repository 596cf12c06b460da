/**
 * A local serverless plugin: the ordinary `npx serverless package` / `deploy` build the function
 * bundles themselves (esbuild, scripts/build.ts) before packaging, so nobody has to remember
 * `npm run package` first. CommonJS because the framework requires plugins.
 */
const { execFileSync } = require("node:child_process");
const { join } = require("node:path");

class BuildBundles {
  constructor(serverless) {
    const root = serverless.serviceDir ?? serverless.config?.servicePath ?? process.cwd();
    const build = () => {
      execFileSync(process.execPath, ["--import", "tsx", join(root, "scripts", "build.ts")], {
        cwd: root,
        stdio: "inherit",
      });
    };
    this.hooks = {
      "before:package:createDeploymentArtifacts": build,
      "before:deploy:function:packageFunction": build,
    };
  }
}

module.exports = BuildBundles;
