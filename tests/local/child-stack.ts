/** A process that runs the local stack and writes the session file, for the runner tests to kill. */
import { writeStackSession } from "../../scripts/local/session.ts";
import { startLocalStack } from "../../scripts/local/stack.ts";

const stack = await startLocalStack();
await writeStackSession(stack);
process.stdout.write(`READY ${stack.dynamoEndpoint} ${stack.s3Directory}\n`);
await new Promise(() => {});
