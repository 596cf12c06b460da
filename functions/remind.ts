/**
 * 催报: EventBridge runs this every day at 09:00 Beijing time; from REMIND_FROM_DAY each 片区 with
 * units still missing last month's return gets one notice (SNS), recorded per unit.
 */
import { SNSClient } from "@aws-sdk/client-sns";
import { createServices } from "../lib/aws/services.ts";
import { SnsNotifier } from "../lib/aws/sns-notifier.ts";
import { loadConfig } from "../lib/config.ts";
import { type RemindOutcome, sendReminders } from "../lib/workflow/remind-service.ts";

const services = createServices(loadConfig(process.env));
const topic = services.config.REMIND_TOPIC_ARN;
const notifier = topic
  ? new SnsNotifier(new SNSClient({ region: services.config.AWS_REGION }), topic)
  : undefined;

export async function handler(event: { readonly time?: string } = {}): Promise<RemindOutcome> {
  const outcome = await sendReminders(
    {
      registry: await services.registry(),
      returns: services.stores.returns,
      reminders: services.stores.reminders,
      notifier,
      deadlineDay: services.config.DEADLINE_DAY,
      fromDay: services.config.REMIND_FROM_DAY,
      channel: notifier ? "sns" : "log",
    },
    event.time ? new Date(event.time) : new Date(),
  );
  services.log.info("reminders", { ...outcome });
  return outcome;
}
