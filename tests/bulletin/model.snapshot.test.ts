import { expect, it } from "vitest";
import { composeBulletin } from "../../lib/bulletin/compose.ts";
import { loadWording } from "../../lib/files/wording-file.ts";
import { buildFixture } from "./fixture.ts";

// The whole composed model for the fixture month: any change in wording, figures, ranking or
// case selection shows up here as a reviewable diff (PDF bytes would not be reviewable).
it("composes the fixture month into the reviewed bulletin model", async () => {
  expect(composeBulletin(buildFixture(), await loadWording())).toMatchSnapshot();
});
