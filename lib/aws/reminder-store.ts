/** REMIND items: per unit and month the reminders sent, per 片区 and day the marker of a sent reminder. */
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Month } from "../domain/periods.ts";
import type { ReminderRecord, ReminderStore } from "../ports.ts";
import { keys, num, queryAll, str, type TableRef } from "./table.ts";

export class DynamoReminderStore implements ReminderStore {
  constructor(private readonly table: TableRef) {}

  async claimDay(scope: string, month: Month, day: string, at: string): Promise<boolean> {
    try {
      await this.table.ddb.send(
        new PutCommand({
          TableName: this.table.name,
          Item: { ...keys.reminderDay(scope, month, day), type: "REMINDDAY", scope, month, day, at },
          // Why: the schedule is at-least-once; a second run that day must not send again.
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async releaseDay(scope: string, month: Month, day: string): Promise<void> {
    await this.table.ddb.send(
      new DeleteCommand({ TableName: this.table.name, Key: keys.reminderDay(scope, month, day) }),
    );
  }

  async recordReminder(
    scope: string,
    unit: string,
    month: Month,
    day: string,
    at: string,
    channel: string,
  ): Promise<void> {
    try {
      await this.table.ddb.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: keys.reminder(scope, month, unit),
          UpdateExpression:
            "SET #type = :type, #scope = :scope, #unit = :unit, #month = :month, lastAt = :at, lastDay = :day, channel = :channel ADD #count :one",
          ConditionExpression: "attribute_not_exists(lastDay) OR lastDay <> :day",
          ExpressionAttributeNames: {
            "#type": "type",
            "#scope": "scope",
            "#unit": "unit",
            "#month": "month",
            "#count": "count",
          },
          ExpressionAttributeValues: {
            ":type": "REMIND",
            ":scope": scope,
            ":unit": unit,
            ":month": month,
            ":at": at,
            ":day": day,
            ":channel": channel,
            ":one": 1,
          },
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }

  async remindersUnder(scope: string, month: Month): Promise<ReminderRecord[]> {
    const items = await queryAll(this.table, {
      KeyConditionExpression: "pk = :pk",
      FilterExpression: "#type = :type",
      ExpressionAttributeNames: { "#type": "type" },
      ExpressionAttributeValues: { ":pk": keys.remindersUnder(scope, month), ":type": "REMIND" },
    });
    return items.map((i) => ({
      scope: str(i.scope),
      unit: str(i.unit),
      month: str(i.month),
      count: num(i.count),
      lastAt: str(i.lastAt),
      channel: str(i.channel),
    }));
  }
}
