/**
 * Monthly 简报: EventBridge runs this on the 6th (after the 5th-of-month deadline) for the previous
 * month and every configured scope; the API invokes it with {scope, period} to re-render one.
 */
import { SNSClient } from "@aws-sdk/client-sns";
import { createServices } from "../lib/aws/services.ts";
import { SnsNotifier } from "../lib/aws/sns-notifier.ts";
import { composeBulletin, parseWording, renderBulletinPdf } from "../lib/bulletin/index.ts";
import { publishBulletin } from "../lib/bulletin/service.ts";
import { loadConfig } from "../lib/config.ts";
import { addMonths, monthOf, parseMonth } from "../lib/domain/periods.ts";
import wordingJson from "../templates/bulletin.json" with { type: "json" };

const services = createServices(loadConfig(process.env));
const wording = parseWording(wordingJson);
// Only this function publishes, so only its bundle carries the SNS client.
const notifier = services.config.BULLETIN_TOPIC_ARN
  ? new SnsNotifier(new SNSClient({ region: services.config.AWS_REGION }), services.config.BULLETIN_TOPIC_ARN)
  : undefined;

/** A scheduled event (has `time`) or a manual render request. */
export interface BulletinEvent {
  readonly time?: string;
  readonly scope?: string;
  readonly period?: string;
}

export async function handler(event: BulletinEvent = {}): Promise<{ rendered: string[] }> {
  const now = new Date();
  const registry = await services.registry();
  const month = event.period
    ? parseMonth(event.period)
    : addMonths(monthOf(event.time ? new Date(event.time) : now), -1);
  if (!month) throw new Error(`invalid period ${event.period}`);
  const scopes = event.scope ? [event.scope] : [registry.root.code, ...services.config.BULLETIN_SCOPES];
  const rendered: string[] = [];
  for (const scope of scopes) {
    if (!registry.has(scope)) throw new Error(`unknown scope ${scope}`);
    const out = await publishBulletin(
      {
        stores: services.stores,
        objects: services.objects,
        registry,
        deadlineDay: services.config.DEADLINE_DAY,
        wording,
        compose: composeBulletin,
        render: renderBulletinPdf,
        notifier,
      },
      scope,
      month,
      now,
    );
    rendered.push(out.record.key);
    if (services.config.LOG_LEVEL !== "silent") {
      console.log(JSON.stringify({ msg: "bulletin rendered", ...out.record }));
    }
  }
  return { rendered };
}
